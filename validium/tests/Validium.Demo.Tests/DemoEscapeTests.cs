using System.Numerics;
using Validium.DevNet;
using Validium.L1.Anvil;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.Node.Hosting;
using Xunit.Abstractions;

namespace Validium.Demo.Tests;

public sealed class DemoEscapeTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("demo-escape-");

    public void Dispose()
    {
        try
        {
            dir.Delete(true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }

    /// <summary>`vld demo --quick --escape`: after the run, the operator stops and every account leaves through the escape hatch.</summary>
    [SkippableFact]
    public async Task With_escape_the_operator_stops_the_contract_freezes_and_every_account_is_paid_its_last_proven_value()
    {
        Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);
        var options = DemoOptions.For(dir.FullName, quick: true, seconds: 6, escape: true);
        var reporter = new RecordingReporter(output);
        var summary = await DemoRun.RunAsync(options, reporter);
        foreach (var line in summary.Lines()) output.WriteLine(line);

        Assert.Equal(["devnet", "node", "funding", "trading", "settling", "withdrawal", "escape", "summary"], reporter.Stages);
        var escaped = Assert.IsAssignableFrom<IReadOnlyList<EscapeFigures>>(summary.Escape);
        Assert.True(escaped.Count >= options.Traders, $"{escaped.Count} accounts escaped, {options.Traders} traders funded");
        Assert.All(escaped, e => Assert.True(e.Matches && e.Paid == e.Expected, $"account {e.Account}: paid {e.Paid}, proven {e.Expected}"));
        Assert.Contains(escaped, e => BigInteger.Parse(e.Paid, System.Globalization.CultureInfo.InvariantCulture) > 0);

        // Read back without the demo's code: the contract the run leaves behind is frozen.
        await using var net = await DevNetwork.UpAsync(new DevNetOptions { Directory = Path.Combine(dir.FullName, "devnet"), OracleIntervalSeconds = null, Instruments = DemoOptions.Instruments });
        using var rpc = new JsonRpcClient(net.Rpc);
        var validium = new Contract(new EthClient(rpc), PosterHostedService.ContractAbi, net.Validium);
        Assert.Equal(true, await validium.CallSingleAsync("frozen"));
    }
}
