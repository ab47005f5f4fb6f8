using System.Numerics;
using CsCheck;
using Validium.Crypto;

namespace Validium.Crypto.Tests;

public class TowerTests
{
    private static readonly BigInteger P = Fp.Modulus;

    [Fact]
    public void Fp2SqrtOfSquaresRoundTrips() => TowerGen.Fp2.Sample(a =>
    {
        var sq = a.Square();
        Assert.True(sq.TrySqrt(out var root));
        Assert.Equal(sq, root.Square());
        Assert.True(root == a || root == -a);
    }, iter: 300);

    [Fact]
    public void Fp2SqrtRejectsNonSquares() => TowerGen.Fp2.Where(a => !a.IsZero).Sample(a =>
    {
        // ξ is a non-residue (it builds the sextic twist), so exactly one of a² and ξ·a² is a square.
        var nonSquare = a.Square() * Fp2.NonResidue;
        Assert.False(nonSquare.TrySqrt(out _));
    }, iter: 200);

    [Fact]
    public void Fp2SqrtOfBaseFieldElements() => TowerGen.Fp.Sample(a =>
    {
        var x = new Fp2(a, Fp.Zero);
        Assert.True(x.TrySqrt(out var root));
        Assert.Equal(x, root.Square());
    }, iter: 200);

    [Fact]
    public void Fp2FrobeniusIsPowerP() => TowerGen.Fp2.Sample(a => Assert.Equal(a.Pow(P), a.Frobenius()), iter: 50);

    [Fact]
    public void NonResidueIsNeitherSquareNorCube()
    {
        var order = P * P - 1;
        Assert.NotEqual(Fp2.One, Fp2.NonResidue.Pow(order / 2));
        Assert.NotEqual(Fp2.One, Fp2.NonResidue.Pow(order / 3));
    }

    [Fact]
    public void Fp6FieldAxioms() => Gen.Select(TowerGen.Fp6, TowerGen.Fp6, TowerGen.Fp6).Sample((a, b, c) =>
    {
        Assert.Equal(a * b, b * a);
        Assert.Equal((a * b) * c, a * (b * c));
        Assert.Equal(a * (b + c), a * b + a * c);
        Assert.Equal(a * a, a.Square());
        Assert.Equal(a + a, a.Double());
        Assert.Equal(Fp6.Zero, a - a);
        Assert.Equal(a, a * Fp6.One);
        if (!a.IsZero) Assert.Equal(Fp6.One, a * a.Inverse());
    }, iter: 200);

    [Fact]
    public void Fp6CubeOfVIsXi()
    {
        var v = new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero);
        Assert.Equal(new Fp6(Fp2.NonResidue, Fp2.Zero, Fp2.Zero), v * v * v);
        Assert.Equal(v * v, v.MulByNonResidue());
    }

    [Fact]
    public void Fp6SparseMultiplicationMatchesFull() => Gen.Select(TowerGen.Fp6, TowerGen.Fp2, TowerGen.Fp2).Sample((a, b0, b1) =>
    {
        Assert.Equal(a * new Fp6(b0, b1, Fp2.Zero), a.MulBy01(b0, b1));
        Assert.Equal(a * new Fp6(b0, Fp2.Zero, Fp2.Zero), a * b0);
        Assert.Equal(a * new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero), a.MulByNonResidue());
    }, iter: 200);

    [Fact]
    public void Fp6FrobeniusIsPowerP() => TowerGen.Fp6.Sample(a =>
    {
        Assert.Equal(a.Pow(P), a.Frobenius(1));
        Assert.Equal(a.Pow(P * P), a.Frobenius(2));
        Assert.Equal(a, a.Frobenius(6));
    }, iter: 10);

    [Fact]
    public void Fp12FieldAxioms() => Gen.Select(TowerGen.Fp12, TowerGen.Fp12, TowerGen.Fp12).Sample((a, b, c) =>
    {
        Assert.Equal(a * b, b * a);
        Assert.Equal((a * b) * c, a * (b * c));
        Assert.Equal(a * (b + c), a * b + a * c);
        Assert.Equal(a * a, a.Square());
        Assert.Equal(Fp12.Zero, a - a);
        Assert.Equal(a, a * Fp12.One);
        if (!a.IsZero) Assert.Equal(Fp12.One, a * a.Inverse());
    }, iter: 100);

    [Fact]
    public void Fp12SquareOfWIsV()
    {
        var w = new Fp12(Fp6.Zero, Fp6.One);
        Assert.Equal(new Fp12(new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero), Fp6.Zero), w.Square());
    }

    [Fact]
    public void Fp12SparseLineMultiplicationMatchesFull() => Gen.Select(TowerGen.Fp12, TowerGen.Fp2, TowerGen.Fp2, TowerGen.Fp2).Sample((a, c0, c3, c4) =>
    {
        var line = new Fp12(new Fp6(c0, Fp2.Zero, Fp2.Zero), new Fp6(c3, c4, Fp2.Zero));
        Assert.Equal(a * line, a.MulBy034(c0, c3, c4));
    }, iter: 200);

    [Fact]
    public void Fp12FrobeniusIsPowerP() => TowerGen.Fp12.Sample(a =>
    {
        var ap = a.Pow(P);
        Assert.Equal(ap, a.Frobenius(1));
        Assert.Equal(ap.Pow(P), a.Frobenius(2));
        Assert.Equal(a.Frobenius(2).Frobenius(1), a.Frobenius(3));
    }, iter: 5);

    [Fact]
    public void Fp12FrobeniusComposesAndHasOrderTwelve() => TowerGen.Fp12.Sample(a =>
    {
        var x = a;
        for (int k = 1; k <= 12; k++)
        {
            x = x.Frobenius(1);
            Assert.Equal(a.Frobenius(k), x);
        }
        Assert.Equal(a, x);
        Assert.Equal(a.Conjugate(), a.Frobenius(6));
    }, iter: 30);

    [Fact]
    public void CyclotomicSquareMatchesSquareInTheCyclotomicSubgroup() => TowerGen.NonZeroFp12.Sample(f =>
    {
        var c = TowerGen.ToCyclotomic(f);
        Assert.Equal(c.Square(), c.CyclotomicSquare());
        Assert.Equal(Fp12.One, c * c.Conjugate());
        Assert.Equal(c.Pow(12345678901234567), c.CyclotomicPow(12345678901234567));
    }, iter: 50);
}
