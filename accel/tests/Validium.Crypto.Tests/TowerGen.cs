using CsCheck;

namespace Validium.Crypto.Tests;

/// <summary>Generators for tower elements: uniform field elements, plus the special values that break formulas.</summary>
internal static class TowerGen
{
    public static readonly Gen<Fp> Fp = Gen.OneOf(
        Gen.OneOfConst(Crypto.Fp.Zero, Crypto.Fp.One, -Crypto.Fp.One),
        Gen.Byte.Array[32].Select(b => Crypto.Fp.FromBytesReduced(b)));

    public static readonly Gen<Fp2> Fp2 = Gen.Select(Fp, Fp).Select((a, b) => new Fp2(a, b));
    public static readonly Gen<Fp6> Fp6 = Gen.Select(Fp2, Fp2, Fp2).Select((a, b, c) => new Fp6(a, b, c));
    public static readonly Gen<Fp12> Fp12 = Gen.Select(Fp6, Fp6).Select((a, b) => new Fp12(a, b));
    public static readonly Gen<Fp12> NonZeroFp12 = Fp12.Where(x => !x.IsZero);

    /// <summary>A random element of the cyclotomic subgroup: the easy part of the final exponentiation, spelled out.</summary>
    public static Fp12 ToCyclotomic(Fp12 f)
    {
        var t = f.Conjugate() * f.Inverse();
        return t.Frobenius(2) * t;
    }
}
