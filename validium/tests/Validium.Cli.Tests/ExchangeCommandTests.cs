namespace Validium.Cli.Tests;

public class ExchangeCommandTests
{
    private static async Task<string> HashOf(params string[] args)
    {
        var (code, output, err) = await Cli.Run(["exchange", "simulate", "--warmup", "0", "--accounts", "50", .. args]);
        Assert.True(code == 0, err);
        return Assert.Single(Cli.Lines(output), l => l.StartsWith("state hash: 0x"));
    }

    [Fact]
    public async Task Simulate_is_deterministic_per_seed_and_length()
    {
        var a = await HashOf("--orders", "20000", "--seed", "7", "--oracle-every", "5000");
        Assert.Equal(a, await HashOf("--orders", "20000", "--seed", "7", "--oracle-every", "5000"));
        Assert.NotEqual(a, await HashOf("--orders", "20000", "--seed", "8", "--oracle-every", "5000"));
        Assert.NotEqual(a, await HashOf("--orders", "20001", "--seed", "7", "--oracle-every", "5000"));
    }

    [Fact]
    public async Task Simulate_reports_the_mix_and_latency()
    {
        var (code, output, _) = await Cli.Run("exchange", "simulate", "--orders", "20000", "--warmup", "0", "--accounts", "50", "--verify", "2");
        Assert.Equal(0, code);
        Assert.Contains("mix: amend 82", output);
        Assert.Contains("; 0 amends/cancels found no order", output);
        Assert.Contains("p99.9", output);
        Assert.Contains("orders/s verified per core in batches", output);
        Assert.Contains("signature checks one at a time:", output);
    }

    [Theory]
    [InlineData("--orders", "0")]
    [InlineData("--accounts", "1")]
    [InlineData("--rate", "-5")]
    [InlineData("--verify", "-1")]
    public async Task Bad_arguments_exit_2(string option, string value)
    {
        var (code, _, err) = await Cli.Run("exchange", "simulate", option, value);
        Assert.Equal(2, code);
        Assert.StartsWith("vld:", err);
    }
}
