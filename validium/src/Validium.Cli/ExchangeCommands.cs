using System.CommandLine;
using System.Diagnostics;
using HdrHistogram;
using Validium.Crypto;
using Validium.Exchange;
using Command = System.CommandLine.Command;
using ExchangeCommand = Validium.Exchange.Command;
// vld also hosts the committee member (ASP.NET Core), whose framework brings System.Diagnostics.EventLog.
using EventLog = Validium.Exchange.EventLog;
using Validium.Exchange.Simulation;

namespace Validium.Cli;

/// <summary>`vld exchange simulate`: the matching engine on a generated order flow, with throughput, latency and the final state hash.</summary>
internal static class ExchangeCommands
{
    public static Command Build(TextWriter stdout)
    {
        var exchange = new Command("exchange", "The exchange core: load runs on synthetic order flow");
        exchange.Subcommands.Add(Simulate(stdout));
        return exchange;
    }

    private static Command Simulate(TextWriter stdout)
    {
        var orders = new Option<int>("--orders") { Description = "Commands in the stream", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<ulong>("--seed") { Description = "Stream seed: same seed and --orders, same final state hash", DefaultValueFactory = _ => 1 };
        var accounts = new Option<int>("--accounts") { Description = "Trading accounts", DefaultValueFactory = _ => 2_000 };
        var rate = new Option<int>("--rate")
        {
            Description = "Offered load in commands/s (open loop: latency counts from each command's scheduled time); 0 runs flat out",
            DefaultValueFactory = _ => 0,
        };
        var warmup = new Option<int>("--warmup") { Description = "Commands run first on a separate engine, untimed", DefaultValueFactory = _ => 200_000 };
        var oracleEvery = new Option<int>("--oracle-every")
        {
            Description = "An oracle index commit (re-marks every account) every this many commands; 0 for none", DefaultValueFactory = _ => 50_000,
        };
        var verify = new Option<int>("--verify") { Description = "Also time this many EdDSA-Poseidon order signature checks on one thread", DefaultValueFactory = _ => 0 };
        var cmd = new Command("simulate", "Run the matching engine on exchange-core's mix (82% amend, 9% GTC, 3% IOC, 6% cancel) over perpetuals and options")
        {
            orders, seed, accounts, rate, oracleEvery, verify, warmup,
        };
        cmd.SetAction(r =>
        {
            int n = r.GetValue(orders), acc = r.GetValue(accounts), offered = r.GetValue(rate);
            if (n < 1) throw new UsageException("--orders must be at least 1");
            if (acc is < 2 or > 1 << 20) throw new UsageException("--accounts must be 2..1,048,576");
            if (offered < 0) throw new UsageException("--rate must not be negative");
            int every = r.GetValue(oracleEvery);
            if (every < 0) throw new UsageException("--oracle-every must not be negative");
            if (r.GetValue(warmup) is var w and > 0) Run(w, r.GetValue(seed) + 1, acc, 0, every);
            var result = Run(n, r.GetValue(seed), acc, offered, every);
            Report(stdout, n, offered, result);
            if (r.GetValue(verify) is var k and > 0) VerifyRate(stdout, k);
            return 0;
        });
        return cmd;
    }

    private sealed record Result(LongHistogram Latency, long EngineTicks, TimeSpan Wall, long Accepted, long Rejected, long Trades, long Oracle, long Allocated, string Hash, long[] Mix, long[] Rejects, LongHistogram Commits);

    private static Result Run(int n, ulong seed, int accounts, int rate, int oracleEvery)
    {
        var events = new EventLog(1 << 12);
        var engine = OrderFlow.CreateMarket(accounts, accounts * 16, events);
        var flow = new OrderFlow(engine, accounts, seed, oracleEvery);
        var hist = new LongHistogram(TimeStamp.Seconds(10), 3);
        long engineTicks = 0, accepted = 0, rejected = 0, trades = 0, oracle = 0;
        var mix = new long[4]; // amend, GTC, IOC, cancel
        var rejects = new long[256];
        double interval = rate == 0 ? 0 : (double)Stopwatch.Frequency / rate;
        var commitTicks = new LongHistogram(TimeStamp.Seconds(10), 3);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var wall = Stopwatch.StartNew();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            var c = flow.Next(out bool isOracle);
            long t0;
            if (rate == 0) t0 = Stopwatch.GetTimestamp();
            else
            {
                t0 = start + (long)(i * interval);
                while (Stopwatch.GetTimestamp() < t0) Thread.SpinWait(1);
            }
            long begin = Stopwatch.GetTimestamp();
            var o = engine.Execute(c);
            long end = Stopwatch.GetTimestamp();
            engineTicks += end - begin;
            hist.RecordValue(end - t0);
            if (isOracle) commitTicks.RecordValue(end - begin);
            if (o.Accepted) accepted++;
            else rejects[(int)o.Code]++;
            rejected += o.Accepted ? 0 : 1;
            int kind = c.Kind switch { CommandKind.Amend => 0, CommandKind.Cancel => 3, CommandKind.Place => c.Type == OrderType.Ioc ? 2 : 1, _ => -1 };
            if (kind >= 0) mix[kind]++;
            if (isOracle) oracle++;
            foreach (ref readonly var e in events.Events)
                if (e.Kind == EventKind.Trade) trades++;
            events.Clear();
        }
        wall.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return new Result(hist, engineTicks, wall.Elapsed, accepted, rejected, trades, oracle, allocated, Convert.ToHexString(engine.StateHash()).ToLowerInvariant(), mix, rejects, commitTicks);
    }

    private static void Report(TextWriter stdout, int n, int rate, Result r)
    {
        double ns = 1e9 / Stopwatch.Frequency;
        stdout.WriteLine($"commands: {n:N0} ({r.Accepted:N0} accepted, {r.Rejected:N0} rejected; {r.Oracle:N0} oracle/funding commits), trades: {r.Trades:N0}");
        stdout.WriteLine($"mix: amend {Share(r.Mix[0], n)}, GTC {Share(r.Mix[1], n)}, IOC {Share(r.Mix[2], n)}, cancel {Share(r.Mix[3], n)}");
        var top = Enumerable.Range(0, r.Rejects.Length).Where(i => r.Rejects[i] > 0).OrderByDescending(i => r.Rejects[i]).Take(4);
        stdout.WriteLine($"rejects: {string.Join(", ", top.Select(i => $"{(RejectCode)i} {r.Rejects[i]:N0}"))}");
        double engineSeconds = r.EngineTicks / (double)Stopwatch.Frequency;
        stdout.WriteLine($"throughput: {n / engineSeconds:N0} commands/s in engine time on one thread ({n / r.Wall.TotalSeconds:N0}/s wall, generator included)");
        stdout.WriteLine(rate == 0 ? "latency (service time per command):" : $"latency at {rate:N0} commands/s offered (from scheduled time):");
        stdout.WriteLine($"  p50 {r.Latency.GetValueAtPercentile(50) * ns:N0} ns  p99 {r.Latency.GetValueAtPercentile(99) * ns:N0} ns  " +
            $"p99.9 {r.Latency.GetValueAtPercentile(99.9) * ns:N0} ns  max {r.Latency.GetMaxValue() * ns:N0} ns");
        if (r.Oracle > 0)
            stdout.WriteLine($"oracle/funding commit (re-marks all accounts, then liquidations): p50 {r.Commits.GetValueAtPercentile(50) * ns / 1000:N0} µs  max {r.Commits.GetMaxValue() * ns / 1000:N0} µs");
        stdout.WriteLine($"allocated during the run: {r.Allocated:N0} bytes (engine, generator and histogram together)");
        stdout.WriteLine($"state hash: 0x{r.Hash}");
    }

    private static string Share(long v, long total) => $"{100.0 * v / total:0.0}%";

    private static void VerifyRate(TextWriter stdout, int k)
    {
        var key = new byte[32];
        key[0] = 7;
        var pub = EdDsaPoseidon.PrivateToPublic(key);
        var cmds = new ExchangeCommand[k];
        var sigs = new EdDsaSignature[k];
        for (int i = 0; i < k; i++)
        {
            cmds[i] = ExchangeCommand.Place(i, 0, i + 1, 0, Side.Buy, OrderType.Limit, 50_000_000_000, 100_000, i);
            sigs[i] = OrderSigning.Sign(cmds[i], key);
        }
        var sw = Stopwatch.StartNew();
        int ok = 0;
        for (int i = 0; i < k; i++)
            if (OrderSigning.Verify(cmds[i], sigs[i], pub)) ok++;
        sw.Stop();
        if (ok != k) throw new InvalidOperationException($"{k - ok} of {k} signatures failed to verify");
        stdout.WriteLine($"signature checks: {k / sw.Elapsed.TotalSeconds:N0} orders/s verified on one thread ({sw.Elapsed.TotalMilliseconds / k * 1000:N0} µs each)");
    }
}
