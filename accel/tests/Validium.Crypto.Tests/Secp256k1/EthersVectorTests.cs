using System.Text.Json;

namespace Validium.Crypto.Tests.Secp256k1;

/// <summary>Keys, addresses and signatures against ethers v6 (accel/tests/vectors/gen-ethers.mjs).</summary>
public class EthersVectorTests
{
    public static TheoryData<string> Keys => VectorFile.Names("ethers.json", "keys");

    private static JsonElement Key(string name) => VectorFile.Case("ethers.json", "keys", name);

    [Theory]
    [MemberData(nameof(Keys))]
    public void PublicKeyAndChecksummedAddressMatch(string name)
    {
        var c = Key(name);
        var key = Secp256k1PrivateKey.FromHex(c.Str("privateKey"));
        Assert.Equal(c.GetProperty("privateKey").Hex(), key.ToBytes());
        Assert.Equal(c.GetProperty("publicKey").Hex(), key.PublicKey.ToUncompressedBytes());
        Assert.Equal(c.GetProperty("publicKey").Hex()[1..], key.PublicKey.ToBytes());
        Assert.Equal(c.Str("address"), key.Address.ToChecksumString());
        Assert.Equal(EthereumAddress.Parse(c.Str("address")), key.Address);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void SignaturesAreByteIdenticalToEthers(string name)
    {
        var c = Key(name);
        var key = Secp256k1PrivateKey.FromHex(c.Str("privateKey"));
        foreach (var s in c.GetProperty("signatures").EnumerateArray())
        {
            var sig = key.Sign(s.GetProperty("digest").Hex());
            Assert.Equal(s.GetProperty("r").HexInteger(), sig.R);
            Assert.Equal(s.GetProperty("s").HexInteger(), sig.S);
            Assert.Equal(s.GetProperty("v").GetInt32(), sig.V);
            Assert.Equal(s.GetProperty("yParity").GetInt32(), sig.RecoveryId);
            Assert.Equal(s.GetProperty("serialized").Hex(), sig.ToBytes());
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void EthersSignaturesRecoverAndVerify(string name)
    {
        var c = Key(name);
        var publicKey = Secp256k1PublicKey.FromBytes(c.GetProperty("publicKey").Hex());
        foreach (var s in c.GetProperty("signatures").EnumerateArray())
        {
            var digest = s.GetProperty("digest").Hex();
            var sig = EcdsaSignature.FromBytes(s.GetProperty("serialized").Hex());
            var expected = EthereumAddress.Parse(s.Str("recoveredAddress"));
            Assert.Equal(expected, EthereumEcdsa.Recover(digest, sig));
            Assert.Equal(publicKey, EthereumEcdsa.RecoverPublicKey(digest, sig));
            Assert.True(EthereumEcdsa.Verify(publicKey, digest, sig));
            Assert.True(EthereumEcdsa.Verify(expected, digest, sig));
        }
    }

    [Fact]
    public void DigestIsReducedModN()
    {
        // ethers (and RFC 6979's bits2octets) sign h mod n: the digest equal to n must sign like the zero digest.
        var c = Key("seeded-0");
        var sigs = c.GetProperty("signatures").EnumerateArray().ToDictionary(s => s.Str("name"), s => s.Str("serialized"));
        Assert.Equal(sigs["zero"], sigs["n"]);
        var key = Secp256k1PrivateKey.FromHex(c.Str("privateKey"));
        Assert.Equal(key.Sign(new byte[32]), key.Sign(VectorFile.Hex(c.GetProperty("signatures").EnumerateArray().Single(s => s.Str("name") == "n").Str("digest"))));
    }
}
