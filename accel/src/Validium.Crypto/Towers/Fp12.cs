using System.Numerics;

namespace Validium.Crypto;

/// <summary>
/// Fp12 = Fp6[w]/(w² - v); elements C0 + C1·w. Pairing values live here (GT is its order-r subgroup).
/// Same tower as ffjavascript/snarkjs, gnark and arkworks, so coordinates compare one to one.
/// </summary>
public readonly struct Fp12 : IField<Fp12>
{
    public readonly Fp6 C0, C1;

    public Fp12(Fp6 c0, Fp6 c1)
    {
        C0 = c0; C1 = c1;
    }

    public static Fp12 Zero => default;
    public static Fp12 One => new(Fp6.One, Fp6.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero;
    public bool IsOne => this == One;

    public static Fp12 operator +(Fp12 a, Fp12 b) => new(a.C0 + b.C0, a.C1 + b.C1);
    public static Fp12 operator -(Fp12 a, Fp12 b) => new(a.C0 - b.C0, a.C1 - b.C1);
    public static Fp12 operator -(Fp12 a) => new(-a.C0, -a.C1);

    /// <summary>Karatsuba: 3 Fp6 multiplications.</summary>
    public static Fp12 operator *(Fp12 a, Fp12 b)
    {
        var t0 = a.C0 * b.C0;
        var t1 = a.C1 * b.C1;
        var c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1;
        return new Fp12(t0 + t1.MulByNonResidue(), c1);
    }

    /// <summary>Complex squaring: 2 Fp6 multiplications.</summary>
    public Fp12 Square()
    {
        var ab = C0 * C1;
        var c0 = (C0 + C1) * (C0 + C1.MulByNonResidue()) - ab - ab.MulByNonResidue();
        return new Fp12(c0, ab.Double());
    }

    public Fp12 Double() => new(C0.Double(), C1.Double());

    /// <summary>x^(p^6). On the cyclotomic subgroup (every pairing value after the easy part) it is the inverse.</summary>
    public Fp12 Conjugate() => new(C0, -C1);

    /// <summary>The tower above Fp2 has no use for a faster inversion; the constant-time one serves.</summary>
    public Fp12 InverseVartime() => Inverse();

    /// <summary>1/(a + bw) = (a - bw)/(a² - v·b²); throws for zero.</summary>
    public Fp12 Inverse()
    {
        if (IsZero) throw new DivideByZeroException("zero has no inverse in Fp12");
        var t = (C0.Square() - C1.Square().MulByNonResidue()).Inverse();
        return new Fp12(C0 * t, -(C1 * t));
    }

    /// <summary>
    /// Product with a sparse element c0 + c3·w + c4·w³ (coefficients numbered over the Fp2 basis 1, v, v², w, vw, v²w):
    /// the shape of a Miller-loop line on a D-type twist. 13 Fp2 multiplications instead of 18.
    /// </summary>
    public Fp12 MulBy034(Fp2 c0, Fp2 c3, Fp2 c4)
    {
        var a = C0 * c0;
        var b = C1.MulBy01(c3, c4);
        var e = (C0 + C1).MulBy01(c0 + c3, c4);
        return new Fp12(a + b.MulByNonResidue(), e - a - b);
    }

    /// <summary>x^(p^k); see <see cref="TowerFrobenius"/> for the coefficients of w, w³, w⁵.</summary>
    public Fp12 Frobenius(int k)
    {
        k = ((k % 12) + 12) % 12;
        var g = TowerFrobenius.Gamma[k];
        bool odd = (k & 1) == 1;
        var b0 = odd ? C1.C0.Conjugate() : C1.C0;
        var b1 = odd ? C1.C1.Conjugate() : C1.C1;
        var b2 = odd ? C1.C2.Conjugate() : C1.C2;
        return new Fp12(C0.Frobenius(k), new Fp6(b0 * g[1], b1 * g[3], b2 * g[5]));
    }

    /// <summary>
    /// Granger–Scott squaring (eprint 2009/565, §3.2), valid only for elements of the cyclotomic subgroup
    /// (norm 1 down to Fp6 and Fp2), where it costs 6 Fp2 squarings instead of 2 Fp6 multiplications.
    /// </summary>
    public Fp12 CyclotomicSquare()
    {
        var x0 = C0.C0; var x1 = C0.C1; var x2 = C0.C2;
        var x3 = C1.C0; var x4 = C1.C1; var x5 = C1.C2;
        // The element is seen as three Fp4 = Fp2[w³] values (x0 + x4·w³), (x3 + x2·w³), (x1 + x5·w³).
        var s4 = x4.Square(); var s0 = x0.Square();
        var m04 = (x4 + x0).Square() - s4 - s0;
        var s2 = x2.Square(); var s3 = x3.Square();
        var m23 = (x2 + x3).Square() - s2 - s3;
        var s5 = x5.Square(); var s1 = x1.Square();
        var m15 = ((x5 + x1).Square() - s5 - s1).MulByNonResidue();
        var a = s4.MulByNonResidue() + s0;
        var b = s2.MulByNonResidue() + s3;
        var c = s5.MulByNonResidue() + s1;
        return new Fp12(
            new Fp6((a - x0).Double() + a, (b - x1).Double() + b, (c - x2).Double() + c),
            new Fp6((m15 + x3).Double() + m15, (m04 + x4).Double() + m04, (m23 + x5).Double() + m23));
    }

    /// <summary>x^e for an element of the cyclotomic subgroup (where inversion is conjugation).</summary>
    public Fp12 CyclotomicPow(ulong e)
    {
        var acc = One;
        for (int i = 63 - BitOperations.LeadingZeroCount(e); i >= 0; i--)
        {
            acc = acc.CyclotomicSquare();
            if (((e >> i) & 1) == 1) acc *= this;
        }
        return acc;
    }

    public Fp12 Pow(BigInteger exponent) => Field.Pow(this, exponent);

    public static void BatchInverse(Span<Fp12> values) => Field.BatchInverse(values);

    public bool Equals(Fp12 o) => C0 == o.C0 && C1 == o.C1;
    public override bool Equals(object? obj) => obj is Fp12 o && Equals(o);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(Fp12 a, Fp12 b) => a.Equals(b);
    public static bool operator !=(Fp12 a, Fp12 b) => !a.Equals(b);
    public override string ToString() => $"({C0} + {C1}·w)";
}
