using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Validium.Crypto;

/// <summary>Path selection and Fr/Fp conveniences for <see cref="FieldVec8{TP}"/>.</summary>
public static class FieldVec8
{
    private static readonly bool Hardware = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>
    /// True when the AVX-512 path runs. Tests clear it through <see cref="ForceScalar"/>; a value built on one
    /// path must not be used after switching, since the two paths store lanes differently.
    /// </summary>
    public static bool IsAccelerated => Hardware && !ForceScalar;

    internal static bool ForceScalar { get; set; }

    public static FieldVec8<FrModulus> Load(ReadOnlySpan<Fr> src) => FieldVec8<FrModulus>.Load(MemoryMarshal.Cast<Fr, Limbs4>(src));

    public static FieldVec8<FpModulus> Load(ReadOnlySpan<Fp> src) => FieldVec8<FpModulus>.Load(MemoryMarshal.Cast<Fp, Limbs4>(src));

    public static void Store(in FieldVec8<FrModulus> v, Span<Fr> dst) => v.Store(MemoryMarshal.Cast<Fr, Limbs4>(dst));

    public static void Store(in FieldVec8<FpModulus> v, Span<Fp> dst) => v.Store(MemoryMarshal.Cast<Fp, Limbs4>(dst));
}

/// <summary>
/// Eight independent elements of a 4-limb Montgomery field, multiplied eight at a time with AVX-512.
/// <para>
/// Vector layout (structure of arrays): limb k of lane e sits in 64-bit lane e of <c>l{k}</c>. Nine limbs of
/// radix 2^29 (261 bits) keep every limb below 2^32, the input width of vpmuludq, and leave 35 bits of
/// headroom in each 64-bit lane so column sums need no carry handling until the end of a column.
/// Internally a lane holds x·2^261 mod p (Montgomery with R' = 2^261), as any integer below 2p whose limbs are
/// below 2^29; the top limb is then below 2^23 since 2p &lt; 2^255. Load and Store convert from/to the R = 2^256
/// form of <see cref="Mont{TP}"/> with one multiplication by a constant, so results equal Fr/Fp bit for bit.
/// </para>
/// <para>
/// Multiplication bounds (FieldVec8.Mul.g.cs): a column of the product gets at most 9 limb products and the
/// interleaved reduction 9 more, each below 2^58, plus a carry below 2^35: under 18·2^58 + 2^35 &lt; 2^63, so the
/// 64-bit lanes never wrap. The result is (a·b + m·p)/2^261 with m &lt; 2^261, below a·b/2^261 + p; for a, b &lt; 2p
/// that is below 4p²/2^261 + p &lt; 2p because 4p &lt; 2^261, so products feed further products with no final
/// subtraction. Add and Sub end in one conditional subtraction of 2p, which keeps the same invariant.
/// </para>
/// <para>Without AVX-512 the first 256 bytes hold the eight lanes as <see cref="Limbs4"/> and every operation is <see cref="Mont{TP}"/>.</para>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public partial struct FieldVec8<TP> where TP : struct, IModulus
{
    public const int Count = 8;
    private const int LimbBits = 29;
    private const ulong LimbMask = (1UL << LimbBits) - 1;

    private Vector512<ulong> l0, l1, l2, l3, l4, l5, l6, l7, l8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FieldVec8(Vector512<ulong> r0, Vector512<ulong> r1, Vector512<ulong> r2, Vector512<ulong> r3, Vector512<ulong> r4,
        Vector512<ulong> r5, Vector512<ulong> r6, Vector512<ulong> r7, Vector512<ulong> r8)
    {
        l0 = r0; l1 = r1; l2 = r2; l3 = r3; l4 = r4; l5 = r5; l6 = r6; l7 = r7; l8 = r8;
    }

    private static readonly BigInteger PInt = TP.Modulus.ToBigInteger();
    private static readonly Vector512<ulong> P0 = Limb(PInt, 0), P1 = Limb(PInt, 1), P2 = Limb(PInt, 2), P3 = Limb(PInt, 3),
        P4 = Limb(PInt, 4), P5 = Limb(PInt, 5), P6 = Limb(PInt, 6), P7 = Limb(PInt, 7), P8 = Limb(PInt, 8);

    /// <summary>
    /// 2^266 mod p: Montgomery-multiplying x·2^256 by it gives x·2^256·2^266/2^261 = x·2^261, the internal form.
    /// Its product with any 256-bit input stays below 2^256·p/2^261 + p &lt; 2p, so Load accepts every Limbs4.
    /// </summary>
    private static readonly FieldVec8<TP> ToInternal = BroadcastInteger(BigInteger.ModPow(2, 266, PInt));

    /// <summary>2^256 mod p: Montgomery-multiplying x·2^261 by it gives x·2^256, the form Fr/Fp keep.</summary>
    private static readonly FieldVec8<TP> FromInternal = BroadcastInteger(BigInteger.ModPow(2, 256, PInt));

    private static readonly FieldVec8<TP> TwoP = BroadcastInteger(2 * PInt), OneP = BroadcastInteger(PInt);

    private static Vector512<ulong> Limb(BigInteger v, int k) => Vector512.Create((ulong)((v >> (LimbBits * k)) & LimbMask));

    private static FieldVec8<TP> BroadcastInteger(BigInteger v) =>
        new(Limb(v, 0), Limb(v, 1), Limb(v, 2), Limb(v, 3), Limb(v, 4), Limb(v, 5), Limb(v, 6), Limb(v, 7), Limb(v, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> M(Vector512<ulong> a, Vector512<ulong> b) => Avx512F.Multiply(a.AsUInt32(), b.AsUInt32());

    private Span<Limbs4> Lanes => MemoryMarshal.CreateSpan(ref Unsafe.As<Vector512<ulong>, Limbs4>(ref l0), Count);

    private static ReadOnlySpan<Limbs4> LanesOf(in FieldVec8<TP> v) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector512<ulong>, Limbs4>(ref Unsafe.AsRef(in v.l0)), Count);

    /// <summary>Eight elements in Montgomery form (x·2^256 mod p), as Fr/Fp hold them.</summary>
    public static FieldVec8<TP> Load(ReadOnlySpan<Limbs4> montgomery) => Gather(montgomery[..Count], 0, 1);

    /// <summary>Lanes e = 0..7 from montgomery[start + e·stride].</summary>
    public static FieldVec8<TP> Gather(ReadOnlySpan<Limbs4> montgomery, int start, int stride)
    {
        if (FieldVec8.IsAccelerated) return MulVector(Split(montgomery, start, stride), ToInternal);
        var r = default(FieldVec8<TP>);
        for (int e = 0; e < Count; e++) r.Lanes[e] = montgomery[start + e * stride];
        return r;
    }

    /// <summary>
    /// Like <see cref="Gather"/> but lane e stands for x_e·2^-5, for callers that fold the factor into their
    /// formulas: on the AVX-512 path the limbs are taken as they are (x·2^256 read as an internal x·2^-5·2^261),
    /// saving the conversion multiply. Inputs must be canonical (below p).
    /// </summary>
    internal static FieldVec8<TP> GatherScaled(ReadOnlySpan<Limbs4> montgomery, int start, int stride)
    {
        if (FieldVec8.IsAccelerated) return Split(montgomery, start, stride);
        var r = default(FieldVec8<TP>);
        for (int e = 0; e < Count; e++) r.Lanes[e] = Mont<TP>.Mul(montgomery[start + e * stride], ScaleDown);
        return r;
    }

    /// <summary>
    /// <see cref="GatherScaled(ReadOnlySpan{Limbs4}, int, int)"/> with lane e read from montgomery[index[e]]: per-lane
    /// table lookups, as when each lane multiplies by its own scalar.
    /// </summary>
    internal static FieldVec8<TP> GatherScaled(ReadOnlySpan<Limbs4> montgomery, ReadOnlySpan<int> index)
    {
        if (index.Length != Count) throw new ArgumentException($"need {Count} indices", nameof(index));
        if (FieldVec8.IsAccelerated)
        {
            foreach (int i in index) _ = montgomery[i]; // bounds checks for the unchecked reads in LoadPairAt
            ref ulong src = ref Unsafe.As<Limbs4, ulong>(ref MemoryMarshal.GetReference(montgomery));
            return Transpose(LoadPairAt(ref src, index[0], index[1]), LoadPairAt(ref src, index[2], index[3]),
                LoadPairAt(ref src, index[4], index[5]), LoadPairAt(ref src, index[6], index[7]));
        }
        var r = default(FieldVec8<TP>);
        for (int e = 0; e < Count; e++) r.Lanes[e] = Mont<TP>.Mul(montgomery[index[e]], ScaleDown);
        return r;
    }

    private static readonly Limbs4 ScaleDown = Limbs4.FromBigInteger(BigInteger.ModPow(2, 251, PInt));
    private static readonly Limbs4 ScaleUp = Limbs4.FromBigInteger(BigInteger.ModPow(2, 261, PInt));

    /// <summary>
    /// Eight 4×64-bit values into nine 29-bit limb vectors: two lanes per zmm, a two-step vpermt2q transpose to
    /// one 64-bit word position per vector, then shifts. About forty vector instructions where the lane-by-lane
    /// split took some three hundred scalar ones.
    /// </summary>
    private static FieldVec8<TP> Split(ReadOnlySpan<Limbs4> montgomery, int start, int stride)
    {
        // Lane indices are monotonic in e, so checking the first and last covers the unchecked reads below.
        _ = montgomery[start];
        _ = montgomery[start + (Count - 1) * stride];
        ref ulong src = ref Unsafe.As<Limbs4, ulong>(ref MemoryMarshal.GetReference(montgomery));
        return Transpose(LoadPair(ref src, start, stride), LoadPair(ref src, start + 2 * stride, stride),
            LoadPair(ref src, start + 4 * stride, stride), LoadPair(ref src, start + 6 * stride, stride));
    }

    /// <summary>Lanes 2j and 2j + 1 in z_j, as four 64-bit words each, to nine limb vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldVec8<TP> Transpose(Vector512<ulong> z0, Vector512<ulong> z1, Vector512<ulong> z2, Vector512<ulong> z3)
    {
        var even = Vector512.Create(0UL, 4, 8, 12, 1, 5, 9, 13);
        var odd = Vector512.Create(2UL, 6, 10, 14, 3, 7, 11, 15);
        var lo = Vector512.Create(0UL, 1, 2, 3, 8, 9, 10, 11);
        var hi = Vector512.Create(4UL, 5, 6, 7, 12, 13, 14, 15);
        var t0 = Avx512F.PermuteVar8x64x2(z0, even, z1); // word 0 of lanes 0-3, word 1 of lanes 0-3
        var t1 = Avx512F.PermuteVar8x64x2(z0, odd, z1);  // words 2 and 3 of lanes 0-3
        var t2 = Avx512F.PermuteVar8x64x2(z2, even, z3);
        var t3 = Avx512F.PermuteVar8x64x2(z2, odd, z3);
        var w0 = Avx512F.PermuteVar8x64x2(t0, lo, t2);
        var w1 = Avx512F.PermuteVar8x64x2(t0, hi, t2);
        var w2 = Avx512F.PermuteVar8x64x2(t1, lo, t3);
        var w3 = Avx512F.PermuteVar8x64x2(t1, hi, t3);
        var mask = Vector512.Create(LimbMask);
        return new(w0 & mask, (w0 >> 29) & mask, ((w0 >> 58) | (w1 << 6)) & mask, (w1 >> 23) & mask, ((w1 >> 52) | (w2 << 12)) & mask,
            (w2 >> 17) & mask, ((w2 >> 46) | (w3 << 18)) & mask, (w3 >> 11) & mask, w3 >> 40);
    }

    /// <summary>Writes the eight lanes in Montgomery form (x·2^256 mod p), fully reduced.</summary>
    public readonly void Store(Span<Limbs4> montgomery) => Scatter(montgomery[..Count], 0, 1);

    /// <summary>Writes lane e to montgomery[start + e·stride].</summary>
    public readonly void Scatter(Span<Limbs4> montgomery, int start, int stride)
    {
        if (FieldVec8.IsAccelerated)
        {
            // The product is below 2p·p/2^261 + p < 2p, so one conditional subtraction makes it canonical.
            SubtractIfNotBelow(MulVector(this, FromInternal), OneP).Pack(montgomery, start, stride);
            return;
        }
        var lanes = LanesOf(this);
        for (int e = 0; e < Count; e++) montgomery[start + e * stride] = lanes[e];
    }

    /// <summary>The inverse of <see cref="GatherScaled"/>: writes x_e·2^5 in Montgomery form, i.e. lane e standing for y writes 32·y.</summary>
    internal readonly void ScatterScaled(Span<Limbs4> montgomery, int start, int stride)
    {
        if (FieldVec8.IsAccelerated)
        {
            SubtractIfNotBelow(this, OneP).Pack(montgomery, start, stride);
            return;
        }
        var lanes = LanesOf(this);
        for (int e = 0; e < Count; e++) montgomery[start + e * stride] = Mont<TP>.Mul(lanes[e], ScaleUp);
    }

    /// <summary>Joins canonical 29-bit limbs back into four 64-bit words per lane: Split run backwards.</summary>
    private readonly void Pack(Span<Limbs4> montgomery, int start, int stride)
    {
        _ = montgomery[start];
        _ = montgomery[start + (Count - 1) * stride];
        var w0 = l0 | (l1 << 29) | (l2 << 58);
        var w1 = (l2 >> 6) | (l3 << 23) | (l4 << 52);
        var w2 = (l4 >> 12) | (l5 << 17) | (l6 << 46);
        var w3 = (l6 >> 18) | (l7 << 11) | (l8 << 40);
        var lo = Vector512.Create(0UL, 1, 2, 3, 8, 9, 10, 11);
        var hi = Vector512.Create(4UL, 5, 6, 7, 12, 13, 14, 15);
        var t0 = Avx512F.PermuteVar8x64x2(w0, lo, w1); // words 0 of lanes 0-3, words 1 of lanes 0-3
        var t1 = Avx512F.PermuteVar8x64x2(w2, lo, w3);
        var t2 = Avx512F.PermuteVar8x64x2(w0, hi, w1); // the same for lanes 4-7
        var t3 = Avx512F.PermuteVar8x64x2(w2, hi, w3);
        var even = Vector512.Create(0UL, 4, 8, 12, 1, 5, 9, 13);
        var odd = Vector512.Create(2UL, 6, 10, 14, 3, 7, 11, 15);
        ref ulong dst = ref Unsafe.As<Limbs4, ulong>(ref MemoryMarshal.GetReference(montgomery));
        StorePair(ref dst, start, stride, Avx512F.PermuteVar8x64x2(t0, even, t1));
        StorePair(ref dst, start + 2 * stride, stride, Avx512F.PermuteVar8x64x2(t0, odd, t1));
        StorePair(ref dst, start + 4 * stride, stride, Avx512F.PermuteVar8x64x2(t2, even, t3));
        StorePair(ref dst, start + 6 * stride, stride, Avx512F.PermuteVar8x64x2(t2, odd, t3));
    }

    /// <summary>Limbs4 number i and i + stride (in ulong units from words) as the two halves of one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> LoadPair(ref ulong words, int i, int stride) =>
        Vector512.Create(Vector256.LoadUnsafe(ref words, (nuint)(4 * i)), Vector256.LoadUnsafe(ref words, (nuint)(4 * (i + stride))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> LoadPairAt(ref ulong words, int i, int j) =>
        Vector512.Create(Vector256.LoadUnsafe(ref words, (nuint)(4 * i)), Vector256.LoadUnsafe(ref words, (nuint)(4 * j)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(ref ulong words, int i, int stride, Vector512<ulong> pair)
    {
        pair.GetLower().StoreUnsafe(ref words, (nuint)(4 * i));
        pair.GetUpper().StoreUnsafe(ref words, (nuint)(4 * (i + stride)));
    }

    /// <summary>All eight lanes equal to one element in Montgomery form.</summary>
    public static FieldVec8<TP> Broadcast(Limbs4 montgomery)
    {
        Span<Limbs4> lanes = stackalloc Limbs4[Count];
        lanes.Fill(montgomery);
        return Load(lanes);
    }

    /// <summary>
    /// One element to combine with all eight lanes, kept as its nine internal limbs (72 bytes) and broadcast as it
    /// is read, so tables of constants stay an eighth the size of tables of vectors.
    /// </summary>
    public readonly struct Scalar
    {
        internal readonly Limbs4 Montgomery;
        internal readonly ulong K0, K1, K2, K3, K4, K5, K6, K7, K8;

        /// <summary>From the Montgomery form x·2^256 mod p (any value below 2^256).</summary>
        public Scalar(Limbs4 montgomery)
        {
            Montgomery = montgomery;
            // x·2^261 = (x·2^256)·2^5 mod p, reduced below p, which satisfies the lane invariant.
            var p = TP.Modulus.ToBigInteger();
            var v = (montgomery.ToBigInteger() << 5) % p;
            ulong K(int k) => (ulong)((v >> (LimbBits * k)) & LimbMask);
            K0 = K(0); K1 = K(1); K2 = K(2); K3 = K(3); K4 = K(4); K5 = K(5); K6 = K(6); K7 = K(7); K8 = K(8);
        }
    }

    public static FieldVec8<TP> Mul(in FieldVec8<TP> a, in Scalar c)
    {
        if (FieldVec8.IsAccelerated) return MulVector(a, c);
        var r = default(FieldVec8<TP>);
        var x = LanesOf(a);
        for (int e = 0; e < Count; e++) r.Lanes[e] = Mont<TP>.Mul(x[e], c.Montgomery);
        return r;
    }

    public static FieldVec8<TP> Add(in FieldVec8<TP> a, in Scalar c)
    {
        if (FieldVec8.IsAccelerated)
        {
            // As in Add of two vectors: c is below p, so the sum is below 3p and its limbs below 2^30.
            return SubtractIfNotBelow(new(a.l0 + Vector512.Create(c.K0), a.l1 + Vector512.Create(c.K1), a.l2 + Vector512.Create(c.K2),
                a.l3 + Vector512.Create(c.K3), a.l4 + Vector512.Create(c.K4), a.l5 + Vector512.Create(c.K5), a.l6 + Vector512.Create(c.K6),
                a.l7 + Vector512.Create(c.K7), a.l8 + Vector512.Create(c.K8)), TwoP);
        }
        var r = default(FieldVec8<TP>);
        var x = LanesOf(a);
        for (int e = 0; e < Count; e++) r.Lanes[e] = Mont<TP>.Add(x[e], c.Montgomery);
        return r;
    }

    /// <summary>Most products one <see cref="Wide"/> may accumulate before <see cref="Reduce"/>.</summary>
    public const int MaxWideTerms = 6;

    /// <summary>
    /// An unreduced sum of up to <see cref="MaxWideTerms"/> products a·c, reduced once: a dot product then
    /// costs one Montgomery reduction instead of one per term. Start from <c>default</c>.
    /// <para>
    /// Bounds: one product adds at most 9 limb products below 2^58 to a column, and the reduction adds 9 more
    /// plus a carry below 2^35, so six terms keep every column below 63·2^58 + 2^35 &lt; 2^64. The sum is below
    /// 6·2p·p, and 12p &lt; 2^261 keeps the reduced value below 12p²/2^261 + p &lt; 2p.
    /// </para>
    /// <para>
/// Multiplication bounds (FieldVec8.Mul.g.cs): a column of the product gets at most 9 limb products and the
/// interleaved reduction 9 more, each below 2^58, plus a carry below 2^35: under 18·2^58 + 2^35 &lt; 2^63, so the
/// 64-bit lanes never wrap. The result is (a·b + m·p)/2^261 with m &lt; 2^261, below a·b/2^261 + p; for a, b &lt; 2p
/// that is below 4p²/2^261 + p &lt; 2p because 4p &lt; 2^261, so products feed further products with no final
/// subtraction. Add and Sub end in one conditional subtraction of 2p, which keeps the same invariant.
/// </para>
/// <para>Without AVX-512 the first 256 bytes hold the eight lane sums as <see cref="Limbs4"/>.</para>
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Wide
    {
        private Columns columns;
        internal int Terms;

        [InlineArray(2 * 9 - 1)]
        private struct Columns
        {
            private Vector512<ulong> element;
        }

        internal Span<Limbs4> Lanes => MemoryMarshal.CreateSpan(ref Unsafe.As<Columns, Limbs4>(ref columns), Count);
    }

    /// <summary>w += a·c, unreduced.</summary>
    public static void MulAdd(ref Wide w, in FieldVec8<TP> a, in Scalar c)
    {
        if (++w.Terms > MaxWideTerms) throw new InvalidOperationException($"a Wide sum holds at most {MaxWideTerms} products");
        if (FieldVec8.IsAccelerated)
        {
            MulWideVector(ref w, a, c);
            return;
        }
        var lanes = w.Lanes;
        var x = LanesOf(a);
        for (int e = 0; e < Count; e++) lanes[e] = Mont<TP>.Add(lanes[e], Mont<TP>.Mul(x[e], c.Montgomery));
    }

    /// <summary>The field element w stands for.</summary>
    public static FieldVec8<TP> Reduce(in Wide w)
    {
        if (FieldVec8.IsAccelerated) return ReduceVector(w);
        var r = default(FieldVec8<TP>);
        var lanes = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Wide, Limbs4>(ref Unsafe.AsRef(in w)), Count);
        lanes.CopyTo(r.Lanes);
        return r;
    }

    /// <summary>Lane e from b where bit e of lanesFromB is set, else from a.</summary>
    public static FieldVec8<TP> Select(in FieldVec8<TP> a, in FieldVec8<TP> b, byte lanesFromB)
    {
        var r = a;
        if (FieldVec8.IsAccelerated)
        {
            var bit = Vector512.Create(1UL, 2, 4, 8, 16, 32, 64, 128);
            var m = Vector512.Equals(Vector512.Create((ulong)lanesFromB) & bit, bit);
            return new(Vector512.ConditionalSelect(m, b.l0, a.l0), Vector512.ConditionalSelect(m, b.l1, a.l1), Vector512.ConditionalSelect(m, b.l2, a.l2),
                Vector512.ConditionalSelect(m, b.l3, a.l3), Vector512.ConditionalSelect(m, b.l4, a.l4), Vector512.ConditionalSelect(m, b.l5, a.l5),
                Vector512.ConditionalSelect(m, b.l6, a.l6), Vector512.ConditionalSelect(m, b.l7, a.l7), Vector512.ConditionalSelect(m, b.l8, a.l8));
        }
        var y = LanesOf(b);
        for (int e = 0; e < Count; e++)
            if ((lanesFromB >> e & 1) != 0) r.Lanes[e] = y[e];
        return r;
    }

    public static FieldVec8<TP> Mul(in FieldVec8<TP> a, in FieldVec8<TP> b)
    {
        if (FieldVec8.IsAccelerated) return MulVector(a, b);
        var r = default(FieldVec8<TP>);
        var x = LanesOf(a);
        var y = LanesOf(b);
        for (int e = 0; e < Count; e++) r.Lanes[e] = Mont<TP>.Mul(x[e], y[e]);
        return r;
    }

    public static FieldVec8<TP> Square(in FieldVec8<TP> a)
    {
        if (FieldVec8.IsAccelerated) return SquareVector(a);
        var r = default(FieldVec8<TP>);
        var x = LanesOf(a);
        for (int e = 0; e < Count; e++) r.Lanes[e] = Mont<TP>.Mul(x[e], x[e]);
        return r;
    }

    public static FieldVec8<TP> Add(in FieldVec8<TP> a, in FieldVec8<TP> b)
    {
        if (FieldVec8.IsAccelerated)
        {
            // Limbwise sums stay below 2^30 and the value below 4p; one conditional subtraction of 2p restores < 2p.
            return SubtractIfNotBelow(new(a.l0 + b.l0, a.l1 + b.l1, a.l2 + b.l2, a.l3 + b.l3, a.l4 + b.l4,
                a.l5 + b.l5, a.l6 + b.l6, a.l7 + b.l7, a.l8 + b.l8), TwoP);
        }
        var r = default(FieldVec8<TP>);
        var x = LanesOf(a);
        var y = LanesOf(b);
        for (int e = 0; e < Count; e++) r.Lanes[e] = Mont<TP>.Add(x[e], y[e]);
        return r;
    }

    public static FieldVec8<TP> Sub(in FieldVec8<TP> a, in FieldVec8<TP> b)
    {
        if (FieldVec8.IsAccelerated)
        {
            // a - b + 2p lies in (0, 4p). Limbwise the terms may go negative (down to -2^29); the signed carry
            // propagation in SubtractIfNotBelow absorbs that, as every limb stays within ±2^31.
            var q = TwoP;
            return SubtractIfNotBelow(new(a.l0 - b.l0 + q.l0, a.l1 - b.l1 + q.l1, a.l2 - b.l2 + q.l2, a.l3 - b.l3 + q.l3,
                a.l4 - b.l4 + q.l4, a.l5 - b.l5 + q.l5, a.l6 - b.l6 + q.l6, a.l7 - b.l7 + q.l7, a.l8 - b.l8 + q.l8), q);
        }
        var r = default(FieldVec8<TP>);
        var x = LanesOf(a);
        var y = LanesOf(b);
        for (int e = 0; e < Count; e++) r.Lanes[e] = Mont<TP>.Sub(x[e], y[e]);
        return r;
    }

    /// <summary>
    /// a + b for use only as a factor of <see cref="Mul(in FieldVec8{TP}, in FieldVec8{TP})"/>: the sum is left without
    /// Add's final conditional subtraction, half of Add's work. The limbs are normalised to 29 bits as Mul needs, and
    /// Mul's result a·b/2^261 + p stays below 2p whenever a·b &lt; 64p² (64p &lt; 2^261): a factor below 4p (the sum of
    /// two reduced values) times a reduced one, or one below 8p (the sum of two such factors) times one below 4p.
    /// Never store, scatter, add to or subtract the result; only <see cref="AddForMul"/> of two of them is allowed.
    /// </summary>
    internal static FieldVec8<TP> AddForMul(in FieldVec8<TP> a, in FieldVec8<TP> b)
    {
        if (!FieldVec8.IsAccelerated) return Add(a, b);
        return Normalize(new(a.l0 + b.l0, a.l1 + b.l1, a.l2 + b.l2, a.l3 + b.l3, a.l4 + b.l4,
            a.l5 + b.l5, a.l6 + b.l6, a.l7 + b.l7, a.l8 + b.l8));
    }

    /// <summary>a - b for use only as a factor of a product, left in (0, 4p) as a - b + 2p; see <see cref="AddForMul"/>.</summary>
    internal static FieldVec8<TP> SubForMul(in FieldVec8<TP> a, in FieldVec8<TP> b)
    {
        if (!FieldVec8.IsAccelerated) return Sub(a, b);
        var q = TwoP;
        return Normalize(new(a.l0 - b.l0 + q.l0, a.l1 - b.l1 + q.l1, a.l2 - b.l2 + q.l2, a.l3 - b.l3 + q.l3,
            a.l4 - b.l4 + q.l4, a.l5 - b.l5 + q.l5, a.l6 - b.l6 + q.l6, a.l7 - b.l7 + q.l7, a.l8 - b.l8 + q.l8));
    }

    /// <summary>The carry chain of <see cref="SubtractIfNotBelow"/> alone: 29-bit limbs for a non-negative value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldVec8<TP> Normalize(in FieldVec8<TP> v)
    {
        var mask = Vector512.Create((long)LimbMask);
        Vector512<long> s0 = v.l0.AsInt64(), s1 = v.l1.AsInt64(), s2 = v.l2.AsInt64(), s3 = v.l3.AsInt64(), s4 = v.l4.AsInt64();
        Vector512<long> s5 = v.l5.AsInt64(), s6 = v.l6.AsInt64(), s7 = v.l7.AsInt64(), s8 = v.l8.AsInt64();
        s1 += s0 >> LimbBits; s0 &= mask;
        s2 += s1 >> LimbBits; s1 &= mask;
        s3 += s2 >> LimbBits; s2 &= mask;
        s4 += s3 >> LimbBits; s3 &= mask;
        s5 += s4 >> LimbBits; s4 &= mask;
        s6 += s5 >> LimbBits; s5 &= mask;
        s7 += s6 >> LimbBits; s6 &= mask;
        s8 += s7 >> LimbBits; s7 &= mask;
        return new(s0.AsUInt64(), s1.AsUInt64(), s2.AsUInt64(), s3.AsUInt64(), s4.AsUInt64(), s5.AsUInt64(), s6.AsUInt64(), s7.AsUInt64(), s8.AsUInt64());
    }

    /// <summary>
    /// Normalises v (value in [0, 2q), limbs signed and below 2^62 in magnitude) to 29-bit limbs, minus q when v ≥ q.
    /// Both candidates are normalised by independent carry chains, so their latencies overlap; the sign of the
    /// top limb of v - q (arithmetic shifts keep two's complement carries exact) picks one without a branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldVec8<TP> SubtractIfNotBelow(in FieldVec8<TP> v, in FieldVec8<TP> q)
    {
        var mask = Vector512.Create((long)LimbMask);
        Vector512<long> s0 = v.l0.AsInt64(), s1 = v.l1.AsInt64(), s2 = v.l2.AsInt64(), s3 = v.l3.AsInt64(), s4 = v.l4.AsInt64();
        Vector512<long> s5 = v.l5.AsInt64(), s6 = v.l6.AsInt64(), s7 = v.l7.AsInt64(), s8 = v.l8.AsInt64();
        Vector512<long> d0 = s0 - q.l0.AsInt64(), d1 = s1 - q.l1.AsInt64(), d2 = s2 - q.l2.AsInt64(), d3 = s3 - q.l3.AsInt64();
        Vector512<long> d4 = s4 - q.l4.AsInt64(), d5 = s5 - q.l5.AsInt64(), d6 = s6 - q.l6.AsInt64(), d7 = s7 - q.l7.AsInt64();
        Vector512<long> d8 = s8 - q.l8.AsInt64();
        s1 += s0 >> LimbBits; s0 &= mask; d1 += d0 >> LimbBits; d0 &= mask;
        s2 += s1 >> LimbBits; s1 &= mask; d2 += d1 >> LimbBits; d1 &= mask;
        s3 += s2 >> LimbBits; s2 &= mask; d3 += d2 >> LimbBits; d2 &= mask;
        s4 += s3 >> LimbBits; s3 &= mask; d4 += d3 >> LimbBits; d3 &= mask;
        s5 += s4 >> LimbBits; s4 &= mask; d5 += d4 >> LimbBits; d4 &= mask;
        s6 += s5 >> LimbBits; s5 &= mask; d6 += d5 >> LimbBits; d5 &= mask;
        s7 += s6 >> LimbBits; s6 &= mask; d7 += d6 >> LimbBits; d6 &= mask;
        s8 += s7 >> LimbBits; s7 &= mask; d8 += d7 >> LimbBits; d7 &= mask;
        var below = (d8 >> 63).AsUInt64(); // all ones in lanes where v < q
        return new(Vector512.ConditionalSelect(below, s0.AsUInt64(), d0.AsUInt64()), Vector512.ConditionalSelect(below, s1.AsUInt64(), d1.AsUInt64()),
            Vector512.ConditionalSelect(below, s2.AsUInt64(), d2.AsUInt64()), Vector512.ConditionalSelect(below, s3.AsUInt64(), d3.AsUInt64()),
            Vector512.ConditionalSelect(below, s4.AsUInt64(), d4.AsUInt64()), Vector512.ConditionalSelect(below, s5.AsUInt64(), d5.AsUInt64()),
            Vector512.ConditionalSelect(below, s6.AsUInt64(), d6.AsUInt64()), Vector512.ConditionalSelect(below, s7.AsUInt64(), d7.AsUInt64()),
            Vector512.ConditionalSelect(below, s8.AsUInt64(), d8.AsUInt64()));
    }
}
