using Validium.Proving.Solidity;

namespace Validium.Cli.Tests;

/// <summary>`vld contracts gen-poseidon` and `gen-sponge`.</summary>
public class ContractsCommandTests
{
    [Fact]
    public async Task GenPoseidonWritesTheEmittersContract()
    {
        var file = Path.Combine(Path.GetTempPath(), $"vld-poseidon-{Guid.NewGuid():N}.sol");
        try
        {
            var r = await Cli.Run("contracts", "gen-poseidon", "--width", "4", "--out", file);
            Assert.True(r.Code == 0, r.Err);
            Assert.Contains("PoseidonT4", r.Out);
            Assert.Equal(PoseidonEmitter.Emit(4), File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task GenSpongeWritesTheEmittersContracts()
    {
        var file = Path.Combine(Path.GetTempPath(), $"vld-sponge-{Guid.NewGuid():N}.sol");
        try
        {
            var r = await Cli.Run("contracts", "gen-sponge", "--out", file);
            Assert.True(r.Code == 0, r.Err);
            Assert.Contains("PoseidonSpongeConstants3, PoseidonSponge", r.Out);
            Assert.Equal(PoseidonSpongeEmitter.Emit(), File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("7")]
    public async Task GenPoseidonRefusesUnsupportedWidths(string width)
    {
        var r = await Cli.Run("contracts", "gen-poseidon", "--width", width, "--out", Path.Combine(Path.GetTempPath(), "never-written.sol"));
        Assert.Equal(2, r.Code);
        Assert.Contains("--width must be within 2..6", r.Err);
    }
}
