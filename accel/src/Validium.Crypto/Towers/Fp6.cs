using System.Numerics;

namespace Validium.Crypto;

/// <summary>Fp6 = Fp2[v]/(v³ - ξ), ξ = 9 + u; elements C0 + C1·v + C2·v². The middle floor of the pairing tower.</summary>
public readonly struct Fp6 : IField<Fp6>
{
    public readonly Fp2 C0, C1, C2;

    public Fp6(Fp2 c0, Fp2 c1, Fp2 c2)
    {
        C0 = c0; C1 = c1; C2 = c2;
    }

    public static Fp6 Zero => default;
    public static Fp6 One => new(Fp2.One, Fp2.Zero, Fp2.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    public static Fp6 operator +(Fp6 a, Fp6 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);
    public static Fp6 operator -(Fp6 a, Fp6 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);
    public static Fp6 operator -(Fp6 a) => new(-a.C0, -a.C1, -a.C2);
    public static Fp6 operator *(Fp6 a, Fp2 s) => new(a.C0 * s, a.C1 * s, a.C2 * s);

    /// <summary>Karatsuba over the cubic extension (Devegili et al. 2006): 6 Fp2 multiplications instead of 9.</summary>
    public static Fp6 operator *(Fp6 a, Fp6 b)
    {
        var v0 = a.C0 * b.C0;
        var v1 = a.C1 * b.C1;
        var v2 = a.C2 * b.C2;
        var c0 = ((a.C1 + a.C2) * (b.C1 + b.C2) - v1 - v2).MulByNonResidue() + v0;
        var c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - v0 - v1 + v2.MulByNonResidue();
        var c2 = (a.C0 + a.C2) * (b.C0 + b.C2) - v0 - v2 + v1;
        return new Fp6(c0, c1, c2);
    }

    /// <summary>Chung–Hasan SQR2: 2 multiplications and 3 squarings in Fp2.</summary>
    public Fp6 Square()
    {
        var s0 = C0.Square();
        var s1 = (C0 * C1).Double();
        var s2 = (C0 - C1 + C2).Square();
        var s3 = (C1 * C2).Double();
        var s4 = C2.Square();
        return new Fp6(s0 + s3.MulByNonResidue(), s1 + s4.MulByNonResidue(), s1 + s2 + s3 - s0 - s4);
    }

    public Fp6 Double() => new(C0.Double(), C1.Double(), C2.Double());

    /// <summary>Multiplication by v: (c0, c1, c2) -> (ξ·c2, c0, c1), since v³ = ξ. The non-residue that builds Fp12.</summary>
    public Fp6 MulByNonResidue() => new(C2.MulByNonResidue(), C0, C1);

    /// <summary>Product with b0 + b1·v (the shape of a Miller-loop line's w-part): 5 Fp2 multiplications.</summary>
    public Fp6 MulBy01(Fp2 b0, Fp2 b1)
    {
        var v0 = C0 * b0;
        var v1 = C1 * b1;
        var c0 = ((C1 + C2) * b1 - v1).MulByNonResidue() + v0;
        var c1 = (C0 + C1) * (b0 + b1) - v0 - v1;
        var c2 = (C0 + C2) * b0 - v0 + v1;
        return new Fp6(c0, c1, c2);
    }

    /// <summary>The tower above Fp2 has no use for a faster inversion; the constant-time one serves.</summary>
    public Fp6 InverseVartime() => Inverse();

    /// <summary>Via the norm to Fp2: one Fp2 inversion. Throws for zero.</summary>
    public Fp6 Inverse()
    {
        if (IsZero) throw new DivideByZeroException("zero has no inverse in Fp6");
        var t0 = C0.Square() - (C1 * C2).MulByNonResidue();
        var t1 = C2.Square().MulByNonResidue() - C0 * C1;
        var t2 = C1.Square() - C0 * C2;
        var n = C0 * t0 + (C2 * t1 + C1 * t2).MulByNonResidue();
        var ni = n.Inverse();
        return new Fp6(t0 * ni, t1 * ni, t2 * ni);
    }

    /// <summary>x^(p^k); v^(p^k) = v·ξ^((p^k - 1)/3) and v² likewise, with the coefficients from <see cref="TowerFrobenius"/>.</summary>
    public Fp6 Frobenius(int k)
    {
        k = ((k % 12) + 12) % 12;
        var g = TowerFrobenius.Gamma[k];
        bool odd = (k & 1) == 1;
        var a0 = odd ? C0.Conjugate() : C0;
        var a1 = odd ? C1.Conjugate() : C1;
        var a2 = odd ? C2.Conjugate() : C2;
        return new Fp6(a0, a1 * g[2], a2 * g[4]);
    }

    public Fp6 Pow(BigInteger exponent) => Field.Pow(this, exponent);

    public static void BatchInverse(Span<Fp6> values) => Field.BatchInverse(values);

    public bool Equals(Fp6 o) => C0 == o.C0 && C1 == o.C1 && C2 == o.C2;
    public override bool Equals(object? obj) => obj is Fp6 o && Equals(o);
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
    public static bool operator ==(Fp6 a, Fp6 b) => a.Equals(b);
    public static bool operator !=(Fp6 a, Fp6 b) => !a.Equals(b);
    public override string ToString() => $"({C0} + {C1}·v + {C2}·v²)";
}
