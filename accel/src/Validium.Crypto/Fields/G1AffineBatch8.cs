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

        var ax = V.Gather(al, 0, 2);
        var ay = V.Gather(al, 1, 2);
        var bx = V.Gather(bl, 0, 2);
        var by = V.Gather(bl, 1, 2);
        var dInv = FieldVec8.Load(denominatorInverses);

        // Chord slope (by - ay)/(bx - ax), or tangent slope 3·ax²/(2·ay) when the points coincide.
        var xx = V.Square(ax);
        var num = V.Select(V.Sub(by, ay), V.Add(V.Add(xx, xx), xx), doubling);
        var lambda = V.Mul(num, dInv);
        var x3 = V.Sub(V.Sub(V.Square(lambda), ax), bx);
        var y3 = V.Sub(V.Mul(lambda, V.Sub(ax, x3)), ay);

        var sl = MemoryMarshal.Cast<G1Affine, Limbs4>(sums);
        x3.Scatter(sl, 0, 2);
        y3.Scatter(sl, 1, 2);
        for (int e = 0; e < Count; e++)
            if ((direct >> e & 1) != 0) sums[e] = directSums[e];
    }
}
