using System.Numerics;
using CsCheck;
using Validium.Crypto;

namespace Validium.Accel.Gpu.Tests;

[Collection(GpuCollection.Name)]
public class FieldKernelTests(GpuFixture fixture)
{
    private static readonly BigInteger Two256 = BigInteger.One << 256;

    private static BigInteger[] Specials(BigInteger m) =>
        [0, 1, 2, m - 1, m - 2, (m - 1) / 2, Two256 % m, BigInteger.ModPow(Two256, 2, m), (BigInteger.One << 32) % m, ((BigInteger.One << 224) - 1) % m];

    [Fact]
    public void DeviceConstantsMatchTheModuli()
    {
        var w32 = BigInteger.One << 32;
        // −p^-1 mod 2^32 from first principles: p·n0 ≡ −1 (mod 2^32).
        Assert.Equal(w32 - 1, Fp.Modulus * FpDevice.N0 % w32);
        Assert.Equal(w32 - 1, Fr.Modulus * FrDevice.N0 % w32);
        Assert.Equal(Fp.Modulus, FpDevice.P.ToLimbs4().ToBigInteger());
        Assert.Equal(Fr.Modulus, FrDevice.P.ToLimbs4().ToBigInteger());
        Assert.Equal(Two256 % Fp.Modulus, FpDevice.One.ToLimbs4().ToBigInteger());
        Assert.Equal(Two256 % Fr.Modulus, FrDevice.One.ToLimbs4().ToBigInteger());
    }

    [Fact]
    public void Limbs8RoundTripsLimbs4BitForBit()
    {
        var (rng, seed) = GpuFixture.Seeded();
        for (int i = 0; i < 100; i++)
        {
            var v = Fr.Random(rng).MontgomeryLimbs;
            var l8 = Limbs8.FromLimbs4(v);
            Assert.True(v.Equals(l8.ToLimbs4()), $"seed {seed}");
            Assert.Equal((uint)v.L0, l8.L0);
            Assert.Equal((uint)(v.L3 >> 32), l8.L7);
        }
    }

    [Fact]
    public void FrOpsMatchReference()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var values = Specials(Fr.Modulus).Select(Fr.FromBigInteger).Concat(Enumerable.Range(0, 8).Select(_ => Fr.Random(rng))).ToArray();
        var a = values.SelectMany(x => values.Select(_ => x)).ToArray();
        var b = values.SelectMany(_ => values).ToArray();
        Check(FieldOp.Add, a, b, (x, y) => x + y, seed);
        Check(FieldOp.Sub, a, b, (x, y) => x - y, seed);
        Check(FieldOp.Mul, a, b, (x, y) => x * y, seed);
    }

    [Fact]
    public void FpOpsMatchReference()
    {
        var (rng, seed) = GpuFixture.Seeded();
        var values = Specials(Fp.Modulus).Select(Fp.FromBigInteger).Concat(Enumerable.Range(0, 8).Select(_ => Fp.Random(rng))).ToArray();
        var a = values.SelectMany(x => values.Select(_ => x)).ToArray();
        var b = values.SelectMany(_ => values).ToArray();
        Check(FieldOp.Add, a, b, (x, y) => x + y, seed);
        Check(FieldOp.Sub, a, b, (x, y) => x - y, seed);
        Check(FieldOp.Mul, a, b, (x, y) => x * y, seed);
    }

    /// <summary>Random batches, one launch per sample; CsCheck reports the seed of a failing sample for replay.</summary>
    [Fact]
    public void RandomBatchesMatchReference()
    {
        var fr = Gen.Byte.Array[32].Select(b => Fr.FromBytesReduced(b));
        Gen.Select(fr.Array[1, 20], Gen.Int[0, 2]).Sample((xs, op) =>
        {
            var ys = xs.Reverse().ToArray();
            var got = fixture.Backend.RunFieldOp(false, (FieldOp)op, xs.Select(Limbs8.From).ToArray(), ys.Select(Limbs8.From).ToArray());
            for (int i = 0; i < xs.Length; i++)
            {
                var expected = op == 0 ? xs[i] + ys[i] : op == 1 ? xs[i] - ys[i] : xs[i] * ys[i];
                if (expected != got[i].ToFr()) return false;
            }
            return true;
        }, iter: 30);
    }

    private void Check(FieldOp op, Fr[] a, Fr[] b, Func<Fr, Fr, Fr> reference, int seed)
    {
        var got = fixture.Backend.RunFieldOp(false, op, a.Select(Limbs8.From).ToArray(), b.Select(Limbs8.From).ToArray());
        for (int i = 0; i < a.Length; i++)
            Assert.True(reference(a[i], b[i]) == got[i].ToFr(), $"Fr {op}({a[i]}, {b[i]}) gave {got[i]}; seed {seed}");
    }

    private void Check(FieldOp op, Fp[] a, Fp[] b, Func<Fp, Fp, Fp> reference, int seed)
    {
        var got = fixture.Backend.RunFieldOp(true, op, a.Select(Limbs8.From).ToArray(), b.Select(Limbs8.From).ToArray());
        for (int i = 0; i < a.Length; i++)
            Assert.True(reference(a[i], b[i]) == got[i].ToFp(), $"Fp {op}({a[i]}, {b[i]}) gave {got[i]}; seed {seed}");
    }
}
