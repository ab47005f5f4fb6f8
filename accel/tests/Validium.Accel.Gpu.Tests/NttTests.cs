using Validium.Crypto;

namespace Validium.Accel.Gpu.Tests;

[Collection(GpuCollection.Name)]
public class NttTests(GpuFixture fixture)
{
    /// <summary>y_k = Σ_i x_i·(shift·ω^k)^i, straight from the definition (O(n²)).</summary>
    private static Fr[] NaiveForward(Fr[] x, Fr shift)
    {
        int n = x.Length;
        var w = Fr.RootOfUnity(System.Numerics.BitOperations.Log2((uint)n));
        var y = new Fr[n];
        for (int k = 0; k < n; k++)
        {
            var point = shift * w.Pow((ulong)k);
            var acc = Fr.Zero;
            for (int i = n - 1; i >= 0; i--) acc = acc * point + x[i];
            y[k] = acc;
        }
        return y;
    }

    /// <summary>x_i = shift^-i·(1/n)·Σ_k y_k·ω^(−ik): the inverse of <see cref="NaiveForward"/> by its own formula.</summary>
    private static Fr[] NaiveInverse(Fr[] y, Fr shift)
    {
        int n = y.Length;
        var wInv = Fr.RootOfUnity(System.Numerics.BitOperations.Log2((uint)n)).Inverse();
        var nInv = Fr.FromUInt64((ulong)n).Inverse();
        var x = new Fr[n];
        for (int i = 0; i < n; i++)
        {
            var point = wInv.Pow((ulong)i);
            var acc = Fr.Zero;
            for (int k = n - 1; k >= 0; k--) acc = acc * point + y[k];
            x[i] = acc * nInv * shift.Inverse().Pow((ulong)i);
        }
        return x;
    }

    private static Fr[] RandomVector(Random rng, int n) => Enumerable.Range(0, n).Select(_ => Fr.Random(rng)).ToArray();

    private void AssertTransform(Fr[] input, NttOptions options, Fr[] expected, string context)
    {
        var values = (Fr[])input.Clone();
        fixture.Backend.Ntt(values, options);
        for (int i = 0; i < values.Length; i++)
            Assert.True(expected[i] == values[i], $"n = {input.Length}, {options}: element {i} is {values[i]}, expected {expected[i]}; {context}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(32)]
    public void ForwardAndInverseMatchDefinition(int n)
    {
        var (rng, seed) = GpuFixture.Seeded();
        var x = RandomVector(rng, n);
        AssertTransform(x, NttOptions.Forward, NaiveForward(x, Fr.One), $"seed {seed}");
        AssertTransform(x, NttOptions.InverseTransform, NaiveInverse(x, Fr.One), $"seed {seed}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(16)]
    public void CosetVariantsMatchDefinition(int n)
    {
        var (rng, seed) = GpuFixture.Seeded();
        var x = RandomVector(rng, n);
        var shift = Fr.MultiplicativeGenerator;
        AssertTransform(x, new NttOptions(false, shift), NaiveForward(x, shift), $"seed {seed}");
        AssertTransform(x, new NttOptions(true, shift), NaiveInverse(x, shift), $"seed {seed}");
        var randomShift = Fr.Random(rng);
        AssertTransform(x, new NttOptions(false, randomShift), NaiveForward(x, randomShift), $"seed {seed}, shift {randomShift}");
    }

    [Fact]
    public void InverseUndoesForward()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var x = RandomVector(rng, 64);
        var shift = Fr.Random(rng);
        var v = (Fr[])x.Clone();
        fixture.Backend.Ntt(v, new NttOptions(false, shift));
        fixture.Backend.Ntt(v, new NttOptions(true, shift));
        Assert.True(x.SequenceEqual(v), $"seed {seed}");
    }

    [Fact]
    public void AllZeroStaysZero()
    {
        var v = new Fr[16];
        fixture.Backend.Ntt(v, NttOptions.Forward);
        Assert.All(v, e => Assert.True(e.IsZero));
        fixture.Backend.Ntt(v, new NttOptions(true, Fr.MultiplicativeGenerator));
        Assert.All(v, e => Assert.True(e.IsZero));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(100)]
    public void NonPowerOfTwoIsRejected(int n)
    {
        var e = Assert.Throws<ArgumentException>(() => fixture.Backend.Ntt(new Fr[n], NttOptions.Forward));
        Assert.Contains("power of two", e.Message);
    }

    [Fact]
    public void ZeroCosetShiftIsRejected() =>
        Assert.Throws<ArgumentException>(() => fixture.Backend.Ntt(new Fr[4], new NttOptions(true, Fr.Zero)));

    [Fact]
    public void CancelledTokenStops()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => fixture.Backend.Ntt(new Fr[8], NttOptions.Forward, cts.Token));
    }
}
