using System.Numerics;
using CsCheck;
using Validium.Crypto;

namespace Validium.Crypto.Tests;

public class G2Tests
{
    private static readonly BigInteger P = Fp.Modulus;
    private static readonly BigInteger R = Fr.Modulus;

    /// <summary>
    /// A point of the twist found by trying x until x³ + b' is a square, with no cofactor clearing: the twist has
    /// (2p - r)·r points, so it lies outside G2 except with negligible probability.
    /// </summary>
    private static readonly Gen<G2Affine> TwistPoint = TowerGen.Fp2.Select(x0 =>
    {
        for (var x = x0; ; x += Fp2.One)
        {
            if ((x.Square() * x + G2Jacobian.B).TrySqrt(out var y)) return new G2Affine(x, y);
        }
    });

    private static readonly Gen<G2Affine> SubgroupPoint = Gen.Byte.Array[32].Select(b => G2Affine.Generator * Fr.FromBytesReduced(b));

    [Fact]
    public void GeneratorIsInTheSubgroup()
    {
        Assert.True(G2Affine.Generator.IsOnCurve());
        Assert.True(G2Affine.Generator.IsInSubgroup());
        Assert.True(G2Affine.Generator.IsInSubgroupByOrder());
        Assert.True(G2Affine.Infinity.IsInSubgroup());
    }

    [Fact]
    public void RandomTwistPointsAreRejectedByBothSubgroupChecks() => TwistPoint.Sample(q =>
    {
        Assert.True(q.IsOnCurve());
        Assert.False(q.IsInSubgroupByOrder());
        Assert.False(q.IsInSubgroup());
    }, iter: 20);

    [Fact]
    public void ClearingTheCofactorLandsInTheSubgroup() => TwistPoint.Sample(q =>
    {
        var cleared = q.ToJacobian().Multiply(2 * P - R).ToAffine();
        Assert.True(cleared.IsInSubgroupByOrder());
        Assert.True(cleared.IsInSubgroup());
    }, iter: 10);

    [Fact]
    public void PsiActsAsMultiplicationByPOnG2() => SubgroupPoint.Sample(q =>
    {
        Assert.True(q.IsInSubgroup());
        Assert.Equal(q.ToJacobian().Multiply(P % R), q.Psi().ToJacobian());
    }, iter: 10);

    [Fact]
    public void MultiplesOfTheGeneratorMatchFfjavascript()
    {
        foreach (var v in Vectors.Pairing.GetProperty("g2Multiples").EnumerateArray())
        {
            var k = BigInteger.Parse(v.GetProperty("k").GetString()!);
            var expected = Vectors.G2(v.GetProperty("point"));
            Assert.Equal(expected, G2Affine.Generator.ToJacobian().Multiply(k).ToAffine());
            Assert.Equal(v.GetProperty("uncompressed").GetString(), Convert.ToHexStringLower(expected.ToUncompressed()));
            Assert.Equal(v.GetProperty("compressed").GetString(), Convert.ToHexStringLower(expected.ToCompressed()));
            Assert.Equal(expected, G2Affine.ReadCompressed(Convert.FromHexString(v.GetProperty("compressed").GetString()!)));
            Assert.Equal(expected, G2Affine.ReadUncompressed(Convert.FromHexString(v.GetProperty("uncompressed").GetString()!)));
        }
    }

    [Fact]
    public void GeneratorEncodingIsTheEip197One()
    {
        // From EIP-197: x = x_im·i + x_re with the imaginary part written first.
        const string expected =
            "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2" +
            "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed" +
            "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b" +
            "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
        Assert.Equal(expected, Convert.ToHexStringLower(G2Affine.Generator.ToUncompressed()));
    }

    [Fact]
    public void EncodingsRoundTrip() => SubgroupPoint.Sample(q =>
    {
        Assert.Equal(q, G2Affine.ReadUncompressed(q.ToUncompressed()));
        Assert.Equal(q, G2Affine.ReadCompressed(q.ToCompressed()));
        Assert.Equal(q.Negate(), G2Affine.ReadCompressed(q.Negate().ToCompressed()));
        Assert.NotEqual(q.ToCompressed()[0] & 0x80, q.Negate().ToCompressed()[0] & 0x80);
        Assert.Equal(q, G2Affine.FromDecimal(q.ToDecimal()));
    }, iter: 20);

    [Fact]
    public void InfinityEncodings()
    {
        Assert.Equal(new byte[128], G2Affine.Infinity.ToUncompressed());
        Assert.Equal(G2Affine.Infinity, G2Affine.ReadUncompressed(new byte[128]));
        var c = G2Affine.Infinity.ToCompressed();
        Assert.Equal(0x40, c[0]);
        Assert.All(c[1..], b => Assert.Equal(0, b));
        Assert.Equal(G2Affine.Infinity, G2Affine.ReadCompressed(c));
        Assert.Equal(G2Affine.Infinity, G2Affine.FromDecimal([["0", "0"], ["0", "0"]]));
        Assert.Equal(G2Affine.Infinity, G2Affine.FromDecimal([["0", "0"], ["1", "0"], ["0", "0"]]));
    }

    [Fact]
    public void UncompressedRejectsBadInput()
    {
        var good = G2Affine.Generator.ToUncompressed();
        Assert.Throws<FormatException>(() => G2Affine.ReadUncompressed(good[..127]));
        for (int coordinate = 0; coordinate < 4; coordinate++)
        {
            // The coordinate plus p: the same residue, but not the canonical encoding.
            var b = (byte[])good.Clone();
            var v = new BigInteger(b.AsSpan(coordinate * 32, 32), isUnsigned: true, isBigEndian: true) + P;
            Assert.True(v.GetBitLength() <= 256);
            v.TryWriteBytes(b.AsSpan(coordinate * 32, 32), out _, isUnsigned: true, isBigEndian: true);
            Assert.Throws<FormatException>(() => G2Affine.ReadUncompressed(b));
        }
        var offCurve = (byte[])good.Clone();
        offCurve[127] ^= 1;
        Assert.Throws<FormatException>(() => G2Affine.ReadUncompressed(offCurve));
        var outside = TwistPoint.Single();
        Assert.Throws<FormatException>(() => G2Affine.ReadUncompressed(outside.ToUncompressed()));
    }

    [Fact]
    public void CompressedRejectsBadInput()
    {
        var good = G2Affine.Generator.ToCompressed();
        Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(good[..63]));

        var infinityWithX = G2Affine.Infinity.ToCompressed();
        infinityWithX[63] = 1;
        Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(infinityWithX));
        var infinityWithSign = G2Affine.Infinity.ToCompressed();
        infinityWithSign[0] |= 0x80;
        Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(infinityWithSign));

        var xReal = (byte[])good.Clone();
        var v = new BigInteger(xReal.AsSpan(32, 32), isUnsigned: true, isBigEndian: true) + P;
        v.TryWriteBytes(xReal.AsSpan(32, 32), out _, isUnsigned: true, isBigEndian: true);
        Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(xReal));

        var xImaginary = (byte[])good.Clone();
        P.TryWriteBytes(xImaginary.AsSpan(0, 32), out _, isUnsigned: true, isBigEndian: true);
        xImaginary[0] |= (byte)(good[0] & 0x80);
        Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(xImaginary));

        var outside = TwistPoint.Single();
        Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(outside.ToCompressed()));

        // Search for an x whose x³ + b' is not a square; about half of all x qualify.
        var notOnCurve = new Fp2(Fp.FromUInt64(1), Fp.FromUInt64(1));
        while ((notOnCurve.Square() * notOnCurve + G2Jacobian.B).TrySqrt(out _)) notOnCurve += Fp2.One;
        var bad = new byte[64];
        notOnCurve.C1.WriteBigEndian(bad);
        notOnCurve.C0.WriteBigEndian(bad.AsSpan(32));
        Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(bad));
    }

    [Fact]
    public void CreateAndDecimalRejectPointsOutsideG2()
    {
        var outside = TwistPoint.Single();
        Assert.Throws<ArgumentException>(() => G2Affine.Create(outside.X, outside.Y));
        Assert.Throws<ArgumentException>(() => G2Affine.FromDecimal(outside.ToDecimal()));
        var g = G2Affine.Generator;
        Assert.Throws<ArgumentException>(() => G2Affine.Create(g.X, g.Y + Fp2.One));
        Assert.Throws<FormatException>(() => G2Affine.FromDecimal([["1", "2"], ["3", "4"], ["2", "0"]]));
    }
}
