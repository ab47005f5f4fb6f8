using System.Numerics;
using CsCheck;

namespace Validium.Crypto.Tests;

/// <summary>Batched affine additions against one-at-a-time Jacobian addition, on the AVX-512 path and the scalar one.</summary>
[Collection(FieldVec8Collection.Name)]
public class BatchAffineAdderTests
{
    public static TheoryData<bool> Paths => new() { false, true };

    private static readonly Gen<G1Affine> Point = Gen.ULong[1, ulong.MaxValue].Select(k => G1Jacobian.Generator.Multiply(new BigInteger(k)).ToAffine());

    /// <summary>Per pair: 0 distinct points, 1 doubling, 2 a = -b, 3 a infinite, 4 b infinite.</summary>
    private static readonly Gen<int> Kind = Gen.Frequency((12, Gen.Const(0)), (1, Gen.Int[1, 4]));

    private static G1Affine[] Expected(G1Affine[] a, G1Affine[] b) => a.Zip(b, (p, q) => p.ToJacobian().AddMixed(q).ToAffine()).ToArray();

    [Theory]
    [MemberData(nameof(Paths))]
    public void RegularPairsOfAnyCountMatchJacobianAddition(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Int[0, 40].SelectMany(n => Gen.Select(Point.Array[n], Point.Array[n])).Sample((a, b) =>
        {
            var expected = Expected(a, b);
            new BatchAffineAdder<G1Affine, Fp>(64).AddInPlace(a, b);
            Assert.Equal(expected, a);
        }, iter: 40));

    [Theory]
    [MemberData(nameof(Paths))]
    public void DoublingCancellationAndInfinityAreHandled(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Select(Point.Array[16], Point.Array[16], Kind.Array[16]).Sample((a, b, kinds) =>
        {
            for (int e = 0; e < kinds.Length; e++)
            {
                switch (kinds[e])
                {
                    case 1: b[e] = a[e]; break;
                    case 2: b[e] = a[e].Negate(); break;
                    case 3: a[e] = G1Affine.Infinity; break;
                    case 4: b[e] = G1Affine.Infinity; break;
                }
            }
            var expected = Expected(a, b);
            new BatchAffineAdder<G1Affine, Fp>(16).AddInPlace(a, b);
            Assert.Equal(expected, a);
        }, iter: 40));

    private static readonly Gen<G2Affine> PointG2 = Gen.ULong[1, ulong.MaxValue].Select(k => G2Jacobian.Generator.Multiply(new BigInteger(k)).ToAffine());

    [Theory]
    [MemberData(nameof(Paths))]
    public void G2RegularPairsOfAnyCountMatchJacobianAddition(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Int[0, 40].SelectMany(n => Gen.Select(PointG2.Array[n], PointG2.Array[n])).Sample((a, b) =>
        {
            var expected = a.Zip(b, (p, q) => p.ToJacobian().AddMixed(q).ToAffine()).ToArray();
            new BatchAffineAdder<G2Affine, Fp2>(64).AddInPlace(a, b);
            Assert.Equal(expected, a);
        }, iter: 20));

    [Theory]
    [MemberData(nameof(Paths))]
    public void G2DoublingCancellationAndInfinityAreHandled(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Select(PointG2.Array[16], PointG2.Array[16], Kind.Array[16]).Sample((a, b, kinds) =>
        {
            for (int e = 0; e < kinds.Length; e++)
            {
                switch (kinds[e])
                {
                    case 1: b[e] = a[e]; break;
                    case 2: b[e] = a[e].Negate(); break;
                    case 3: a[e] = G2Affine.Infinity; break;
                    case 4: b[e] = G2Affine.Infinity; break;
                }
            }
            var expected = a.Zip(b, (p, q) => p.ToJacobian().AddMixed(q).ToAffine()).ToArray();
            new BatchAffineAdder<G2Affine, Fp2>(16).AddInPlace(a, b);
            Assert.Equal(expected, a);
        }, iter: 20));

    [Fact]
    public void MisuseIsRejected()
    {
        var adder = new BatchAffineAdder<G1Affine, Fp>(4);
        Assert.Throws<ArgumentException>(() => adder.AddInPlace(new G1Affine[5], new G1Affine[5]));
        Assert.Throws<ArgumentException>(() => adder.AddInPlace(new G1Affine[3], new G1Affine[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchAffineAdder<G1Affine, Fp>(0));
    }
}
