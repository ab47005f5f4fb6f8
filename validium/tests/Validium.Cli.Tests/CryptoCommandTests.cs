namespace Validium.Cli.Tests;

/// <summary>`vld crypto` against circomlibjs outputs (accel/tests/vectors/circomlib.json).</summary>
public class CryptoCommandTests
{
    [Fact]
    public async Task PoseidonPrintsCircomlibjsHashes()
    {
        foreach (var c in Cli.Vectors("circomlib.json").GetProperty("poseidon").EnumerateArray().Take(20))
        {
            var inputs = c.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()!).ToArray();
            var (code, o, _) = await Cli.Run(["crypto", "poseidon", .. inputs]);
            Assert.Equal(0, code);
            Assert.Equal(c.GetProperty("output").GetString(), o.Trim());
        }
    }

    [Fact]
    public async Task EdDsaPubkeyAndSignMatchCircomlibjs()
    {
        var v = Cli.Vectors("circomlib.json");
        foreach (var c in v.GetProperty("prv2pub").EnumerateArray())
        {
            var (code, o, _) = await Cli.Run("crypto", "eddsa", "pubkey", "--key", c.GetProperty("privateKey").GetString()!);
            Assert.Equal(0, code);
            Assert.Equal([c.GetProperty("ax").GetString()!, c.GetProperty("ay").GetString()!], Cli.Lines(o));
        }
        foreach (var c in v.GetProperty("signPoseidon").EnumerateArray())
        {
            var (code, o, _) = await Cli.Run("crypto", "eddsa", "sign", "--key", c.GetProperty("privateKey").GetString()!, "--msg", c.GetProperty("message").GetString()!);
            Assert.Equal(0, code);
            Assert.Equal([c.GetProperty("r8x").GetString()!, c.GetProperty("r8y").GetString()!, c.GetProperty("s").GetString()!], Cli.Lines(o));
        }
    }

    [Fact]
    public async Task VerifyAcceptsAGoodSignatureAndRejectsAnotherMessage()
    {
        const string key = "0001020304050607080900010203040506070809000102030405060708090001";
        var pub = Cli.Lines((await Cli.Run("crypto", "eddsa", "pubkey", "--key", key)).Out);
        var sig = Cli.Lines((await Cli.Run("crypto", "eddsa", "sign", "--key", key, "--msg", "42")).Out);
        string[] Args(string msg) => ["crypto", "eddsa", "verify", "--ax", pub[0], "--ay", pub[1], "--r8x", sig[0], "--r8y", sig[1], "--s", sig[2], "--msg", msg];
        var good = await Cli.Run(Args("42"));
        Assert.Equal((0, "valid"), (good.Code, good.Out.Trim()));
        var bad = await Cli.Run(Args("43"));
        Assert.Equal((1, "invalid"), (bad.Code, bad.Out.Trim()));
    }

    [Theory]
    [InlineData("crypto", "poseidon", "1", "abc")]
    [InlineData("crypto", "poseidon", "21888242871839275222246405745257275088548364400416034343698204186575808495617")]
    [InlineData("crypto", "eddsa", "pubkey", "--key", "00ff")]
    [InlineData("crypto", "eddsa", "sign", "--key", "zz01020304050607080900010203040506070809000102030405060708090001", "--msg", "1")]
    [InlineData("crypto", "eddsa", "verify", "--ax", "1", "--ay", "2", "--r8x", "1", "--r8y", "2", "--s", "-5", "--msg", "1")]
    public async Task BadInputIsOneClearLineAndExitCode2(params string[] args)
    {
        var (code, o, e) = await Cli.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", o);
        Assert.StartsWith("vld: ", e);
        Assert.DoesNotContain("   at ", e);
    }

    [Fact]
    public async Task TooManyPoseidonInputsAreRefused()
    {
        var (code, _, e) = await Cli.Run(["crypto", "poseidon", .. Enumerable.Repeat("1", 17)]);
        Assert.Equal(2, code);
        Assert.Contains("1 to 16 inputs", e);
    }
}
