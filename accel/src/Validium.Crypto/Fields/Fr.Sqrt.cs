using System.Numerics;

namespace Validium.Crypto;

public readonly partial struct Fr
{
    /// <summary>r - 1 = 2^28 * T with T odd: NTT domains up to 2^28 exist.</summary>
    public const int TwoAdicity = 28;

    private static readonly BigInteger OddPart = (Modulus - 1) >> TwoAdicity;
    private static readonly Limbs4 LegendreExponent = Limbs4.FromBigInteger((Modulus - 1) / 2);

    /// <summary>5 generates the multiplicative group of Fr (the generator snarkjs/ffjavascript use).</summary>
    public static Fr MultiplicativeGenerator => FromUInt64(5);

    /// <summary>A primitive 2^28-th root of unity: 5^T.</summary>
    public static Fr TwoAdicRootOfUnity { get; } = FromUInt64(5).Pow(OddPart);

    /// <summary>Primitive 2^log root of unity (log ≤ 28), the one NTTs over this field agree on.</summary>
    public static Fr RootOfUnity(int log)
    {
        if ((uint)log > TwoAdicity) throw new ArgumentOutOfRangeException(nameof(log), $"Fr has roots of unity only up to 2^{TwoAdicity}");
        var w = TwoAdicRootOfUnity;
        for (int i = log; i < TwoAdicity; i++) w = w.Square();
        return w;
    }

    public int Legendre()
    {
        if (IsZero) return 0;
        return Pow(LegendreExponent).IsOne ? 1 : -1;
    }

    /// <summary>Tonelli–Shanks square root; false when the element is not a square.</summary>
    public bool TrySqrt(out Fr root)
    {
        root = Zero;
        if (IsZero) return true;
        if (Legendre() != 1) return false;
        int mExp = TwoAdicity;
        var c = TwoAdicRootOfUnity;
        var t = Pow(OddPart);
        var r = Pow((OddPart + 1) / 2);
        while (!t.IsOne)
        {
            int i = 0;
            var t2 = t;
            while (!t2.IsOne) { t2 = t2.Square(); i++; }
            var b = c;
            for (int j = 0; j < mExp - i - 1; j++) b = b.Square();
            mExp = i;
            c = b.Square();
            t *= c;
            r *= b;
        }
        root = r;
        return true;
    }
}
