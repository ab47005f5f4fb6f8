using System.Numerics;
using CsCheck;
using Validium.Crypto;

namespace Validium.Crypto.Tests;

public class PairingTests
{
    private static readonly BigInteger P = Fp.Modulus;
    private static readonly BigInteger R = Fr.Modulus;
    private static readonly BigInteger X = G2Affine.CurveParameterX;

    private static readonly Gen<Fr> Scalar = Gen.Byte.Array[32].Select(b => Fr.FromBytesReduced(b));

    private static Fp12 E(G1Affine p, G2Affine q) => Pairing.Pair(p, q);

    [Fact]
    public void NonDegenerateAndInGt()
    {
        var e = E(G1Affine.Generator, G2Affine.Generator);
        Assert.NotEqual(Fp12.One, e);
        Assert.Equal(Fp12.One, e.Pow(R));
    }

    [Fact]
    public void NegatingOneSideInverts()
    {
        var (g1, g2) = (G1Affine.Generator, G2Affine.Generator);
        Assert.Equal(Fp12.One, E(g1, g2) * E(g1.Negate(), g2));
        Assert.Equal(E(g1, g2).Conjugate(), E(g1, g2.Negate()));
        Assert.True(Pairing.PairingCheck([(g1, g2), (g1.Negate(), g2)]));
        Assert.False(Pairing.PairingCheck([(g1, g2), (g1, g2)]));
    }

    [Fact]
    public void Bilinear() => Gen.Select(Scalar, Scalar).Sample((a, b) =>
    {
        var (g1, g2) = (G1Affine.Generator, G2Affine.Generator);
        var e = E(g1, g2);
        var expected = e.Pow((a * b).ToBigInteger());
        Assert.Equal(expected, E(g1 * a, g2 * b));
        Assert.Equal(expected, E(g1 * (a * b), g2));
        Assert.Equal(expected, E(g1, g2 * (a * b)));
    }, iter: 3);

    [Fact]
    public void AdditiveInEachArgument() => Gen.Select(Scalar, Scalar).Sample((a, b) =>
    {
        var (p1, p2) = (G1Affine.Generator * a, G1Affine.Generator * b);
        var (q1, q2) = (G2Affine.Generator * b, G2Affine.Generator * a);
        Assert.Equal(E(p1, q1) * E(p2, q1), E((p1 + p2).ToAffine(), q1));
        Assert.Equal(E(p1, q1) * E(p1, q2), E(p1, (q1 + q2).ToAffine()));
    }, iter: 2);

    [Fact]
    public void InfinityContributesOne()
    {
        var (g1, g2) = (G1Affine.Generator, G2Affine.Generator);
        Assert.Equal(Fp12.One, E(G1Affine.Infinity, g2));
        Assert.Equal(Fp12.One, E(g1, G2Affine.Infinity));
        Assert.True(Pairing.PairingCheck([]));
        Assert.True(Pairing.PairingCheck([(g1, G2Affine.Infinity), (G1Affine.Infinity, g2)]));
        Assert.True(Pairing.PairingCheck([(g1, G2Affine.Infinity), (g1, g2), (g1.Negate(), g2)]));
        Assert.False(Pairing.PairingCheck([(G1Affine.Infinity, g2), (g1, g2)]));
    }

    [Fact]
    public void MultiPairingSharesOneLoop()
    {
        var a = Fr.FromUInt64(5);
        var pairs = new (G1Affine, G2Affine)[] { (G1Affine.Generator * a, G2Affine.Generator), (G1Affine.Generator, G2Affine.Generator * a) };
        var product = E(pairs[0].Item1, pairs[0].Item2) * E(pairs[1].Item1, pairs[1].Item2);
        Assert.Equal(product, Pairing.FinalExponentiation(Pairing.MillerLoop(pairs)));
    }

    [Fact]
    public void PairingCheckRejectsPointsOutsideTheGroups()
    {
        var g2 = G2Affine.Generator;
        var offCurve = new G1Affine(Fp.One, Fp.One);
        Assert.Throws<ArgumentException>(() => Pairing.PairingCheck([(offCurve, g2)]));
        var x = Fp2.One;
        Fp2 y;
        while (!(x.Square() * x + G2Jacobian.B).TrySqrt(out y)) x += Fp2.One;
        Assert.Throws<ArgumentException>(() => Pairing.PairingCheck([(G1Affine.Generator, new G2Affine(x, y))]));
    }

    [Fact]
    public void FinalExponentiationIsTheStatedPower() => TowerGen.NonZeroFp12.Sample(f =>
    {
        // The fast addition chain against its definition: f^((p^12 - 1)/r · 2x(6x² + 3x + 1)).
        var m = 2 * X * (6 * X * X + 3 * X + 1);
        Assert.Equal(f.Pow((BigInteger.Pow(P, 12) - 1) / R * m), Pairing.FinalExponentiation(f));
    }, iter: 2);

    [Fact]
    public void PairingChecksMatchFfjavascript()
    {
        foreach (var c in Vectors.Pairing.GetProperty("pairingChecks").EnumerateArray())
        {
            var pairs = c.GetProperty("pairs").EnumerateArray()
                .Select(p => (Vectors.G1(p.GetProperty("g1")), Vectors.G2(p.GetProperty("g2")))).ToArray();
            Assert.True(c.GetProperty("expected").GetBoolean() == Pairing.PairingCheck(pairs), c.GetProperty("name").GetString());
        }
    }

    [Fact]
    public void PairingValuesMatchFfjavascriptCoordinateForCoordinate()
    {
        foreach (var v in Vectors.Pairing.GetProperty("pairings").EnumerateArray())
        {
            var gt = v.GetProperty("gt").EnumerateArray().Select(c6 => Vectors.StringMatrix(c6)).ToArray();
            Fp2 F2(string[] c) => new(Fp.Parse(c[0]), Fp.Parse(c[1]));
            Fp6 F6(string[][] c) => new(F2(c[0]), F2(c[1]), F2(c[2]));
            var expected = new Fp12(F6(gt[0]), F6(gt[1]));
            Assert.Equal(expected, E(Vectors.G1(v.GetProperty("g1")), Vectors.G2(v.GetProperty("g2"))));
        }
    }
}
