using System.Numerics;
using System.Text.Json;
using CsCheck;

namespace Validium.Crypto.Tests;

/// <summary>
/// Point compression (32-byte G1, 64-byte G2; flag layout in validium/contracts/SPEC.md "Compressed proofs") against
/// ffjavascript's toRprCompressed/fromRprCompressed (compression.json), then round trips on random points and every
/// class of malformed encoding on random inputs.
/// </summary>
public class CompressionTests
{
    private static readonly JsonElement Json = VectorFile.Load("compression.json");
    private static readonly BigInteger P = Fp.Modulus;
    private static readonly BigInteger FlagsStart = BigInteger.One << 254;

    private static readonly Gen<G1Affine> G1Point = Gen.Byte.Array[32].Select(b => G1Affine.Generator * Fr.FromBytesReduced(b));
    private static readonly Gen<G2Affine> G2Point = Gen.Byte.Array[32].Select(b => G2Affine.Generator * Fr.FromBytesReduced(b));

    /// <summary>A value in [p, 2^254): not canonical, yet it leaves both flag bits alone.</summary>
    private static readonly Gen<BigInteger> AtLeastP = Gen.Byte.Array[32].Select(b => P + new BigInteger(b, isUnsigned: true) % (FlagsStart - P));

    /// <summary>v as a big-endian word at the start of dst, with flags or-ed into its first byte.</summary>
    private static void WriteWord(Span<byte> dst, BigInteger v, byte flags)
    {
        var bytes = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.True(bytes.Length <= 32);
        dst[..32].Clear();
        bytes.CopyTo(dst[(32 - bytes.Length)..]);
        dst[0] |= flags;
    }

    [Fact]
    public void G1MatchesFfjavascript()
    {
        foreach (var v in Json.GetProperty("g1").EnumerateArray())
        {
            var p = Vectors.G1(v.GetProperty("point"));
            Assert.Equal(v.Str("compressed"), Convert.ToHexStringLower(p.ToCompressed()));
            Assert.Equal(p, G1Affine.ReadCompressed(v.GetProperty("compressed").Hex()));
        }
    }

    [Fact]
    public void G2MatchesFfjavascript()
    {
        foreach (var v in Json.GetProperty("g2").EnumerateArray())
        {
            var q = Vectors.G2(v.GetProperty("point"));
            Assert.Equal(v.Str("compressed"), Convert.ToHexStringLower(q.ToCompressed()));
            Assert.Equal(q, G2Affine.ReadCompressed(v.GetProperty("compressed").Hex()));
        }
    }

    [Fact]
    public void VectorsCoverBothSigns()
    {
        foreach (var group in new[] { "g1", "g2" })
        {
            var signs = Json.GetProperty(group).EnumerateArray().Select(v => (v.GetProperty("compressed").Hex()[0] & 0x80) != 0).ToArray();
            Assert.Contains(true, signs);
            Assert.Contains(false, signs);
        }
    }

    [Fact]
    public void AbscissasWithoutAPointAreRejected()
    {
        foreach (var x in Json.GetProperty("g1OffCurve").EnumerateArray())
            Assert.Contains("not the abscissa", Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(x.Hex())).Message);
        foreach (var x in Json.GetProperty("g2OffTwist").EnumerateArray())
            Assert.Contains("not the abscissa", Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(x.Hex())).Message);
    }

    [Fact]
    public void TwistPointsOutsideG2AreRejected()
    {
        foreach (var x in Json.GetProperty("g2OutsideSubgroup").EnumerateArray())
            Assert.Contains("not in G2", Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(x.Hex())).Message);
    }

    [Fact]
    public void RandomPointsRoundTrip()
    {
        G1Point.Sample(p =>
        {
            Assert.Equal(p, G1Affine.ReadCompressed(p.ToCompressed()));
            Assert.Equal(p.Negate(), G1Affine.ReadCompressed(p.Negate().ToCompressed()));
            Assert.NotEqual(p.ToCompressed()[0] & 0x80, p.Negate().ToCompressed()[0] & 0x80);
        }, iter: 100);
        G2Point.Sample(q =>
        {
            Assert.Equal(q, G2Affine.ReadCompressed(q.ToCompressed()));
            Assert.Equal(q.Negate(), G2Affine.ReadCompressed(q.Negate().ToCompressed()));
        }, iter: 30);
    }

    [Fact]
    public void WrongLengthsAreRejected() => Gen.Int[0, 200].Sample(n =>
    {
        if (n != 32) Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(new byte[n]));
        if (n != 64) Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(new byte[n]));
    });

    [Fact]
    public void CoordinatesAtOrAbovePAreRejected()
    {
        Gen.Select(G1Point, AtLeastP).Sample((p, x) =>
        {
            var b = p.ToCompressed();
            WriteWord(b, x, (byte)(b[0] & 0x80));
            Assert.Contains("not below the", Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(b)).Message);
        }, iter: 50);
        Gen.Select(G2Point, AtLeastP, Gen.Bool).Sample((q, x, imaginary) =>
        {
            var b = q.ToCompressed();
            if (imaginary) WriteWord(b, x, (byte)(b[0] & 0x80));
            else WriteWord(b.AsSpan(32), x, 0);
            Assert.Contains("not below the", Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(b)).Message);
        }, iter: 30);
    }

    [Fact]
    public void InfinityFlagWithAnythingElseIsRejected()
    {
        // Both flags, or the infinity flag over a non-zero x: only 0x40 followed by zeros is the point at infinity.
        Gen.Select(Gen.Int[0, 31], Gen.Byte[1, 255], Gen.Bool).Sample((i, v, sign) =>
        {
            var b = new byte[32];
            b[0] = 0x40;
            if (sign) b[0] |= 0x80;
            else b[i] |= i == 0 ? (byte)(v & 0x3f | 1) : v;
            Assert.Contains("infinity", Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(b)).Message);
        });
        Gen.Select(Gen.Int[0, 63], Gen.Byte[1, 255], Gen.Bool).Sample((i, v, sign) =>
        {
            var b = new byte[64];
            b[0] = 0x40;
            if (sign) b[0] |= 0x80;
            else b[i] |= i == 0 ? (byte)(v & 0x3f | 1) : v;
            Assert.Contains("infinity", Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(b)).Message);
        });
        G1Point.Sample(p =>
        {
            var b = p.ToCompressed();
            b[0] |= 0x40;
            Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(b));
        }, iter: 20);
        G2Point.Sample(q =>
        {
            var b = q.ToCompressed();
            b[0] |= 0x40;
            Assert.Throws<FormatException>(() => G2Affine.ReadCompressed(b));
        }, iter: 10);
    }

    [Fact]
    public void CanonicalInfinityDecodes()
    {
        var g1 = new byte[32];
        g1[0] = 0x40;
        Assert.Equal(G1Affine.Infinity, G1Affine.ReadCompressed(g1));
        Assert.Equal(g1, G1Affine.Infinity.ToCompressed());
        var g2 = new byte[64];
        g2[0] = 0x40;
        Assert.Equal(G2Affine.Infinity, G2Affine.ReadCompressed(g2));
        Assert.Equal(g2, G2Affine.Infinity.ToCompressed());
    }

    [Fact]
    public void RandomAbscissasDecodeOnlyToPointsOnTheCurve()
    {
        // Random x below p: about half have a point; those must decode onto the curve with the flag's sign, the rest
        // must be refused. Across the run both outcomes have to occur.
        int decoded = 0, refused = 0;
        Gen.Select(Gen.Byte.Array[32], Gen.Bool).Sample((raw, sign) =>
        {
            var x = new BigInteger(raw, isUnsigned: true) % P;
            var b = new byte[32];
            WriteWord(b, x, sign ? (byte)0x80 : (byte)0);
            var rhs = (BigInteger.ModPow(x, 3, P) + 3) % P;
            bool square = BigInteger.ModPow(rhs, (P - 1) / 2, P) == 1;
            if (!square)
            {
                Interlocked.Increment(ref refused);
                Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(b));
                return;
            }
            Interlocked.Increment(ref decoded);
            var p = G1Affine.ReadCompressed(b);
            var y = p.Y.ToBigInteger();
            Assert.Equal(rhs, y * y % P);
            Assert.Equal(sign, y > (P - 1) / 2);
        }, iter: 200);
        Assert.True(decoded > 0 && refused > 0, $"{decoded} decoded, {refused} refused");
    }
}
