using System.Numerics;
using CsCheck;

namespace Validium.Crypto.Tests;

/// <summary>The GLV constants and scalar split, checked with BigInteger and the plain double-and-add multiplication.</summary>
public class GlvTests
{
    private static readonly BigInteger R = Fr.Modulus;
    private static readonly BigInteger Lambda = Glv.Lambda.ToBigInteger();
    private static readonly BigInteger Bound = BigInteger.Pow(2, Glv.HalfBits);

    private static void SplitsCorrectly(BigInteger k)
    {
        var (m1, negative1, m2, negative2) = Glv.Decompose(Limbs4.FromBigInteger(k));
        var k1 = negative1 ? -(BigInteger)m1 : m1;
        var k2 = negative2 ? -(BigInteger)m2 : m2;
        Assert.True(BigInteger.Abs(k1) < Bound && BigInteger.Abs(k2) < Bound, $"k = {k}: k1 = {k1}, k2 = {k2} exceed 2^{Glv.HalfBits}");
        Assert.True(((k1 + k2 * Lambda - k) % R).IsZero, $"k = {k}: k1 + k2·λ = {k1} + {k2}·λ is not k mod r");
        Assert.False(negative1 && m1 == 0);
        Assert.False(negative2 && m2 == 0);
    }

    [Fact]
    public void LambdaIsANontrivialCubeRootOfUnityModR()
    {
        Assert.NotEqual(BigInteger.One, Lambda);
        Assert.Equal(BigInteger.One, BigInteger.ModPow(Lambda, 3, R));
    }

    [Fact]
    public void EdgeScalarsSplit()
    {
        BigInteger[] edges = [0, 1, 2, R - 1, R - 2, (R - 1) / 2, Lambda, R - Lambda, Lambda * Lambda % R,
            BigInteger.Pow(2, 253), BigInteger.Pow(2, 127), BigInteger.Pow(2, 127) - 1, BigInteger.Pow(2, 128), BigInteger.Pow(2, 64) - 1];
        foreach (var k in edges) SplitsCorrectly(k);
    }

    [Fact]
    public void RandomScalarsSplit() => GenFr.Any.Sample(k => SplitsCorrectly(k.ToBigInteger()), iter: 20_000);

    /// <summary>
    /// The split rounds k·b/r for the basis' second coordinates b; just below an integer is where its rounding
    /// errs most, so these scalars are the near-worst cases for the 2^127 bound.
    /// </summary>
    [Theory]
    [InlineData("9931322734385697763")]
    [InlineData("147946756881789319000765030803803410728")]
    public void ScalarsWhereTheRoundingErrsMostSplit(string coordinate)
    {
        var b = BigInteger.Parse(coordinate);
        Gen.ULong.Select(Gen.Int[-2, 2]).Sample((j, d) =>
        {
            var multiple = (new BigInteger(j) * BigInteger.Pow(2, 64) + j) % b;
            SplitsCorrectly(((multiple * R + b - 1) / b + d + R) % R);
        }, iter: 5_000);
    }

    [Fact]
    public void TheEndomorphismIsMultiplicationByLambdaOnG1() =>
        GenFr.Uniform.Sample(s =>
        {
            var p = G1Jacobian.Generator.Multiply(s).ToAffine();
            Assert.Equal(p.ToJacobian().Multiply(Glv.Lambda).ToAffine(), p.Endomorphism());
        }, iter: 20);

    [Fact]
    public void TheEndomorphismIsMultiplicationByLambdaOnG2() =>
        GenFr.Uniform.Sample(s =>
        {
            var p = G2Jacobian.Generator.Multiply(s).ToAffine();
            Assert.Equal(p.ToJacobian().Multiply(Glv.Lambda).ToAffine(), p.Endomorphism());
        }, iter: 10);

    [Fact]
    public void TheEndomorphismFixesInfinity()
    {
        Assert.True(G1Affine.Infinity.Endomorphism().IsInfinity);
        Assert.True(G2Affine.Infinity.Endomorphism().IsInfinity);
    }
}
