using System.Numerics;

namespace Validium.Crypto;

public readonly partial struct Fp2
{
    private static readonly Fp HalfOfOne = Fp.FromUInt64(2).Inverse();

    /// <summary>x^p: conjugation, because u^p = -u when p = 3 mod 4.</summary>
    public Fp2 Frobenius() => Conjugate();

    /// <summary>C0² + C1²: the norm to Fp, a square in Fp exactly when this element is a square in Fp2.</summary>
    public Fp Norm() => C0.Square() + C1.Square();

    /// <summary>
    /// Lexicographic order on Fp2 used for point compression (ffjavascript's <c>f2m_sign</c>): the imaginary part
    /// decides unless it is zero, then the real part; "largest" means above (p-1)/2.
    /// </summary>
    public bool IsLexicographicallyLargest => C1.IsZero ? C0.IsLexicographicallyLargest : C1.IsLexicographicallyLargest;

    public Fp2 Pow(BigInteger exponent) => Field.Pow(this, exponent);

    /// <summary>
    /// A square root, or false for a non-square. Reduces to two Fp square roots: with n = sqrt(a0² + a1²),
    /// x0² = (a0 ± n)/2 for one choice of sign and x1 = a1/(2·x0).
    /// </summary>
    public bool TrySqrt(out Fp2 root)
    {
        root = Zero;
        if (IsZero) return true;
        if (C1.IsZero)
        {
            // Every element of Fp is a square in Fp2: either a0 is a square in Fp, or -a0 is and (s·u)² = -s² = a0.
            if (C0.TrySqrt(out var s)) { root = new Fp2(s, Fp.Zero); return true; }
            if ((-C0).TrySqrt(out s)) { root = new Fp2(Fp.Zero, s); return true; }
            return false;
        }
        if (!Norm().TrySqrt(out var n)) return false;
        var delta = (C0 + n) * HalfOfOne;
        if (!delta.TrySqrt(out var x0))
        {
            delta = (C0 - n) * HalfOfOne;
            if (!delta.TrySqrt(out x0)) return false;
        }
        var candidate = new Fp2(x0, C1 * x0.Double().Inverse());
        if (candidate.Square() != this) return false;
        root = candidate;
        return true;
    }
}
