using System.Runtime.InteropServices;
using V = Validium.Crypto.FieldVec8<Validium.Crypto.FpModulus>;

namespace Validium.Crypto;

/// <summary>
/// Eight affine G1 additions at once for batch-affine Pippenger: the caller inverts the eight denominators
/// together (Montgomery's trick) and this finishes the sums with <see cref="FieldVec8{TP}"/>.
/// </summary>
public static class G1AffineBatch8
{
    public const int Count = V.Count;

    private static readonly V.Scalar ThirtyTwo = new(Fp.FromUInt64(32).MontgomeryLimbs);
    private static readonly V.Scalar NinetySix = new(Fp.FromUInt64(96).MontgomeryLimbs);
    private static readonly V.Scalar OneThousandTwentyFour = new(Fp.FromUInt64(1024).MontgomeryLimbs);

    /// <summary>
    /// sums[e] = a[e] + b[e] given denominatorInverses[e] = 1/(b.x - a.x), or 1/(2·a.y) where a[e] == b[e].
    /// Lanes with an infinity or with a[e] == -b[e] take the sum directly and ignore their inverse (any value).
    /// </summary>
    public static void Add(ReadOnlySpan<G1Affine> a, ReadOnlySpan<G1Affine> b, ReadOnlySpan<Fp> denominatorInverses, Span<G1Affine> sums)
    {
        if (a.Length < Count || b.Length < Count || denominatorInverses.Length < Count || sums.Length < Count)
            throw new ArgumentException($"each span needs {Count} elements");
        var al = MemoryMarshal.Cast<G1Affine, Limbs4>(a);
        var bl = MemoryMarshal.Cast<G1Affine, Limbs4>(b);
        // Lane classes are fixed before any output is written, so sums may alias a or b (in-place bucket updates).
        byte doubling = 0, direct = 0;
        Span<G1Affine> directSums = stackalloc G1Affine[Count];
        for (int e = 0; e < Count; e++)
        {
            // G1 has odd order, so no point has y = 0 and a == b never meets a zero tangent denominator.
            if (a[e].IsInfinity) directSums[e] = b[e];
            else if (b[e].IsInfinity) directSums[e] = a[e];
            else if (a[e].X == b[e].X && a[e].Y != b[e].Y) directSums[e] = G1Affine.Infinity;
            else
            {
                if (a[e] == b[e]) doubling |= (byte)(1 << e);
                continue;
            }
            direct |= (byte)(1 << e);
        }

        // Coordinates enter and leave scaled by s = 2^-5 (GatherScaled/ScatterScaled), which spares four input and
        // two output conversion multiplies. Each product then needs one unscaled factor: λ and λ·s both come
        // from num·s, using 32·d and d (d = the denominator inverse), so x3·s = λ·(λ·s) - ax·s - bx·s and
        // y3·s = λ·(ax·s - x3·s) - ay·s keep the scale without further correction.
        var ax = V.GatherScaled(al, 0, 2);
        var ay = V.GatherScaled(al, 1, 2);
        var bx = V.GatherScaled(bl, 0, 2);
        var by = V.GatherScaled(bl, 1, 2);
        var ds = V.GatherScaled(MemoryMarshal.Cast<Fp, Limbs4>(denominatorInverses), 0, 1);
        var d = V.Mul(ds, ThirtyTwo);
        var d32 = V.Mul(ds, OneThousandTwentyFour);

        // Chord slope (by - ay)/(bx - ax), or tangent slope 3·ax²/(2·ay) where the points coincide: 3·ax²·s is
        // (ax·s)²·96 in the scaled domain.
        var num = V.Sub(by, ay);
        if (doubling != 0) num = V.Select(num, V.Mul(V.Square(ax), NinetySix), doubling);
        var lambda = V.Mul(num, d32);
        var lambdaS = V.Mul(num, d);
        var x3 = V.Sub(V.Sub(V.Mul(lambda, lambdaS), ax), bx);
        var y3 = V.Sub(V.Mul(lambda, V.Sub(ax, x3)), ay);

        var sl = MemoryMarshal.Cast<G1Affine, Limbs4>(sums);
        x3.ScatterScaled(sl, 0, 2);
        y3.ScatterScaled(sl, 1, 2);
        for (int e = 0; e < Count; e++)
            if ((direct >> e & 1) != 0) sums[e] = directSums[e];
    }

    /// <summary>
    /// Batch-affine additions eight lanes at a time with the inversion chain in the vectors too: lane e of
    /// group g is addition 8g + e, each lane runs its own Montgomery-trick chain, and the eight chain products
    /// are inverted together once. Coordinates stay scaled by s = 2^-5 (GatherScaled) throughout, so the only
    /// conversion multiplies are the two around that inversion. Seven vector multiplies per eight additions.
    /// </summary>
    internal sealed class Chain(int capacity)
    {
        private readonly V[] den = new V[(capacity + Count - 1) / Count];
        private readonly V[] prefix = new V[(capacity + Count - 1) / Count];
        private static readonly V.Scalar S = new(Fp.FromUInt64(32).Inverse().MontgomeryLimbs);
        private static readonly V One = V.Broadcast(Fp.One.MontgomeryLimbs);

        /// <summary>No infinity and no equal abscissas: every denominator x2 - x1 is invertible.</summary>
        public bool AllRegular(ReadOnlySpan<G1Affine> a, ReadOnlySpan<G1Affine> b)
        {
            for (int k = 0; k < a.Length; k++)
                if (a[k].IsInfinity || b[k].IsInfinity || a[k].X == b[k].X) return false;
            return true;
        }

        /// <summary>a[k] += b[k]; the length is a multiple of eight and every pair is regular.</summary>
        public void AddInPlace(Span<G1Affine> a, ReadOnlySpan<G1Affine> b)
        {
            var al = MemoryMarshal.Cast<G1Affine, Limbs4>(a);
            var bl = MemoryMarshal.Cast<G1Affine, Limbs4>(b);
            int groups = a.Length / Count;
            var product = One;
            for (int g = 0; g < groups; g++)
            {
                // (x2 - x1)·s from the scaled abscissas; lane e is point 8g + e, i.e. Limbs4 16g + 2e.
                den[g] = V.Sub(V.GatherScaled(bl, 16 * g, 2), V.GatherScaled(al, 16 * g, 2));
                prefix[g] = product;
                product = V.Mul(product, den[g]);
            }
            Span<Fp> lanes = stackalloc Fp[Count];
            FieldVec8.Store(product, lanes);
            Fp.BatchInverse(lanes);
            var inv = FieldVec8.Load(lanes);
            for (int g = groups - 1; g >= 0; g--)
            {
                var u = V.Mul(inv, prefix[g]);
                inv = V.Mul(inv, den[g]);
                var ax = V.GatherScaled(al, 16 * g, 2);
                var ay = V.GatherScaled(al, 16 * g + 1, 2);
                var bx = V.GatherScaled(bl, 16 * g, 2);
                var by = V.GatherScaled(bl, 16 * g + 1, 2);
                // u stands for 1/((x2 - x1)·s), so (y2 - y1)·s·u is the unscaled slope; the products below
                // each have one unscaled factor and so keep the scale: x3·s = λ·(λ·s) - x1·s - x2·s.
                var lambda = V.Mul(V.Sub(by, ay), u);
                var x3 = V.Sub(V.Sub(V.Mul(lambda, V.Mul(lambda, S)), ax), bx);
                var y3 = V.Sub(V.Mul(lambda, V.Sub(ax, x3)), ay);
                x3.ScatterScaled(al, 16 * g, 2);
                y3.ScatterScaled(al, 16 * g + 1, 2);
            }
        }
    }
}
