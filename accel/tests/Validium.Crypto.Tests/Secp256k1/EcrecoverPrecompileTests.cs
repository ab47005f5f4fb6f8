namespace Validium.Crypto.Tests.Secp256k1;

/// <summary>Recovery against the EVM's ecrecover precompile as anvil runs it (accel/tests/vectors/gen-anvil.mjs).</summary>
public class EcrecoverPrecompileTests
{
    public static TheoryData<string> Cases => VectorFile.Names("anvil-precompiles.json", "ecrecover");

    [Theory]
    [MemberData(nameof(Cases))]
    public void GenericRecoveryAgreesWithThePrecompile(string name)
    {
        var c = VectorFile.Case("anvil-precompiles.json", "ecrecover", name);
        Assert.True(c.GetProperty("success").GetBoolean(), "ecrecover never fails the call");
        var hash = c.GetProperty("hash").Hex();
        var v = c.GetProperty("v").HexInteger();
        var r = c.GetProperty("r").HexInteger();
        var s = c.GetProperty("s").HexInteger();
        var address = c.GetProperty("address");

        // The precompile takes v as a whole word and only 27/28; high s is fine for it (EIP-2 binds transactions only).
        bool recovered = false;
        Secp256k1PublicKey? key = null;
        if (v == 27 || v == 28) recovered = EthereumEcdsa.TryRecoverPublicKey(hash, r, s, (int)v - 27, out key);
        if (address.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            Assert.False(recovered);
            Assert.Equal("0x", c.Str("output"));
        }
        else
        {
            Assert.True(recovered);
            Assert.Equal(EthereumAddress.Parse(address.GetString()!), key!.Address);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StrictApiAcceptsOnlyCanonicalSignaturesThePrecompileAccepts(string name)
    {
        var c = VectorFile.Case("anvil-precompiles.json", "ecrecover", name);
        var hash = c.GetProperty("hash").Hex();
        var v = c.GetProperty("v").HexInteger();
        var r = c.GetProperty("r").HexInteger();
        var s = c.GetProperty("s").HexInteger();
        if (v > 255 || !EcdsaSignature.TryCreate(r, s, (byte)v, out var sig)) return;
        Assert.Equal(c.GetProperty("address").ValueKind != System.Text.Json.JsonValueKind.Null, EthereumEcdsa.TryRecover(hash, sig, out var address));
        if (c.GetProperty("address").GetString() is { } expected) Assert.Equal(EthereumAddress.Parse(expected), address);
    }

    [Fact]
    public void HighSFormIsRejectedByTheStrictApiButRecoversTheSameKey()
    {
        var valid = VectorFile.Case("anvil-precompiles.json", "ecrecover", "valid-0");
        var high = VectorFile.Case("anvil-precompiles.json", "ecrecover", "high-s-0");
        Assert.Equal(valid.Str("address"), high.Str("address"));
        var hash = high.GetProperty("hash").Hex();
        var (r, s, v) = (high.GetProperty("r").HexInteger(), high.GetProperty("s").HexInteger(), (byte)high.GetProperty("v").HexInteger());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EcdsaSignature(r, s, v));
        Assert.True(EthereumEcdsa.TryRecoverPublicKey(hash, r, s, v - 27, out var key));
        Assert.Equal(EthereumAddress.Parse(high.Str("address")), key.Address);
    }
}
