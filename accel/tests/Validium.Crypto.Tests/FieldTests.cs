using System.Numerics;
using CsCheck;
using Validium.Crypto;

namespace Validium.Crypto.Tests;

/// <summary>Fp and Fr against System.Numerics.BigInteger, with the special values that break carries.</summary>
public class FieldTests
{
    private static readonly BigInteger P = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583");
    private static readonly BigInteger R = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");
    private static readonly BigInteger Two256 = BigInteger.One << 256;

    private static BigInteger[] Specials(BigInteger m) =>
        [0, 1, 2, m - 1, m - 2, (m - 1) / 2, (m + 1) / 2, Two256 % m, BigInteger.ModPow(Two256, 2, m), (BigInteger.One << 64) % m, ((BigInteger.One << 192) - 1) % m];

    private static Gen<BigInteger> Element(BigInteger m) =>
        Gen.OneOf(
            Gen.OneOfConst(Specials(m)),
            Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % m));

    [Fact]
    public void ModulusConstantsAreConsistent()
    {
        Assert.Equal(P, Fp.Modulus);
        Assert.Equal(R, Fr.Modulus);
        Assert.Equal(Two256 % P, Fp.One.MontgomeryLimbs.ToBigInteger());
        Assert.Equal(Two256 % R, Fr.One.MontgomeryLimbs.ToBigInteger());
        Assert.Equal(BigInteger.ModPow(Two256, 2, P), FpModulus.R2.ToBigInteger());
        Assert.Equal(BigInteger.ModPow(Two256, 2, R), FrModulus.R2.ToBigInteger());
        var w64 = BigInteger.One << 64;
        Assert.Equal(w64 - ModInverse(P, w64), (BigInteger)FpModulus.NegInv);
        Assert.Equal(w64 - ModInverse(R, w64), (BigInteger)FrModulus.NegInv);
    }

    // Only used with m = 2^64: φ(2^64) = 2^63 and every odd a is a unit, so a^(2^63 - 1) = a^-1.
    private static BigInteger ModInverse(BigInteger a, BigInteger m) => BigInteger.ModPow(a, m / 2 - 1, m);

    [Fact]
    public void FpArithmeticMatchesBigInteger() => Gen.Select(Element(P), Element(P)).Sample((a, b) =>
    {
        var fa = Fp.FromBigInteger(a);
        var fb = Fp.FromBigInteger(b);
        Assert.Equal((a + b) % P, (fa + fb).ToBigInteger());
        Assert.Equal(((a - b) % P + P) % P, (fa - fb).ToBigInteger());
        Assert.Equal(a * b % P, (fa * fb).ToBigInteger());
        Assert.Equal(a * a % P, fa.Square().ToBigInteger());
        Assert.Equal((P - a) % P, (-fa).ToBigInteger());
        if (!a.IsZero) Assert.Equal(BigInteger.ModPow(a, P - 2, P), fa.Inverse().ToBigInteger());
        if (!a.IsZero) Assert.Equal(BigInteger.ModPow(a, P - 2, P), fa.InverseVartime().ToBigInteger());
    }, iter: 2000);

    [Fact]
    public void FrArithmeticMatchesBigInteger() => Gen.Select(Element(R), Element(R)).Sample((a, b) =>
    {
        var fa = Fr.FromBigInteger(a);
        var fb = Fr.FromBigInteger(b);
        Assert.Equal((a + b) % R, (fa + fb).ToBigInteger());
        Assert.Equal(((a - b) % R + R) % R, (fa - fb).ToBigInteger());
        Assert.Equal(a * b % R, (fa * fb).ToBigInteger());
        Assert.Equal((R - a) % R, (-fa).ToBigInteger());
        if (!a.IsZero) Assert.Equal(BigInteger.ModPow(a, R - 2, R), fa.Inverse().ToBigInteger());
        if (!a.IsZero) Assert.Equal(BigInteger.ModPow(a, R - 2, R), fa.InverseVartime().ToBigInteger());
    }, iter: 2000);

    [Fact]
    public void VartimeInversionOfZeroThrowsAndBatchKeepsZeros()
    {
        Assert.Throws<DivideByZeroException>(() => Fp.Zero.InverseVartime());
        Assert.Throws<DivideByZeroException>(() => Fr.Zero.InverseVartime());
        Assert.Throws<DivideByZeroException>(() => Fp2.Zero.InverseVartime());
        Fp2[] v = [new(Fp.FromUInt64(3), Fp.FromUInt64(5)), Fp2.Zero, new(Fp.Zero, Fp.FromUInt64(9))];
        Field.BatchInverseVartime<Fp2>(v);
        Assert.Equal(Fp2.One, v[0] * new Fp2(Fp.FromUInt64(3), Fp.FromUInt64(5)));
        Assert.Equal(Fp2.Zero, v[1]);
        Assert.Equal(Fp2.One, v[2] * new Fp2(Fp.Zero, Fp.FromUInt64(9)));
    }

    [Fact]
    public void PowerOfZeroStaysZeroForExponentsMultipleOfTheGroupOrder()
    {
        Assert.Equal(Fp.Zero, Fp.Zero.Pow(P - 1));
        Assert.Equal(Fr.Zero, Fr.Zero.Pow(3 * (R - 1)));
        Assert.Equal(Fp.One, Fp.Zero.Pow(BigInteger.Zero));
        Assert.Equal(Fp.One, Fp.FromUInt64(7).Pow(P - 1));
    }
}
