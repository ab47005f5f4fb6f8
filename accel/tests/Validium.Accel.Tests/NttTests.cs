using Validium.Accel.Cpu;
using Validium.Crypto;

namespace Validium.Accel.Tests;

public class NttTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(256)]
    public void ForwardEqualsTheDefinition(int n)
    {
        var inp = new Inputs(n);
        var x = inp.Scalars(n);
        var y = (Fr[])x.Clone();
        Ntt.Transform(y, NttOptions.Forward, 2, default);
        Assert.True(Reference.Dft(x, Fr.One).SequenceEqual(y), $"seed {inp.Seed}");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(128)]
    public void CosetForwardEvaluatesOnTheShiftedDomain(int n)
    {
        var inp = new Inputs(100 + n);
        var x = inp.Scalars(n);
        var shift = inp.Scalar();
        var y = (Fr[])x.Clone();
        Ntt.Transform(y, new NttOptions(false, shift), 2, default);
        Assert.True(Reference.Dft(x, shift).SequenceEqual(y), $"seed {inp.Seed}");
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(16, false)]
    [InlineData(1 << 13, false)]
    [InlineData(1 << 13, true)]
    public void InverseUndoesForward(int n, bool coset)
    {
        var inp = new Inputs(200 + n);
        var x = inp.Scalars(n);
        var y = (Fr[])x.Clone();
        Fr? shift = coset ? Fr.MultiplicativeGenerator : null;
        Ntt.Transform(y, new NttOptions(false, shift), 2, default);
        Ntt.Transform(y, new NttOptions(true, shift), 2, default);
        Assert.True(x.SequenceEqual(y), $"seed {inp.Seed}");
    }

    [Fact]
    public void LargeParallelTransformAgreesWithSingleThreaded()
    {
        var inp = new Inputs(9);
        var x = inp.Scalars(1 << 14);
        var a = (Fr[])x.Clone();
        var b = (Fr[])x.Clone();
        Ntt.Transform(a, NttOptions.Forward, 1, default);
        Ntt.Transform(b, NttOptions.Forward, 2, default);
        Assert.True(a.SequenceEqual(b), $"seed {inp.Seed}");
    }

    /// <summary>Large enough for the threaded stages and the eight-lane butterflies; checked at sampled outputs by Horner's rule.</summary>
    [Theory]
    [InlineData(1 << 13, false)]
    [InlineData(1 << 13, true)]
    public void LargeTransformEqualsTheDefinitionAtSampledOutputs(int n, bool coset)
    {
        var inp = new Inputs(300 + n + (coset ? 1 : 0));
        var x = inp.Scalars(n);
        var shift = coset ? inp.Scalar() : Fr.One;
        var y = (Fr[])x.Clone();
        Ntt.Transform(y, new NttOptions(false, coset ? shift : null), 2, default);
        var omega = Fr.RootOfUnity(13);
        var rng = new Random(inp.Seed);
        foreach (int k in Enumerable.Range(0, 6).Select(_ => rng.Next(n)).Append(0).Append(n - 1))
        {
            var point = shift * omega.Pow((ulong)k);
            var acc = Fr.Zero;
            for (int i = n - 1; i >= 0; i--) acc = acc * point + x[i];
            Assert.True(acc == y[k], $"seed {inp.Seed}, output {k}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(12)]
    public void NonPowerOfTwoIsRejected(int n)
    {
        var ex = Assert.Throws<ArgumentException>(() => Ntt.Transform(new Fr[n], NttOptions.Forward, 1, default));
        Assert.Contains("power of two", ex.Message);
    }

    [Fact]
    public void ZeroCosetShiftIsRejected() =>
        Assert.Throws<ArgumentException>(() => Ntt.Transform(new Fr[4], new NttOptions(false, Fr.Zero), 1, default));
}
