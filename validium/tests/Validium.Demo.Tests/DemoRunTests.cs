using System.Numerics;
using Validium.Crypto;
using Validium.DevNet;
using Validium.L1.Anvil;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.Node.Hosting;
using Xunit.Abstractions;

namespace Validium.Demo.Tests;

/// <summary>The reporter of a test: every stage and line kept, progress read a few times while trading.</summary>
internal sealed class RecordingReporter(ITestOutputHelper? output = null) : IDemoReporter
{
    public List<string> Stages { get; } = [];
    public List<DemoProgress> Progress { get; } = [];

    public void Stage(string name, string what)
    {
        lock (Stages) Stages.Add(name);
        output?.WriteLine($"== {name}: {what}");
    }

    public void Line(string text) => output?.WriteLine("   " + text);

    public async Task WatchAsync(Func<DemoProgress> read, Task trading)
    {
        while (!trading.IsCompleted)
        {
            await Task.WhenAny(trading, Task.Delay(2000));
            lock (Progress) Progress.Add(read());
        }
        await trading;
    }
}

public sealed class DemoRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("demo-run-");

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

    /// <summary>What CI runs: the quick demo end to end, then its claims checked against the chain it leaves behind.</summary>
    [SkippableFact]
    public async Task The_quick_demo_trades_settles_on_L1_and_pays_a_withdrawal_out_on_L1()
    {
        Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);
        var options = DemoOptions.For(dir.FullName, quick: true, seconds: 12);
        var reporter = new RecordingReporter(output);
        var summary = await DemoRun.RunAsync(options, reporter);
        foreach (var line in summary.Lines()) output.WriteLine(line);

        Assert.Equal(["devnet", "node", "funding", "trading", "settling", "withdrawal", "summary"], reporter.Stages);
        Assert.NotEmpty(reporter.Progress);
        Assert.True(summary.Trades > 0, $"no trades; last refusal: {summary.LastRejection}");
        Assert.True(summary.BatchesOnL1 >= 1);
        Assert.Equal(summary.Batches.Count, summary.BatchesOnL1);
        Assert.Equal(summary.Trades, summary.Batches.Sum(b => b.Trades));
        // Options are quoted, taken and proven: every batch counted here is verified on L1 (asserted above).
        Assert.True(summary.OptionTrades > 0, $"no option trade among {summary.Trades}; last refusal: {summary.LastRejection}");
        Assert.True(summary.OptionTrades < summary.Trades, "no perpetual trade");
        Assert.Equal(summary.OptionTrades, summary.Batches.Sum(b => b.OptionTrades));
        Assert.True(summary.GasPerTrade > 0);
        Assert.All(summary.Batches, b => Assert.True(b.GasUsed > 0 && b.Transaction is not null));
        Assert.True(summary.OrdersAccepted > 0 && summary.OrdersAccepted <= summary.OrdersSent);
        Assert.Equal(summary.OrdersSent, summary.OrdersAccepted + summary.OrdersRejected);
        Assert.True(summary.OrderLatencyMs.P50 > 0 && summary.OrderLatencyMs.P50 <= summary.OrderLatencyMs.Max);
        Assert.True(summary.ProofSeconds.Count >= summary.BatchesProven);
        var w = Assert.IsType<WithdrawalFigures>(summary.Withdrawal);
        Assert.Equal(BigInteger.Parse(w.BalanceBefore) + w.Amount, BigInteger.Parse(w.BalanceAfter));
        Assert.True(w.Batch > summary.Batches[^1].Number);
        Assert.Equal(summary.Trades, DemoSummary.Read(Path.Combine(dir.FullName, DemoRun.SummaryFile)).Trades);
        Assert.True(new FileInfo(Path.Combine(dir.FullName, DemoRun.ChartFile)).Length > 1000);

        // The chain the run leaves behind says the same, read without the demo's code: the devnet brought back up.
        await using var net = await DevNetwork.UpAsync(new DevNetOptions { Directory = Path.Combine(dir.FullName, "devnet"), OracleIntervalSeconds = null, Instruments = DemoOptions.Instruments });
        using var rpc = new JsonRpcClient(net.Rpc);
        var eth = new EthClient(rpc);
        var validium = new Contract(eth, PosterHostedService.ContractAbi, net.Validium);
        Assert.Equal((BigInteger)w.Batch, (BigInteger)(await validium.CallSingleAsync("batchNumber"))!);
        var token = new Contract(eth, L1Funding.Abi, EthereumAddress.Parse(net.Manifest.Traders.Token));
        Assert.Equal(BigInteger.Parse(w.BalanceAfter), (BigInteger)(await token.CallSingleAsync("balanceOf", EthereumAddress.Parse(w.Recipient)))!);
        Assert.Equal(BigInteger.Zero, (BigInteger)(await validium.CallSingleAsync("claimable", EthereumAddress.Parse(w.Recipient)))!);
    }

    [Fact]
    public async Task A_stage_that_fails_is_named()
    {
        var devnet = Directory.CreateDirectory(Path.Combine(dir.FullName, "devnet"));
        File.WriteAllText(Path.Combine(devnet.FullName, DevNetManifest.FileName), "{ \"version\": ");
        var reporter = new RecordingReporter();
        var e = await Assert.ThrowsAsync<DemoStageException>(() => DemoRun.RunAsync(DemoOptions.For(dir.FullName, quick: true), reporter));
        Assert.Equal("devnet", e.Stage);
        Assert.Contains("not a devnet manifest", e.Message);
        Assert.Equal(["devnet"], reporter.Stages);
    }

    [Fact]
    public void Options_name_every_problem()
    {
        Assert.Null(DemoOptions.For(dir.FullName, quick: true).Validate());
        Assert.Null(DemoOptions.For(dir.FullName, quick: false).Validate());
        var problems = (DemoOptions.For(" ", quick: true, seconds: 1, traders: 15) with { SettleTimeout = TimeSpan.Zero }).Validate();
        Assert.Contains("a demo directory is required", problems);
        Assert.Contains("--duration must be 5..86400 seconds, got 1", problems);
        Assert.Contains("--traders must be 2..14", problems);
        Assert.Contains("settle timeout", problems);
        Assert.Contains("--traders must be 2..64", DemoOptions.For(dir.FullName, quick: false, traders: 1).Validate());
        var o = DemoOptions.For(dir.FullName, quick: false, traders: 7);
        Assert.Equal((2, 5), (o.Makers, o.Takers));
    }

    [Fact]
    public void Quantiles_are_nearest_rank()
    {
        double[] values = [5, 1, 4, 2, 3];
        Assert.Equal(3, OrderLog.Quantile(values, 0.5));
        Assert.Equal(5, OrderLog.Quantile(values, 0.99));
        Assert.Equal(1, OrderLog.Quantile(values, 0));
        Assert.True(double.IsNaN(OrderLog.Quantile([], 0.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderLog.Quantile(values, 1.5));
    }
}
