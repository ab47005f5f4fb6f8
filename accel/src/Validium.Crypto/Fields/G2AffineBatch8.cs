using System.Runtime.InteropServices;
using V = Validium.Crypto.FieldVec8<Validium.Crypto.FpModulus>;

namespace Validium.Crypto;

/// <summary>G2 affine additions eight at a time, each Fp2 coordinate as two <see cref="FieldVec8{TP}"/> halves.</summary>
public static class G2AffineBatch8
{
    public const int Count = V.Count;

    /// <summary>Eight Fp2 values (c0 + c1·u, u² = -1), one per lane.</summary>
    private readonly struct V2(V c0, V c1)
    {
        public readonly V C0 = c0, C1 = c1;

        /// <summary>Karatsuba: three lane multiplications instead of four.</summary>
        public static V2 Mul(in V2 a, in V2 b)
        {
            var t0 = V.Mul(a.C0, b.C0);
            var t1 = V.Mul(a.C1, b.C1);
            var cross = V.Mul(V.AddForMul(a.C0, a.C1), V.AddForMul(b.C0, b.C1));
            return new(V.Sub(t0, t1), V.Sub(V.Sub(cross, t0), t1));
        }

        /// <summary>(c0 + c1)(c0 - c1) + 2c0·c1·u: two lane multiplications where Mul takes three.</summary>
        public static V2 Square(in V2 a) =>
            new(V.Mul(V.AddForMul(a.C0, a.C1), V.SubForMul(a.C0, a.C1)), V.Mul(V.AddForMul(a.C0, a.C0), a.C1));

        public static V2 Mul(in V2 a, in V.Scalar s) => new(V.Mul(a.C0, s), V.Mul(a.C1, s));

        public static V2 Sub(in V2 a, in V2 b) => new(V.Sub(a.C0, b.C0), V.Sub(a.C1, b.C1));

        /// <summary>a - b to be used only as a factor of <see cref="Mul(in V2, in V2)"/> (see FieldVec8.SubForMul).</summary>
        public static V2 SubForMul(in V2 a, in V2 b) => new(V.SubForMul(a.C0, b.C0), V.SubForMul(a.C1, b.C1));

        /// <summary>Coordinate k (0 = x, 1 = y) of points 8g..8g+7; a G2Affine is four Limbs4: x.c0, x.c1, y.c0, y.c1.</summary>
        public static V2 GatherScaled(ReadOnlySpan<Limbs4> points, int g, int k) =>
            new(V.GatherScaled(points, 32 * g + 2 * k, 4), V.GatherScaled(points, 32 * g + 2 * k + 1, 4));

        public void ScatterScaled(Span<Limbs4> points, int g, int k)
        {
            C0.ScatterScaled(points, 32 * g + 2 * k, 4);
            C1.ScatterScaled(points, 32 * g + 2 * k + 1, 4);
        }
    }

    /// <summary>
    /// The same chain as <see cref="G1AffineBatch8.Chain"/> over Fp2: every formula is bilinear in the
    /// coordinates, so the 2^-5 scale of GatherScaled carries through exactly as it does there.
    /// Nineteen lane multiplications per eight additions, against some eighteen scalar Fp
    /// multiplications for each single one.
    /// </summary>
    internal sealed class Chain(int capacity) : IAffineBatch8<G2Affine>
    {
        private readonly V2[] den = new V2[(capacity + Count - 1) / Count];
        private readonly V2[] prefix = new V2[(capacity + Count - 1) / Count];
        private static readonly V.Scalar S = new(Fp.FromUInt64(32).Inverse().MontgomeryLimbs);
        private static readonly V2 One = new(V.Broadcast(Fp.One.MontgomeryLimbs), V.Broadcast(Fp.Zero.MontgomeryLimbs));

        public void AddInPlace(Span<G2Affine> a, ReadOnlySpan<G2Affine> b)
        {
            var al = MemoryMarshal.Cast<G2Affine, Limbs4>(a);
            var bl = MemoryMarshal.Cast<G2Affine, Limbs4>(b);
            int groups = a.Length / Count;
            var product = One;
            for (int g = 0; g < groups; g++)
            {
                den[g] = V2.SubForMul(V2.GatherScaled(bl, g, 0), V2.GatherScaled(al, g, 0));
                prefix[g] = product;
                product = V2.Mul(product, den[g]);
            }
            Span<Fp> c0 = stackalloc Fp[Count], c1 = stackalloc Fp[Count];
            FieldVec8.Store(product.C0, c0);
            FieldVec8.Store(product.C1, c1);
            Span<Fp2> lanes = stackalloc Fp2[Count];
            for (int e = 0; e < Count; e++) lanes[e] = new Fp2(c0[e], c1[e]);
            Field.BatchInverseVartime(lanes);
            for (int e = 0; e < Count; e++) (c0[e], c1[e]) = (lanes[e].C0, lanes[e].C1);
            var inv = new V2(FieldVec8.Load(c0), FieldVec8.Load(c1));
            for (int g = groups - 1; g >= 0; g--)
            {
                var u = V2.Mul(inv, prefix[g]);
                inv = V2.Mul(inv, den[g]);
                var ax = V2.GatherScaled(al, g, 0);
                var ay = V2.GatherScaled(al, g, 1);
                var bx = V2.GatherScaled(bl, g, 0);
                var by = V2.GatherScaled(bl, g, 1);
                var lambda = V2.Mul(V2.SubForMul(by, ay), u);
                var x3 = V2.Sub(V2.Sub(V2.Mul(V2.Square(lambda), S), ax), bx);
                var y3 = V2.Sub(V2.Mul(lambda, V2.SubForMul(ax, x3)), ay);
                x3.ScatterScaled(al, g, 0);
                y3.ScatterScaled(al, g, 1);
            }
        }
    }
}

/// <summary>Eight-lane batch-affine additions for one point type; see <see cref="BatchAffineAdder{TA, TF}"/>.</summary>
internal interface IAffineBatch8<TA> where TA : unmanaged
{
    /// <summary>
    /// a[k] += b[k]; the length is a multiple of eight and every pair is regular (no infinity, distinct
    /// abscissas), so every denominator x2 - x1 is invertible.
    /// </summary>
    void AddInPlace(Span<TA> a, ReadOnlySpan<TA> b);
}
