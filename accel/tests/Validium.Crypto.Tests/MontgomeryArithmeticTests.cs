using System.Numerics;
using CsCheck;

namespace Validium.Crypto.Tests;

/// <summary>
/// Field arithmetic against System.Numerics.BigInteger as the oracle. Guards the carry/borrow code in
/// Mont, which every curve and hash in this project rests on.
/// </summary>
public class MontgomeryArithmeticTests
{
    private static Gen<BigInteger> Element(BigInteger p) => Gen.Frequency(
        (6, Gen.ULong.Array[4].Select(l => new BigInteger(l.SelectMany(BitConverter.GetBytes).ToArray(), isUnsigned: true) % p)),
        (1, Gen.OneOfConst(BigInteger.Zero, BigInteger.One, p - 1, p - 2, (p - 1) / 2, (p + 1) / 2)),
        (1, Gen.Int[0, 253].Select(k => (BigInteger.One << k) % p)),
        (1, Gen.Int[1, 64].Select(k => p - (BigInteger.One << k))));

    private static BigInteger Mod(BigInteger v, BigInteger p) => ((v % p) + p) % p;

    [Fact]
    public void Fr_operations_agree_with_big_integers()
    {
        var p = Fr.Modulus;
        Gen.Select(Element(p), Element(p)).Sample((a, b) =>
        {
            Fr x = Fr.FromBigInteger(a), y = Fr.FromBigInteger(b);
            Assert.Equal(Mod(a + b, p), (x + y).ToBigInteger());
            Assert.Equal(Mod(a - b, p), (x - y).ToBigInteger());
            Assert.Equal(Mod(-a, p), (-x).ToBigInteger());
            Assert.Equal(Mod(a * b, p), (x * y).ToBigInteger());
            Assert.Equal(Mod(a * a, p), x.Square().ToBigInteger());
            if (!a.IsZero) Assert.Equal(BigInteger.ModPow(a, p - 2, p), x.Inverse().ToBigInteger());
        }, iter: 2000);
    }

    [Fact]
    public void Fp_operations_agree_with_big_integers()
    {
        var p = Fp.Modulus;
        Gen.Select(Element(p), Element(p)).Sample((a, b) =>
        {
            Fp x = Fp.FromBigInteger(a), y = Fp.FromBigInteger(b);
            Assert.Equal(Mod(a + b, p), (x + y).ToBigInteger());
            Assert.Equal(Mod(a - b, p), (x - y).ToBigInteger());
            Assert.Equal(Mod(-a, p), (-x).ToBigInteger());
            Assert.Equal(Mod(a * b, p), (x * y).ToBigInteger());
            if (!a.IsZero) Assert.Equal(BigInteger.ModPow(a, p - 2, p), x.Inverse().ToBigInteger());
        }, iter: 2000);
    }
}
