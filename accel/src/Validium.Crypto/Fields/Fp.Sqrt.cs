using System.Numerics;

namespace Validium.Crypto;

public readonly partial struct Fp
{
    // p = 3 mod 4, so a square root of a quadratic residue a is a^((p+1)/4).
    private static readonly Limbs4 SqrtExponent = Limbs4.FromBigInteger((Modulus + 1) / 4);
    private static readonly Limbs4 LegendreExponent = Limbs4.FromBigInteger((Modulus - 1) / 2);

    /// <summary>1 for a non-zero square, -1 for a non-square, 0 for zero.</summary>
    public int Legendre()
    {
        if (IsZero) return 0;
        return Pow(LegendreExponent).IsOne ? 1 : -1;
    }

    /// <summary>A square root, or false when the element is not a square.</summary>
    public bool TrySqrt(out Fp root)
    {
        root = Pow(SqrtExponent);
        return root.Square() == this;
    }

    /// <summary>True when the canonical value is odd: the sign convention of point compression.</summary>
    public bool IsOdd => (ToCanonical().L0 & 1) == 1;

    public bool IsLexicographicallyLargest => ToBigInteger() > (Modulus - 1) / 2;

    internal static BigInteger HalfModulus => (Modulus - 1) / 2;
}
