using System.Runtime.InteropServices;
using V = Validium.Crypto.FieldVec8<Validium.Crypto.FpModulus>;

namespace Validium.Crypto;

/// <summary>G1 affine additions eight at a time with <see cref="FieldVec8{TP}"/>, for <see cref="BatchAffineAdder{TA, TF}"/>.</summary>
public static class G1AffineBatch8
{
    public const int Count = V.Count;

    /// <summary>
    /// Batch-affine additions eight lanes at a time with the inversion chain in the vectors too: lane e of
    /// group g is addition 8g + e, each lane runs its own Montgomery-trick chain, and the eight chain products
    /// are inverted together once. Coordinates stay scaled by s = 2^-5 (GatherScaled) throughout, so the only
    /// conversion multiplies are the two around that inversion. Six vector multiplies and a square per eight additions. Differences
    /// that only feed a product skip their final reduction (SubForMul).
    /// </summary>
    internal sealed class Chain(int capacity) : IAffineBatch8<G1Affine>
    {
        private readonly V[] den = new V[(capacity + Count - 1) / Count];
        private readonly V[] prefix = new V[(capacity + Count - 1) / Count];
        private static readonly V.Scalar S = new(Fp.FromUInt64(32).Inverse().MontgomeryLimbs);
        private static readonly V One = V.Broadcast(Fp.One.MontgomeryLimbs);

        public void AddInPlace(Span<G1Affine> a, ReadOnlySpan<G1Affine> b)
        {
            var al = MemoryMarshal.Cast<G1Affine, Limbs4>(a);
            var bl = MemoryMarshal.Cast<G1Affine, Limbs4>(b);
            int groups = a.Length / Count;
            var product = One;
            for (int g = 0; g < groups; g++)
            {
                // (x2 - x1)·s from the scaled abscissas; lane e is point 8g + e, i.e. Limbs4 16g + 2e.
                den[g] = V.SubForMul(V.GatherScaled(bl, 16 * g, 2), V.GatherScaled(al, 16 * g, 2));
                prefix[g] = product;
                product = V.Mul(product, den[g]);
            }
            Span<Fp> lanes = stackalloc Fp[Count];
            FieldVec8.Store(product, lanes);
            Field.BatchInverseVartime(lanes);
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
                // each have one unscaled factor and so keep the scale: x3·s = λ²·s - x1·s - x2·s (a square
                // costs about a fifth less than a product).
                var lambda = V.Mul(V.SubForMul(by, ay), u);
                var x3 = V.Sub(V.Sub(V.Mul(V.Square(lambda), S), ax), bx);
                var y3 = V.Sub(V.Mul(lambda, V.SubForMul(ax, x3)), ay);
                x3.ScatterScaled(al, 16 * g, 2);
                y3.ScatterScaled(al, 16 * g + 1, 2);
            }
        }
    }
}
