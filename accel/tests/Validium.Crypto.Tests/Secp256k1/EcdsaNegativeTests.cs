using System.Numerics;
using System.Security.Cryptography;

namespace Validium.Crypto.Tests.Secp256k1;

public class EcdsaNegativeTests
{
    private static readonly byte[] Hash = Keccak256.Hash("negative"u8);

    private static byte[] Be32(BigInteger v)
    {
        var b = new byte[32];
        v.TryWriteBytes(b.AsSpan(32 - v.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return b;
    }

    [Fact]
    public void PrivateKeyOutsideOneToNMinusOneIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Secp256k1PrivateKey.FromBytes(Be32(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Secp256k1PrivateKey.FromBytes(Be32(Curve.N)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Secp256k1PrivateKey.FromBytes(Be32(Curve.N + 1)));
        Assert.Equal(Be32(Curve.N - 1), Secp256k1PrivateKey.FromBytes(Be32(Curve.N - 1)).ToBytes());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x01")]
    [InlineData("0x000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0x00000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0x000000000000000000000000000000000000000000000000000000000000000g")]
    public void MalformedPrivateKeyHexIsRejected(string hex) => Assert.Throws<FormatException>(() => Secp256k1PrivateKey.FromHex(hex));

    [Fact]
    public void PrivateKeyBytesMustBeExactly32()
    {
        Assert.Throws<ArgumentException>(() => Secp256k1PrivateKey.FromBytes(new byte[31]));
        Assert.Throws<ArgumentException>(() => Secp256k1PrivateKey.FromBytes(new byte[33]));
    }

    [Fact]
    public void PrivateKeyToStringDoesNotLeakTheSecret()
    {
        var key = Secp256k1PrivateKey.FromHex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        Assert.DoesNotContain("ac0974bec39a17e3", key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", key.ToHex());
    }

    [Fact]
    public void PublicKeyMustBeAFinitePointOnTheCurveWithCanonicalCoordinates()
    {
        var good = Secp256k1PrivateKey.FromBytes(Be32(7)).PublicKey.ToBytes();
        Assert.True(Secp256k1PublicKey.TryFromBytes(good, out _));

        var offCurve = (byte[])good.Clone();
        offCurve[63] ^= 1;
        Assert.False(Secp256k1PublicKey.TryFromBytes(offCurve, out _));
        Assert.False(Secp256k1PublicKey.TryFromBytes(new byte[64], out _));
        Assert.False(Secp256k1PublicKey.TryFromBytes([.. Be32(Curve.P), .. good[32..]], out _));
        Assert.False(Secp256k1PublicKey.TryFromBytes(good[..63], out _));
        Assert.False(Secp256k1PublicKey.TryFromBytes([0x03, .. good], out _));
        Assert.True(Secp256k1PublicKey.TryFromBytes([0x04, .. good], out _));
        Assert.Throws<ArgumentException>(() => Secp256k1PublicKey.FromBytes(offCurve));
    }

    public static TheoryData<string, BigInteger, BigInteger, byte> BadComponents => new()
    {
        { "r = 0", 0, 1, 27 },
        { "r = n", Curve.N, 1, 27 },
        { "r > n", Curve.N + 5, 1, 27 },
        { "s = 0", 1, 0, 27 },
        { "s = n", 1, Curve.N, 27 },
        { "s = n/2 + 1 (high)", 1, Curve.HalfN + 1, 27 },
        { "s = n - 1 (high)", 1, Curve.N - 1, 28 },
        { "v = 0", 1, 1, 0 },
        { "v = 1", 1, 1, 1 },
        { "v = 26", 1, 1, 26 },
        { "v = 29", 1, 1, 29 },
        { "v = 37 (EIP-155 style)", 1, 1, 37 },
    };

    [Theory]
    [MemberData(nameof(BadComponents))]
    public void NonCanonicalComponentsAreRejected(string why, BigInteger r, BigInteger s, byte v)
    {
        Assert.False(EcdsaSignature.TryCreate(r, s, v, out _), why);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EcdsaSignature(r, s, v));
        byte[] encoded = [.. Be32(r & ((BigInteger.One << 256) - 1)), .. Be32(s), v];
        Assert.False(EcdsaSignature.TryFromBytes(encoded, out _), why);
    }

    [Fact]
    public void BoundaryComponentsAreAccepted()
    {
        Assert.True(EcdsaSignature.TryCreate(Curve.N - 1, Curve.HalfN, 28, out var sig));
        Assert.Equal(1, sig.RecoveryId);
    }

    [Fact]
    public void RecoveryIdAsVOnlyWhenAsked()
    {
        var sig = Secp256k1PrivateKey.FromBytes(Be32(3)).Sign(Hash);
        var bytes = sig.ToBytes();
        bytes[64] = (byte)sig.RecoveryId;
        Assert.Throws<ArgumentOutOfRangeException>(() => EcdsaSignature.FromBytes(bytes));
        Assert.False(EcdsaSignature.TryFromBytes(bytes, out _));
        Assert.Equal(sig, EcdsaSignature.FromBytes(bytes, acceptRecoveryIdAsV: true));
        Assert.True(EcdsaSignature.TryFromBytes(bytes, out var parsed, acceptRecoveryIdAsV: true));
        Assert.Equal(sig, parsed);
        bytes[64] = 2;
        Assert.Throws<ArgumentOutOfRangeException>(() => EcdsaSignature.FromBytes(bytes, acceptRecoveryIdAsV: true));
    }

    [Fact]
    public void EncodedSignatureMustBe65Bytes()
    {
        Assert.Throws<ArgumentException>(() => EcdsaSignature.FromBytes(new byte[64]));
        Assert.False(EcdsaSignature.TryFromBytes(new byte[66], out _));
    }

    [Fact]
    public void RIsNotAnXCoordinateSoNothingRecovers()
    {
        // The same input the precompile answered with empty output (anvil vector "r-not-an-x-coordinate").
        var c = VectorFile.Case("anvil-precompiles.json", "ecrecover", "r-not-an-x-coordinate");
        var hash = c.GetProperty("hash").Hex();
        var sig = new EcdsaSignature(c.GetProperty("r").HexInteger(), c.GetProperty("s").HexInteger(), (byte)c.GetProperty("v").HexInteger());
        Assert.False(EthereumEcdsa.TryRecover(hash, sig, out _));
        Assert.False(EthereumEcdsa.TryRecoverPublicKey(hash, sig, out _));
        Assert.Throws<CryptographicException>(() => EthereumEcdsa.Recover(hash, sig));
        Assert.False(EthereumEcdsa.Verify(Secp256k1PrivateKey.FromBytes(Be32(1)).Address, hash, sig));
    }

    [Fact]
    public void RecoveryIdsForXAboveNNeedRPlusNBelowP()
    {
        // r + n >= p for any r >= p - n (about 2^128), so ids 2 and 3 fail for ordinary r.
        Assert.False(EthereumEcdsa.TryRecoverPublicKey(Hash, Curve.N - 1, 1, 2, out _));
        Assert.False(EthereumEcdsa.TryRecoverPublicKey(Hash, Curve.P - Curve.N, 1, 3, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => EthereumEcdsa.TryRecoverPublicKey(Hash, 1, 1, 4, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => EthereumEcdsa.TryRecoverPublicKey(Hash, 0, 0, -1, out _));
    }

    [Fact]
    public void DefaultSignatureIsNotASignature()
    {
        Assert.Throws<ArgumentException>(() => EthereumEcdsa.TryRecover(Hash, default, out _));
        Assert.False(EthereumEcdsa.Verify(Secp256k1PrivateKey.FromBytes(Be32(1)).PublicKey, Hash, default));
    }

    [Fact]
    public void HashMustBe32Bytes()
    {
        var key = Secp256k1PrivateKey.FromBytes(Be32(5));
        var sig = key.Sign(Hash);
        Assert.Throws<ArgumentException>(() => key.Sign(new byte[31]));
        Assert.Throws<ArgumentException>(() => key.Sign(new byte[33]));
        Assert.Throws<ArgumentException>(() => EthereumEcdsa.Recover(new byte[20], sig));
        Assert.Throws<ArgumentException>(() => EthereumEcdsa.Verify(key.PublicKey, new byte[64], sig));
    }
}
