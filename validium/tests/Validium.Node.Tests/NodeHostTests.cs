using System.Collections;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Validium.Batcher;
using Validium.Node.Exchange;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests;

public class NodeHostTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("validium-node-host-").FullName;

    /// <summary>The embedded defaults on a temp directory, with a circuit small enough to set up in a moment: two deposit slots, nothing else.</summary>
    private NodeOptions Options() => NodeConfiguration.Load(null, new Dictionary<string, string?>
    {
        ["DataDir"] = dir, ["Accel:Mode"] = "cpu", ["Circuit:AccountDepth"] = "4", ["Circuit:FillDepth"] = "4", ["Circuit:Deposits"] = "2",
        ["Circuit:Trades"] = "0", ["Circuit:Withdrawals"] = "0", ["Circuit:Forced"] = "0", ["Exchange:MaxAccounts"] = "15",
        ["Batcher:MaxBatchAgeMs"] = "3600000",
    }, new Hashtable());

    private static Task<NodeHost> StartAsync(NodeOptions options) => NodeHost.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning));

    [Fact]
    public async Task ListensOnARealPortAndAnswersHealthAndMetrics()
    {
        await using var node = await StartAsync(Options());
        var url = Assert.Single(node.Urls);
        Assert.Equal("127.0.0.1", url.Host);
        Assert.NotEqual(0, url.Port);
        Accepted(await node.Exchange.OracleRoundAsync(Round(1, 50_000)));

        using var http = new HttpClient { BaseAddress = url };
        var health = await http.GetAsync(NodeHost.HealthPath);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var json = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal("healthy", (string?)json["status"]);
        Assert.Equal("healthy", (string?)json["components"]!["exchange"]!["status"]);
        Assert.Contains("applied through command 2", (string?)json["components"]!["exchange"]!["reason"]);
        Assert.Equal("healthy", (string?)json["components"]!["batcher"]!["status"]);

        var metrics = await http.GetStringAsync(NodeHost.MetricsPath);
        Assert.Contains("validium_node_sequence", metrics);
        Assert.Contains("validium_node_commands_total{", metrics);
        Assert.Contains("validium_batcher_queue_depth", metrics);
    }

    [Fact]
    public async Task AGracefulStopPersistsWhatWasTakenAndTheNextStartContinues()
    {
        var options = Options();
        byte[] hash;
        await using (var node = await StartAsync(options))
        {
            Assert.Equal(Btc, Assert.Single(node.Exchange.View.Instruments).Spec);
            Accepted(await node.Exchange.OracleRoundAsync(Round(1, 50_000)));
            Accepted(await node.Exchange.DepositAsync(new L1Deposit(0, PublicKey(1), 10 * Usd, Address(1))));
            hash = node.Exchange.StateHash();
            await node.StopAsync();
        }
        // The deposit did not fill a batch; stopping cut it and persisted it for the prover.
        var store = BatchStore.Open(Path.Combine(dir, "batches"));
        var cut = store.Read(Assert.Single(store.List()));
        Assert.Equal(CutReason.Flush, cut.Reason);
        Assert.Equal(1UL, Assert.Single(cut.Deposits).Account);

        await using (var node = await StartAsync(options))
        {
            Assert.Equal(hash, node.Exchange.StateHash());
            Assert.Single(node.Exchange.View.Instruments);
            Assert.Equal(AckCodes.Duplicate, (await node.Exchange.DepositAsync(new L1Deposit(0, PublicKey(1), 10 * Usd, Address(1)))).Code);
            var next = Accepted(await node.Exchange.DepositAsync(new L1Deposit(1, PublicKey(2), 20 * Usd, Address(2))));
            Assert.Equal(2, next.Account);
            var host = node.Services.GetService(typeof(Hosting.ExchangeHostedService)) as Hosting.ExchangeHostedService;
            var pipeline = host!.Pipeline!;
            await node.Exchange.WaitFedAsync(next.Sequence);
            await pipeline.FlushAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            // The batch cut before the stop is proven after the start, then the new one; neither is cut twice.
            var first = await pipeline.Released.ReadAsync(cts.Token);
            var second = await pipeline.Released.ReadAsync(cts.Token);
            Assert.Equal((1UL, 2UL), (first.Number, second.Number));
            Assert.Equal(cut.PublicInputs.ToArray(), first.PublicInputs.ToArray());
            Assert.Equal(first.PublicInputs[1], second.PublicInputs[0]);
        }
    }

    [Fact]
    public async Task AConfigurationForAnotherCircuitThanTheDataDirectoryHoldsIsRefused()
    {
        await using (await StartAsync(Options()))
        {
        }
        var other = Options() with { Circuit = Options().Circuit with { Shape = new Circuits.BatchShape(3, 0, 0) } };
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(other));
        Assert.Contains("another circuit", e.Message);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }
}
