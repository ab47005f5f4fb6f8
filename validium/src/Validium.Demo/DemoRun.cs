using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Validium.Crypto;
using Validium.DevNet;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.Node;
using Validium.Node.Client;
using Validium.Node.Hosting;

namespace Validium.Demo;

/// <summary>Where the demo shows what it does: stage by stage, a line at a time, and live progress while the traders trade.</summary>
public interface IDemoReporter
{
    void Stage(string name, string what);

    void Line(string text);

    /// <summary>Shows <paramref name="read"/>'s figures until <paramref name="trading"/> completes (then awaits it).</summary>
    Task WatchAsync(Func<DemoProgress> read, Task trading);
}

/// <summary>
/// `vld demo`: a devnet (anvil, contracts, three committee members, oracle feeder), the node in this process on its
/// manifest, simulated traders funded on L1 and trading through the HTTP API, every batch proven and verified on L1,
/// a withdrawal claimed on L1, and with <see cref="DemoOptions.Escape"/> the escape hatch. Each stage is named, and a
/// failing one ends the run with a <see cref="DemoStageException"/> naming it.
/// </summary>
public sealed partial class DemoRun
{
    public const string SummaryFile = "summary.json", ChartFile = "throughput-latency.png";

    private readonly DemoOptions options;
    private readonly IDemoReporter report;
    private readonly Stopwatch total = Stopwatch.StartNew();
    private readonly OrderLog log = new();
    private readonly List<ProgressSample> samples = [];

    private DemoRun(DemoOptions options, IDemoReporter report)
    {
        this.options = options;
        this.report = report;
    }

    public static async Task<DemoSummary> RunAsync(DemoOptions options, IDemoReporter report, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        if (options.Validate() is { } problems) throw new ArgumentException($"demo options: {problems}");
        return await new DemoRun(options, report).RunAsync(ct).ConfigureAwait(false);
    }

    private string Dir => Path.GetFullPath(options.Directory);

    private async Task<DemoSummary> RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Dir);
        await using var net = await Stage("devnet", "anvil, the contracts, three committee members and the oracle feeder", () => UpDevNetAsync(ct)).ConfigureAwait(false);
        using var rpc = new JsonRpcClient(net.Rpc);
        var eth = new EthClient(rpc);
        var validium = new Contract(eth, PosterHostedService.ContractAbi, net.Validium);
        var m = net.Manifest;
        report.Line($"devnet in {net.Directory}: {m.Rpc}, Validium {m.Contracts.Validium}, committee {m.Committee.Threshold} of {m.Committee.Members.Length}");
        var traders = DemoTrader.Create(options.Seed, options.Makers, options.Takers, options.Load);

        var node = await Stage("node", "the node on the devnet's manifest: exchange, batcher, prover, L1 watcher and batch poster",
            () => StartNodeAsync(net, traders.Fee.L2Public, ct)).ConfigureAwait(false);
        await using (node)
        {
            report.Line($"node listening on {node.Urls[0]} (dashboard {new Uri(node.Urls[0], "dashboard")}); warnings in {Path.Combine(Dir, "node.log")}");
            var exchange = node.Services.GetRequiredService<ExchangeHostedService>();
            var poster = node.Services.GetRequiredService<PosterHostedService>().Poster
                ?? throw new DemoStageException("node", "the node runs no batch poster: its L1 settings are off");
            using var watch = new NodeWatch(exchange.Store!, poster, exchange.Pipeline!.Metrics.Meter, log);
            using var http = new HttpClient { BaseAddress = node.Urls[0], Timeout = TimeSpan.FromSeconds(60) };

            await Stage("funding", $"{traders.All.Count} traders get test ether and tokens, deposit on L1 and wait for the exchange to credit them",
                () => FundAsync(net, eth, validium, node, http, traders, ct)).ConfigureAwait(false);
            var swarm = await Stage("trading", $"{options.Makers} market maker(s), {options.Takers} taker(s){(options.Load > 0 ? $" and {options.Load} load trader(s)" : "")} for {options.Duration.TotalSeconds:F0} s",
                () => TradeAsync(http, traders, watch, ct)).ConfigureAwait(false);
            var figures = await Stage("settling", "intake stopped; every batch proven, attested and confirmed on L1",
                () => SettleAsync(exchange, watch, ct)).ConfigureAwait(false);
            var withdrawal = await Stage("withdrawal", "a signed withdrawal through the API, proven in a batch, claimed on L1",
                () => WithdrawAsync(net, eth, validium, exchange, watch, http, traders.Takers[0], ct)).ConfigureAwait(false);
            IReadOnlyList<EscapeFigures>? escape = null;
            if (options.Escape)
                escape = await Stage("escape", "operator stops, a forced withdrawal goes unserved, freeze, every account escapes",
                    () => EscapeAsync(net, eth, validium, node, traders, ct)).ConfigureAwait(false);
            var chart = Path.Combine(Dir, ChartFile);
            var summary = Summarize(swarm, figures, watch, exchange.Store!.Config, withdrawal, escape, chart);
            await Stage("summary", $"{SummaryFile} and the chart", () =>
            {
                DemoChart.Write(chart, samples.Count > 0 ? samples : [new ProgressSample(0, 0, 0)]);
                summary.Write(Path.Combine(Dir, SummaryFile));
                return Task.FromResult(0);
            }).ConfigureAwait(false);
            return summary;
        }
    }

    private async Task<T> Stage<T>(string name, string what, Func<Task<T>> run)
    {
        report.Stage(name, what);
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (DemoStageException)
        {
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DemoStageException(name, e.Message, e);
        }
    }

    private async Task<DevNetwork> UpDevNetAsync(CancellationToken ct)
    {
        var devnetDir = Path.Combine(Dir, "devnet");
        bool fresh = DevNetManifest.TryRead(devnetDir) is null;
        report.Line(fresh
            ? $"a new devnet in {devnetDir}: development keys for the batch circuit, contracts compiled and deployed (the slow part of a first run)"
            : $"reusing the devnet in {devnetDir}");
        var net = await DevNetwork.UpAsync(new DevNetOptions
        {
            Directory = devnetDir,
            OracleIntervalSeconds = options.Quick ? 3 : 5,
            PriceSeed = (ulong)options.Seed,
            Instruments = DemoOptions.Instruments,
            Circuit = options.Quick ? DemoOptions.QuickCircuit(DemoOptions.Instruments) : null,
            Repository = options.Repository,
        }, ct).ConfigureAwait(false);
        bool frozen;
        try
        {
            using var rpc = new JsonRpcClient(net.Rpc);
            frozen = await new Contract(new EthClient(rpc), PosterHostedService.ContractAbi, net.Validium).CallSingleAsync("frozen").ConfigureAwait(false) is true;
        }
        catch
        {
            await net.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (!frozen) return net;
        await net.DisposeAsync().ConfigureAwait(false);
        if (fresh) throw new InvalidOperationException($"the new devnet in {devnetDir} is frozen");
        // A frozen contract takes no deposits or batches ever again: what a demo needs is a new chain, and the
        // node's journal and the traders' L1 nonces belong to the old one.
        report.Line($"the devnet in {devnetDir} was frozen by an earlier --escape run: starting a new one");
        foreach (var part in new[] { "devnet", "node", "l1-nonces", "escape" })
            if (Directory.Exists(Path.Combine(Dir, part))) Directory.Delete(Path.Combine(Dir, part), recursive: true);
        return await UpDevNetAsync(ct).ConfigureAwait(false);
    }

    private async Task<NodeHost> StartNodeAsync(DevNetwork net, BabyJubjubPoint feeKey, CancellationToken ct)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataDir"] = Path.Combine(Dir, "node"),
            [DevNetSettings.ManifestKey] = net.ManifestPath,
            ["Accel:Mode"] = "cpu",
            ["Log:Level"] = "Warning",
            ["Exchange:OperatorKey"] = Convert.ToHexString(BabyJubjub.Pack(feeKey)),
            ["L1:PollIntervalMs"] = "200",
            ["L1:Confirmations"] = "1",
            ["Batcher:MaxBatchAgeMs"] = options.Quick ? "2000" : "4000",
        };
        // Load traders measure the node, not the per-key rate limit (50/s by default) in front of it.
        if (options.Load > 0) settings["Api:PermitsPerSecond"] = settings["Api:Burst"] = "1000000";
        // The environment's VLD_* settings are for `vld node run`; the demo's node is the demo's.
        var nodeOptions = NodeConfiguration.Load(null, settings, new Hashtable());
        return await NodeHost.StartAsync(nodeOptions, logging: l => l.AddProvider(new FileLoggerProvider(Path.Combine(Dir, "node.log"))), ct: ct).ConfigureAwait(false);
    }

    /// <summary>Polls <paramref name="done"/> until true; past <paramref name="timeout"/> fails saying what was awaited and where things stood.</summary>
    internal static async Task Until(Func<Task<bool>> done, TimeSpan timeout, string what, Func<string>? state = null, CancellationToken ct = default)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done().ConfigureAwait(false))
        {
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"waited {timeout.TotalSeconds:F0} s for {what}{(state is null ? "" : "; " + state())}");
            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }

    private static string Text(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);
}
