namespace Validium.Crypto;

/// <summary>Fp2 = Fp[u]/(u² + 1); elements C0 + C1·u. The base of G2 and of the Fp6/Fp12 tower.</summary>
public readonly partial struct Fp2 : IField<Fp2>
{
    public readonly Fp C0, C1;

    public Fp2(Fp c0, Fp c1)
    {
        C0 = c0; C1 = c1;
    }

    public static Fp2 Zero => default;
    public static Fp2 One => new(Fp.One, Fp.Zero);

    /// <summary>ξ = 9 + u: the non-residue that builds Fp6 and defines the twist b' = 3/ξ.</summary>
    public static Fp2 NonResidue => new(Fp.FromUInt64(9), Fp.One);

    public bool IsZero => C0.IsZero && C1.IsZero;

    public static Fp2 operator +(Fp2 a, Fp2 b) => new(a.C0 + b.C0, a.C1 + b.C1);
    public static Fp2 operator -(Fp2 a, Fp2 b) => new(a.C0 - b.C0, a.C1 - b.C1);
    public static Fp2 operator -(Fp2 a) => new(-a.C0, -a.C1);

    /// <summary>Karatsuba: 3 base multiplications.</summary>
    public static Fp2 operator *(Fp2 a, Fp2 b)
    {
        var v0 = a.C0 * b.C0;
        var v1 = a.C1 * b.C1;
        return new Fp2(v0 - v1, (a.C0 + a.C1) * (b.C0 + b.C1) - v0 - v1);
    }

    public static Fp2 operator *(Fp2 a, Fp b) => new(a.C0 * b, a.C1 * b);

    /// <summary>(a + bu)² = (a + b)(a - b) + 2ab·u.</summary>
    public Fp2 Square() => new((C0 + C1) * (C0 - C1), (C0 * C1).Double());

    public Fp2 Double() => new(C0.Double(), C1.Double());

    public Fp2 Conjugate() => new(C0, -C1);

    /// <summary>Multiplication by ξ = 9 + u, done with additions only.</summary>
    public Fp2 MulByNonResidue()
    {
        var c0x8 = C0.Double().Double().Double();
        var c1x8 = C1.Double().Double().Double();
        return new Fp2(c0x8 + C0 - C1, c1x8 + C1 + C0);
    }

    /// <summary>1/(a + bu) = (a - bu)/(a² + b²); throws for zero.</summary>
    public Fp2 Inverse()
    {
        if (IsZero) throw new DivideByZeroException("zero has no inverse in Fp2");
        var t = (C0.Square() + C1.Square()).Inverse();
        return new Fp2(C0 * t, -(C1 * t));
    }

    public Fp2 InverseVartime()
    {
        if (IsZero) throw new DivideByZeroException("zero has no inverse in Fp2");
        var t = (C0.Square() + C1.Square()).InverseVartime();
        return new Fp2(C0 * t, -(C1 * t));
    }

    public static void BatchInverse(Span<Fp2> values) => Field.BatchInverse(values);

    public bool Equals(Fp2 o) => C0 == o.C0 && C1 == o.C1;
    public override bool Equals(object? obj) => obj is Fp2 o && Equals(o);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(Fp2 a, Fp2 b) => a.Equals(b);
    public static bool operator !=(Fp2 a, Fp2 b) => !a.Equals(b);
    public override string ToString() => $"({C0} + {C1}·u)";
}
