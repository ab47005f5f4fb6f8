using System.Numerics;
using CsCheck;

namespace Validium.Crypto.Tests;

/// <summary>
/// The fast single verify and the 8-lane batch verify against circomlibjs' verifyPoseidon verdicts (circomlib.json,
/// section verifyPoseidon) and against <see cref="EdDsaPoseidon.VerifyReference"/> on random genuine and corrupted
/// signatures. Batch tests run the lane code on both <see cref="FieldVec8"/> paths (switching
/// <see cref="FieldVec8.ForceScalar"/>, hence the collection), and the public entry, which verifies one at a time without AVX-512.
/// </summary>
[Collection(FieldVec8Collection.Name)]
public class EdDsaVerifyTests
{
    public static TheoryData<int> VerifyVectors => CircomlibVectors.Indices("verifyPoseidon");

    public static TheoryData<bool> Paths => new() { false, true };

    private static readonly BigInteger L = BabyJubjub.SubgroupOrder;

    private static (Fr Message, EdDsaSignature Signature, BabyJubjubPoint Key, bool Valid) Vector(int index)
    {
        var v = CircomlibVectors.Item("verifyPoseidon", index);
        var sig = new EdDsaSignature(new BabyJubjubPoint(v.Fr("r8x"), v.Fr("r8y")), BigInteger.Parse(v.Str("s")));
        return (v.Fr("message"), sig, new BabyJubjubPoint(v.Fr("ax"), v.Fr("ay")), v.GetProperty("valid").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(VerifyVectors))]
    public void Single_verify_gives_circomlibjs_verdict(int index)
    {
        var (msg, sig, key, valid) = Vector(index);
        Assert.Equal(valid, EdDsaPoseidon.Verify(msg, sig, key));
        Assert.Equal(valid, EdDsaPoseidon.VerifyReference(msg, sig, key));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Batch_verify_gives_circomlibjs_verdict_for_every_entry(bool scalar)
    {
        int n = CircomlibVectors.Get("verifyPoseidon").GetArrayLength();
        var cases = Enumerable.Range(0, n).Select(Vector).ToArray();
        var expected = cases.Select(c => c.Valid).ToArray();
        Assert.Contains(true, expected);
        Assert.Contains(false, expected);
        VecPath.Run(scalar, () => Assert.Equal(expected, Batch(cases.Select(c => (c.Message, c.Signature, c.Key)).ToArray())));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Circomlibjs_signatures_verify_in_a_batch(bool scalar)
    {
        var items = new List<(Fr, EdDsaSignature, BabyJubjubPoint)>();
        foreach (var v in CircomlibVectors.Get("signPoseidon").EnumerateArray())
        {
            var sig = new EdDsaSignature(new BabyJubjubPoint(v.Fr("r8x"), v.Fr("r8y")), BigInteger.Parse(v.Str("s")));
            var key = EdDsaPoseidon.PrivateToPublic(v.Hex("privateKey"));
            items.Add((v.Fr("message"), sig, key));
            Assert.True(EdDsaPoseidon.Verify(v.Fr("message"), sig, key));
        }
        VecPath.Run(scalar, () => Assert.All(Batch([.. items]), Assert.True));
    }

    [Fact]
    public void Negative_S_is_refused()
    {
        var (msg, sig, key) = Pool.Value.Genuine[0];
        var bad = sig with { S = sig.S - L };
        Assert.False(EdDsaPoseidon.Verify(msg, bad, key));
        Assert.False(EdDsaPoseidon.VerifyReference(msg, bad, key));
        Assert.Equal([true, false], Batch([(msg, sig, key), (msg, bad, key)]));
    }

    [Fact]
    public void Fast_verify_agrees_with_the_reference_on_random_corruptions()
    {
        RandomCase.Sample(c => EdDsaPoseidon.Verify(c.Message, c.Signature, c.Key) == EdDsaPoseidon.VerifyReference(c.Message, c.Signature, c.Key), iter: 60);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Batches_report_exactly_the_invalid_entries(bool scalar)
    {
        var pool = Pool.Value.Labelled;
        VecPath.Run(scalar, () => Gen.Int[0, pool.Length - 1].Array[0, 41].Sample(picks =>
        {
            var got = Batch([.. picks.Select(i => (pool[i].Message, pool[i].Signature, pool[i].Key))]);
            return got.SequenceEqual(picks.Select(i => pool[i].Valid));
        }, iter: 12));
    }

    [Fact]
    public void Batch_input_lengths_must_agree()
    {
        var (msg, sig, key) = Pool.Value.Genuine[0];
        Assert.Throws<ArgumentException>(() => EdDsaPoseidon.VerifyBatch([msg, msg], [sig], [key, key], new bool[2]));
        Assert.Throws<ArgumentException>(() => EdDsaPoseidon.VerifyBatch([msg], [sig], [key], new bool[2]));
        EdDsaPoseidon.VerifyBatch([], [], [], []);
    }

    [Fact]
    public void Naf_digits_are_odd_sparse_and_sum_to_the_scalar()
    {
        var below251 = Gen.ULong.Array[4].Select(l => new Limbs4(l[0], l[1], l[2], l[3] & ((1UL << 59) - 1)));
        Gen.Select(below251, Gen.OneOfConst(5, 8)).Sample((k, w) =>
        {
            Span<sbyte> digits = stackalloc sbyte[256];
            int top = EdDsaVerifier.Naf(k, w, digits);
            var sum = BigInteger.Zero;
            int lastNonzero = -w;
            for (int i = 0; i < 256; i++)
            {
                int d = digits[i];
                if (d == 0) continue;
                if ((d & 1) == 0 || Math.Abs(d) >= 1 << (w - 1) || i - lastNonzero < w || i >= top) return false;
                lastNonzero = i;
                sum += d * (BigInteger.One << i);
            }
            return sum == k.ToBigInteger();
        }, iter: 200);
    }

    [Fact]
    public void Batch_window_digits_are_signed_radix_32_and_sum_to_the_scalar()
    {
        var below251 = Gen.ULong.Array[4].Select(l => new Limbs4(l[0], l[1], l[2], l[3] & ((1UL << 59) - 1)));
        Gen.OneOf(below251, Gen.Const(EdDsaVerifier.L)).Sample(k =>
        {
            Span<sbyte> digits = stackalloc sbyte[51];
            EdDsaBatchVerifier.SignedDigits(k, digits);
            var sum = BigInteger.Zero;
            for (int j = 0; j < digits.Length; j++)
            {
                if (digits[j] is < -16 or > 15) return false;
                sum += digits[j] * BigInteger.Pow(32, j);
            }
            return sum == k.ToBigInteger();
        }, iter: 300);
    }

    [Fact]
    public void Reduction_mod_l_matches_BigInteger()
    {
        GenFr.Any.Sample(h => EdDsaVerifier.ReduceModL(h.ToCanonical()).ToBigInteger() == h.ToBigInteger() % L, iter: 300);
    }

    [Fact]
    public void Static_base_table_holds_odd_multiples_of_Base8()
    {
        foreach (int i in new[] { 0, 1, 2, 31, EdDsaVerifier.BaseTable.Length - 1 })
        {
            var expected = BabyJubjub.Multiply(BabyJubjub.Base8, 2 * i + 1);
            var entry = EdDsaVerifier.BaseTable[i];
            var u = MinusOneEdwards.C * expected.X;
            Assert.Equal(expected.Y + u, entry.YPlusX);
            Assert.Equal(expected.Y - u, entry.YMinusX);
            Assert.Equal(u * expected.Y * MinusOneEdwards.D2, entry.XY2d);
        }
    }

    [Fact]
    public void Minus_one_form_adds_and_doubles_like_the_reference_curve()
    {
        var points = Pool.Value.Points;
        Gen.Int[0, points.Length - 1].Select(Gen.Int[0, points.Length - 1]).Sample((i, j) =>
        {
            var p = MinusOneEdwards.FromAffine(points[i]);
            var q = MinusOneEdwards.FromAffine(points[j]);
            var sum = MinusOneEdwards.ToAffine(MinusOneEdwards.Add(p, q.ToCached()).ToProjective());
            var diff = MinusOneEdwards.ToAffine(MinusOneEdwards.Sub(p, q.ToCached()).ToProjective());
            var twice = MinusOneEdwards.ToAffine(MinusOneEdwards.Double(p.ToProjective()).ToProjective());
            return sum == BabyJubjub.Add(points[i], points[j]) && diff == BabyJubjub.Add(points[i], BabyJubjub.Negate(points[j]))
                && twice == BabyJubjub.Add(points[i], points[i]);
        }, iter: 40);
    }

    /// <summary>
    /// The public batch entry and the lane code itself (which the entry skips on the scalar fallback) on the same
    /// items; both must agree, and a sentinel past the end catches writes beyond the requested span.
    /// </summary>
    private static bool[] Batch((Fr Message, EdDsaSignature Signature, BabyJubjubPoint Key)[] items)
    {
        Fr[] messages = [.. items.Select(x => x.Message)];
        EdDsaSignature[] signatures = [.. items.Select(x => x.Signature)];
        BabyJubjubPoint[] keys = [.. items.Select(x => x.Key)];
        var viaEntry = new bool[items.Length + 1];
        var viaLanes = new bool[items.Length + 1];
        viaEntry[^1] = viaLanes[^1] = true;
        EdDsaPoseidon.VerifyBatch(messages, signatures, keys, viaEntry.AsSpan(0, items.Length));
        EdDsaBatchVerifier.Verify(messages, signatures, keys, viaLanes.AsSpan(0, items.Length));
        Assert.True(viaEntry[^1] && viaLanes[^1]);
        Assert.Equal(viaEntry, viaLanes);
        return viaEntry[..items.Length];
    }

    private record struct Case(Fr Message, EdDsaSignature Signature, BabyJubjubPoint Key);

    /// <summary>Signatures, keys and special points made once: signing runs the constant-time path and is slow.</summary>
    private sealed class SignaturePool
    {
        public required (Fr Message, EdDsaSignature Signature, BabyJubjubPoint Key)[] Genuine { get; init; }
        public required BabyJubjubPoint[] SmallOrder { get; init; }
        public required BabyJubjubPoint[] Points { get; init; }
        public required (Fr Message, EdDsaSignature Signature, BabyJubjubPoint Key, bool Valid)[] Labelled { get; init; }
    }

    private static readonly Lazy<SignaturePool> Pool = new(() =>
    {
        var rng = new Random(20261124);
        var genuine = Enumerable.Range(0, 12).Select(_ =>
        {
            var key = new byte[32];
            rng.NextBytes(key);
            var msg = Fr.Random(rng);
            return (msg, EdDsaPoseidon.Sign(key, msg), EdDsaPoseidon.PrivateToPublic(key));
        }).ToArray();
        var order8 = BabyJubjub.Multiply(BabyJubjub.Generator, BabyJubjub.SubgroupOrder);
        BabyJubjubPoint[] small = [BabyJubjubPoint.Identity, order8, BabyJubjub.Multiply(order8, 2), BabyJubjub.Multiply(order8, 4), BabyJubjub.Multiply(order8, 3)];
        var points = small.Concat(genuine.Select(g => g.Item3)).Concat(genuine.Select(g => g.Item2.R8)).Append(BabyJubjub.Generator).ToArray();
        var labelled = Enumerable.Range(0, 150).Select(_ => Corrupt(genuine, small, rng.Next(), rng.Next(16), rng.Next(), Fr.Random(rng), rng.Next(1, 10)))
            .Select(c => (c.Message, c.Signature, c.Key, EdDsaPoseidon.VerifyReference(c.Message, c.Signature, c.Key))).ToArray();
        return new SignaturePool { Genuine = genuine, SmallOrder = small, Points = points, Labelled = labelled };
    });

    private static Gen<Case> RandomCase => Gen.Select(Gen.Int[0, 1 << 20], Gen.Int[0, 15], Gen.Int[0, 1 << 20], GenFr.Any, Gen.Int[1, 9],
        (g, kind, t, f, k) => Corrupt(Pool.Value.Genuine, Pool.Value.SmallOrder, g, kind, t, f, k));

    /// <summary>
    /// Genuine signature g (mod the pool size) left alone (kinds 11-15, about a third of the time) or spoilt in one of
    /// the ways the rule must notice, or must let through (small-order keys and torsion are not refused as such).
    /// </summary>
    private static Case Corrupt((Fr Message, EdDsaSignature Signature, BabyJubjubPoint Key)[] genuine, BabyJubjubPoint[] small,
        int g, int kind, int t, Fr f, int k)
    {
        var (msg, sig, key) = genuine[g % genuine.Length];
        var other = genuine[(g + 1) % genuine.Length].Key;
        var torsion = small[t % small.Length];
        return kind switch
        {
            0 => new Case(msg + f, sig, key),
            1 => new Case(msg, sig with { S = (sig.S + f.ToBigInteger()) % L }, key),
            2 => new Case(msg, sig with { S = sig.S + k * L }, key),
            3 => new Case(msg, sig with { R8 = BabyJubjub.Add(sig.R8, torsion) }, key),
            4 => new Case(msg, sig with { R8 = BabyJubjub.Add(sig.R8, BabyJubjub.Base8) }, key),
            5 => new Case(msg, sig with { R8 = new BabyJubjubPoint(sig.R8.X, sig.R8.Y + f) }, key),
            6 => new Case(msg, sig, other),
            7 => new Case(msg, sig, BabyJubjub.Add(key, torsion)),
            8 => new Case(msg, sig, new BabyJubjubPoint(key.X + f, key.Y)),
            9 => new Case(msg, sig, BabyJubjub.Negate(key)),
            10 => new Case(f, sig with { R8 = BabyJubjubPoint.Identity, S = 0 }, torsion),
            _ => new Case(msg, sig, key),
        };
    }
}
