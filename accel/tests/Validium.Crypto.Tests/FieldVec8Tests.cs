using System.Numerics;
using CsCheck;

namespace Validium.Crypto.Tests;

/// <summary>
/// Tests that switch <see cref="FieldVec8.ForceScalar"/> run one at a time, so no other test sees the
/// fallback path switched under it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FieldVec8Collection
{
    public const string Name = "FieldVec8 path switch";
}

/// <summary>Runs a test body on the AVX-512 path (when the machine has it) or on the forced scalar fallback.</summary>
internal static class VecPath
{
    public static void Run(bool scalar, Action body)
    {
        FieldVec8.ForceScalar = scalar;
        try { body(); }
        finally { FieldVec8.ForceScalar = false; }
    }
}

/// <summary>The 8-lane field type against BigInteger and against the scalar Montgomery code, lane by lane.</summary>
[Collection(FieldVec8Collection.Name)]
public class FieldVec8Tests
{
    private static readonly BigInteger Two256 = BigInteger.One << 256;

    private static BigInteger[] Specials(BigInteger m) =>
        [0, 1, 2, m - 1, m - 2, (m - 1) / 2, (m + 1) / 2, Two256 % m, BigInteger.ModPow(Two256, 2, m), BigInteger.ModPow(2, 261, m), (BigInteger.One << 232) % m];

    /// <summary>Eight canonical values; half the lanes drawn from the special values where limb carries break.</summary>
    private static Gen<BigInteger[]> Lanes(BigInteger m) =>
        Gen.OneOf(Gen.OneOfConst(Specials(m)), Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % m)).Array[8];

    public static TheoryData<bool> Paths => new() { false, true };

    private static Limbs4[] Mont<TP>(BigInteger[] v) where TP : struct, IModulus =>
        [.. v.Select(x => Limbs4.FromBigInteger(x * Two256 % TP.Modulus.ToBigInteger()))];

    private static BigInteger[] Values<TP>(in FieldVec8<TP> v) where TP : struct, IModulus
    {
        var p = TP.Modulus.ToBigInteger();
        var inv = BigInteger.ModPow(Two256, p - 2, p);
        var lanes = new Limbs4[8];
        v.Store(lanes);
        Assert.All(lanes, l => Assert.True(l.ToBigInteger() < p, "stored lane is not fully reduced"));
        return [.. lanes.Select(l => l.ToBigInteger() * inv % p)];
    }

    private static void CheckArithmetic<TP>(BigInteger[] a, BigInteger[] b) where TP : struct, IModulus
    {
        var p = TP.Modulus.ToBigInteger();
        var va = FieldVec8<TP>.Load(Mont<TP>(a));
        var vb = FieldVec8<TP>.Load(Mont<TP>(b));
        var prod = Values(FieldVec8<TP>.Mul(va, vb));
        var sq = Values(FieldVec8<TP>.Square(va));
        var sum = Values(FieldVec8<TP>.Add(va, vb));
        var diff = Values(FieldVec8<TP>.Sub(va, vb));
        var back = Values(va);
        var k = new FieldVec8<TP>.Scalar(Mont<TP>(b)[7]);
        var prodK = Values(FieldVec8<TP>.Mul(va, k));
        var sumK = Values(FieldVec8<TP>.Add(va, k));
        for (int e = 0; e < 8; e++)
        {
            Assert.Equal(a[e] * b[e] % p, prod[e]);
            Assert.Equal(a[e] * a[e] % p, sq[e]);
            Assert.Equal((a[e] + b[e]) % p, sum[e]);
            Assert.Equal(((a[e] - b[e]) % p + p) % p, diff[e]);
            Assert.Equal(a[e], back[e]);
            Assert.Equal(a[e] * b[7] % p, prodK[e]);
            Assert.Equal((a[e] + b[7]) % p, sumK[e]);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Fr_lanes_match_BigInteger(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Select(Lanes(Fr.Modulus), Lanes(Fr.Modulus)).Sample((a, b) => CheckArithmetic<FrModulus>(a, b)));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Fp_lanes_match_BigInteger(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Select(Lanes(Fp.Modulus), Lanes(Fp.Modulus)).Sample((a, b) => CheckArithmetic<FpModulus>(a, b)));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Special_values_pairwise(bool scalar) => VecPath.Run(scalar, () =>
    {
        foreach (var m in new[] { Fr.Modulus, Fp.Modulus })
        {
            var s = Specials(m);
            foreach (var x in s)
            {
                var a = Enumerable.Repeat(x, 8).ToArray();
                var b = Enumerable.Range(0, 8).Select(i => s[i % s.Length]).ToArray();
                var c = Enumerable.Range(0, 8).Select(i => s[(i + 8) % s.Length]).ToArray();
                if (m == Fr.Modulus) { CheckArithmetic<FrModulus>(a, b); CheckArithmetic<FrModulus>(a, c); }
                else { CheckArithmetic<FpModulus>(a, b); CheckArithmetic<FpModulus>(a, c); }
            }
        }
    });

    /// <summary>
    /// Sums and differences left unreduced for a product (AddForMul, SubForMul, and AddForMul of two differences as the
    /// G2 Karatsuba cross term takes them) multiply to the values BigInteger gives. The inputs are products, so lanes
    /// can sit anywhere below 2p, the widest that Add and Sub accept.
    /// </summary>
    private static void CheckUnreducedFactors<TP>(BigInteger[] a, BigInteger[] b, BigInteger[] c) where TP : struct, IModulus
    {
        var p = TP.Modulus.ToBigInteger();
        var one = FieldVec8<TP>.Load(Mont<TP>([.. Enumerable.Repeat(BigInteger.One, 8)]));
        var va = FieldVec8<TP>.Mul(FieldVec8<TP>.Load(Mont<TP>(a)), one);
        var vb = FieldVec8<TP>.Mul(FieldVec8<TP>.Load(Mont<TP>(b)), one);
        var vc = FieldVec8<TP>.Mul(FieldVec8<TP>.Load(Mont<TP>(c)), one);
        var diff = Values(FieldVec8<TP>.Mul(FieldVec8<TP>.SubForMul(va, vb), vc));
        var sum = Values(FieldVec8<TP>.Mul(vc, FieldVec8<TP>.AddForMul(va, vb)));
        var twoDiffs = FieldVec8<TP>.AddForMul(FieldVec8<TP>.SubForMul(va, vb), FieldVec8<TP>.SubForMul(vc, vb));
        var widest = Values(FieldVec8<TP>.Mul(twoDiffs, FieldVec8<TP>.AddForMul(FieldVec8<TP>.SubForMul(vb, vc), FieldVec8<TP>.SubForMul(vb, va))));
        var crossed = Values(FieldVec8<TP>.Mul(twoDiffs, FieldVec8<TP>.AddForMul(va, vc)));
        BigInteger Mod(BigInteger x) => (x % p + p) % p;
        for (int e = 0; e < 8; e++)
        {
            Assert.Equal(Mod((a[e] - b[e]) * c[e]), diff[e]);
            Assert.Equal(Mod((a[e] + b[e]) * c[e]), sum[e]);
            Assert.Equal(Mod((a[e] + c[e] - 2 * b[e]) * (2 * b[e] - c[e] - a[e])), widest[e]);
            Assert.Equal(Mod((a[e] + c[e] - 2 * b[e]) * (a[e] + c[e])), crossed[e]);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Unreduced_factors_multiply_like_reduced_ones(bool scalar) => VecPath.Run(scalar, () =>
    {
        Gen.Select(Lanes(Fp.Modulus), Lanes(Fp.Modulus), Lanes(Fp.Modulus)).Sample((a, b, c) => CheckUnreducedFactors<FpModulus>(a, b, c));
        Gen.Select(Lanes(Fr.Modulus), Lanes(Fr.Modulus), Lanes(Fr.Modulus)).Sample((a, b, c) => CheckUnreducedFactors<FrModulus>(a, b, c));
    });

    /// <summary>
    /// Per-lane lookups read entries stored as 32·v (Montgomery) and yield v, the same on both paths; indices repeat
    /// and run in any order, as table digits do.
    /// </summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void Indexed_scaled_gather_reads_each_lane_from_its_own_index(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Select(GenFr.Any.Array[20], Gen.Int[0, 19].Array[8]).Sample((values, index) =>
        {
            var table = values.Select(v => (v * Fr.FromUInt64(32)).MontgomeryLimbs).ToArray();
            var lanes = new Fr[8];
            FieldVec8.Store(FieldVec8<FrModulus>.GatherScaled(table, index), lanes);
            return Enumerable.Range(0, 8).All(e => lanes[e] == values[index[e]]);
        }));

    /// <summary>
    /// Long mixed chains keep unreduced lanes (below 2p) flowing between operations, where a wrong bound would
    /// surface; Fr's own operators are the oracle, so equality here is bit equality with Fr.
    /// </summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void Operation_chains_equal_Fr(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Select(GenFr.Any.Array[8], GenFr.Any.Array[8], Gen.Int[0, 3].Array[40]).Sample((a, b, ops) =>
        {
            var x = FieldVec8.Load(a);
            var y = FieldVec8.Load(b);
            var xs = (Fr[])a.Clone();
            foreach (var op in ops)
            {
                x = op switch
                {
                    0 => FieldVec8<FrModulus>.Mul(x, y),
                    1 => FieldVec8<FrModulus>.Square(x),
                    2 => FieldVec8<FrModulus>.Add(x, y),
                    _ => FieldVec8<FrModulus>.Sub(x, y),
                };
                for (int e = 0; e < 8; e++)
                    xs[e] = op switch { 0 => xs[e] * b[e], 1 => xs[e].Square(), 2 => xs[e] + b[e], _ => xs[e] - b[e] };
                y = FieldVec8<FrModulus>.Add(y, x);
                for (int e = 0; e < 8; e++) b[e] += xs[e];
            }
            var got = new Fr[8];
            FieldVec8.Store(x, got);
            Assert.Equal(xs, got);
        }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Gather_scatter_and_broadcast(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Select(GenFr.Any.Array[24], GenFr.Any).Sample((src, c) =>
        {
            var limbs = src.Select(f => f.MontgomeryLimbs).ToArray();
            var v = FieldVec8<FrModulus>.Gather(limbs, 1, 3);
            var dst = new Limbs4[24];
            v.Scatter(dst, 2, 3);
            for (int e = 0; e < 8; e++) Assert.Equal(limbs[1 + 3 * e], dst[2 + 3 * e]);
            var bc = new Fr[8];
            FieldVec8.Store(FieldVec8<FrModulus>.Broadcast(c.MontgomeryLimbs), bc);
            Assert.All(bc, x => Assert.Equal(c, x));
        }));

    /// <summary>Six products of the largest lanes fill a Wide to its proven bound; a seventh is refused.</summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void Wide_sums_match_BigInteger(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Select(Gen.Select(Lanes(Fr.Modulus), Gen.OneOf(Gen.Const(Fr.Modulus - 1), Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % Fr.Modulus))).Array[6], Gen.Int[1, 6])
            .Sample((terms, n) =>
            {
                var p = Fr.Modulus;
                var w = default(FieldVec8<FrModulus>.Wide);
                var expected = new BigInteger[8];
                foreach (var (lanes, k) in terms.Take(n))
                {
                    var x = FieldVec8<FrModulus>.Load(Mont<FrModulus>(lanes));
                    FieldVec8<FrModulus>.MulAdd(ref w, x, new FieldVec8<FrModulus>.Scalar(Mont<FrModulus>([k])[0]));
                    for (int e = 0; e < 8; e++) expected[e] = (expected[e] + lanes[e] * k) % p;
                }
                Assert.Equal(expected, Values(FieldVec8<FrModulus>.Reduce(w)));
            }));

    [Fact]
    public void Wide_refuses_a_seventh_term()
    {
        var w = default(FieldVec8<FrModulus>.Wide);
        var x = FieldVec8<FrModulus>.Broadcast(Fr.One.MontgomeryLimbs);
        var k = new FieldVec8<FrModulus>.Scalar(Fr.One.MontgomeryLimbs);
        for (int i = 0; i < FieldVec8<FrModulus>.MaxWideTerms; i++) FieldVec8<FrModulus>.MulAdd(ref w, x, k);
        Assert.Throws<InvalidOperationException>(() => FieldVec8<FrModulus>.MulAdd(ref w, x, k));
    }

    [Fact]
    public void Fallback_is_forced_and_hardware_path_is_reported()
    {
        VecPath.Run(true, () => Assert.False(FieldVec8.IsAccelerated));
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, FieldVec8.IsAccelerated);
    }
}
