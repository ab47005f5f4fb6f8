using System.Numerics;
using CsCheck;

namespace Validium.Crypto.Tests;

[Collection(FieldVec8Collection.Name)]
public class G1AffineBatch8Tests
{
    public static TheoryData<bool> Paths => new() { false, true };

    private static readonly Gen<G1Affine> Point = Gen.ULong[1, ulong.MaxValue].Select(k => G1Jacobian.Generator.Multiply(new BigInteger(k)).ToAffine());

    /// <summary>Per lane: 0 distinct points, 1 doubling, 2 a = -b, 3 a infinite, 4 b infinite.</summary>
    private static readonly Gen<int> Kind = Gen.Frequency((6, Gen.Const(0)), (1, Gen.Int[1, 4]));

    private static Fp DenominatorInverse(G1Affine a, G1Affine b)
    {
        if (a.IsInfinity || b.IsInfinity || (a.X == b.X && a.Y != b.Y)) return Fp.Zero;
        return a == b ? a.Y.Double().Inverse() : (b.X - a.X).Inverse();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sums_equal_Jacobian_addition(bool scalar) => VecPath.Run(scalar, () =>
        Gen.Select(Point.Array[8], Point.Array[8], Kind.Array[8], Gen.Bool).Sample((a, b, kinds, inPlace) =>
        {
            for (int e = 0; e < 8; e++)
            {
                switch (kinds[e])
                {
                    case 1: b[e] = a[e]; break;
                    case 2: b[e] = a[e].Negate(); break;
                    case 3: a[e] = G1Affine.Infinity; break;
                    case 4: b[e] = G1Affine.Infinity; break;
                }
            }
            var expected = a.Zip(b, (p, q) => p.ToJacobian().AddMixed(q).ToAffine()).ToArray();
            var inv = a.Zip(b, DenominatorInverse).ToArray();
            var sums = inPlace ? a : new G1Affine[8];
            G1AffineBatch8.Add(a, b, inv, sums);
            Assert.Equal(expected, sums);
        }, iter: 50));
}
