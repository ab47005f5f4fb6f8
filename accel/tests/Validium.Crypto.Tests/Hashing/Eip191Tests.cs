using System.Text;

namespace Validium.Crypto.Tests.Hashing;

public class Eip191Tests
{
    public static TheoryData<string> Cases => VectorFile.Names("ethers.json", "personalSign");

    [Theory]
    [MemberData(nameof(Cases))]
    public void HashSignatureAndAddressMatchEthers(string name)
    {
        var c = VectorFile.Case("ethers.json", "personalSign", name);
        var message = c.GetProperty("message").Hex();
        var hash = Eip191.HashPersonalMessage(message);
        Assert.Equal(c.GetProperty("hash").Hex(), hash);

        var key = Secp256k1PrivateKey.FromHex(c.Str("privateKey"));
        var signature = key.Sign(hash);
        Assert.Equal(c.GetProperty("signature").Hex(), signature.ToBytes());
        Assert.Equal(EthereumAddress.Parse(c.Str("address")), EthereumEcdsa.Recover(hash, signature));
    }

    [Fact]
    public void StringOverloadHashesUtf8()
    {
        var c = VectorFile.Case("ethers.json", "personalSign", "utf8-multibyte");
        Assert.Equal("Grüße, 世界", Encoding.UTF8.GetString(c.GetProperty("message").Hex()));
        Assert.Equal(c.GetProperty("hash").Hex(), Eip191.HashPersonalMessage("Grüße, 世界"));
    }
}
