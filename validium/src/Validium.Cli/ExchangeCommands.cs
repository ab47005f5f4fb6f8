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
            Description = "An oracle index commit every this many commands (the stream's clock runs at 1,000 commands per ms: 250,000 is 4 per second); 0 for none",
            DefaultValueFactory = _ => 250_000,
        };
        var verify = new Option<int>("--verify")
        {
            Description = "Also time this many EdDSA-Poseidon order signature checks on one thread, in batches and one at a time", DefaultValueFactory = _ => 0,
        };
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
            if (r.GetValue(verify) < 0) throw new UsageException("--verify must not be negative");
            if (r.GetValue(warmup) is var w and > 0) Run(w, r.GetValue(seed) + 1, acc, 0, every);
            var result = Run(n, r.GetValue(seed), acc, offered, every);
            Report(stdout, n, offered, result);
            if (r.GetValue(verify) is var k and > 0) VerifyRate(stdout, k);
            return 0;
        });
        return cmd;
    }

    private sealed record Result(LongHistogram Latency, long EngineTicks, long Accepted, long Trades, long Allocated, string Hash, long[] Mix,
        long[] Rejects, LongHistogram Commits, long Filled, long Substituted, int OpenOrders);

    /// <summary>
    /// Generates the stream first on an engine of its own (the generator reads engine state), then runs it on a second
    /// engine with the clock: the timed loop holds the engine alone, and the two engines must end in the same state.
    /// </summary>
    private static Result Run(int n, ulong seed, int accounts, int rate, int oracleEvery)
    {
        var source = OrderFlow.CreateMarket(accounts, 2 * accounts * OrderFlow.TargetPerAccount, new EventLog(1 << 12));
        var flow = new OrderFlow(source, accounts, seed, oracleEvery);
        var fill = new List<ExchangeCommand>();
        while (flow.Filling)
        {
            var c = flow.Next(out var k);
            if (k != FlowKind.Fill) throw new InvalidOperationException("the flow left its fill phase without saying so");
            source.Execute(c);
            fill.Add(c);
            source.Events.Clear();
        }
        var commands = new ExchangeCommand[n];
        var kinds = new FlowKind[n];
        for (int i = 0; i < n; i++)
        {
            commands[i] = flow.Next(out kinds[i]);
            source.Execute(commands[i]);
            source.Events.Clear();
        }

        var events = new EventLog(1 << 12);
        var engine = OrderFlow.CreateMarket(accounts, 2 * accounts * OrderFlow.TargetPerAccount, events);
        foreach (var c in fill) engine.Execute(c);
        events.Clear();
        var hist = new LongHistogram(TimeStamp.Seconds(10), 3);
        var commitTicks = new LongHistogram(TimeStamp.Seconds(10), 3);
        long engineTicks = 0, accepted = 0, trades = 0;
        var rejects = new long[256];
        double interval = rate == 0 ? 0 : (double)Stopwatch.Frequency / rate;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            long t0;
            if (rate == 0) t0 = Stopwatch.GetTimestamp();
            else
            {
                t0 = start + (long)(i * interval);
                while (Stopwatch.GetTimestamp() < t0) Thread.SpinWait(1);
            }
            long begin = Stopwatch.GetTimestamp();
            var o = engine.Execute(commands[i]);
            long end = Stopwatch.GetTimestamp();
            engineTicks += end - begin;
            hist.RecordValue(end - t0);
            if (kinds[i] == FlowKind.Oracle) commitTicks.RecordValue(end - begin);
            if (o.Accepted) accepted++;
            else rejects[(int)o.Code]++;
            foreach (ref readonly var e in events.Events)
                if (e.Kind == EventKind.Trade) trades++;
            events.Clear();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var hash = engine.StateHash();
        if (!hash.AsSpan().SequenceEqual(source.StateHash()))
            throw new InvalidOperationException("the timed engine and the generating engine ended in different states");
        var mix = new long[6];
        foreach (var k in kinds) mix[(int)k]++;
        return new Result(hist, engineTicks, accepted, trades, allocated, Convert.ToHexString(hash).ToLowerInvariant(), mix, rejects,
            commitTicks, fill.Count, flow.Substituted, engine.OpenOrders);
    }

    private static void Report(TextWriter stdout, int n, int rate, Result r)
    {
        double ns = 1e9 / Stopwatch.Frequency;
        long oracle = r.Mix[(int)FlowKind.Oracle];
        stdout.WriteLine($"book filled first with {r.Filled:N0} GTC orders (untimed); {r.OpenOrders:N0} orders resting at the end");
        stdout.WriteLine($"commands: {n:N0} ({r.Accepted:N0} accepted, {n - r.Accepted:N0} rejected; {oracle:N0} oracle/funding commits), trades: {r.Trades:N0}");
        long orders = n - oracle;
        stdout.WriteLine($"mix: amend {Share(r.Mix[(int)FlowKind.Amend], orders)}, GTC {Share(r.Mix[(int)FlowKind.Gtc], orders)}, " +
            $"IOC {Share(r.Mix[(int)FlowKind.Ioc], orders)}, cancel {Share(r.Mix[(int)FlowKind.Cancel], orders)} " +
            $"(of {orders:N0} trader commands; {r.Substituted:N0} amends/cancels found no order and became GTCs)");
        var top = Enumerable.Range(0, r.Rejects.Length).Where(i => r.Rejects[i] > 0).OrderByDescending(i => r.Rejects[i]).Take(4);
        stdout.WriteLine($"rejects: {string.Join(", ", top.Select(i => $"{(RejectCode)i} {r.Rejects[i]:N0}"))}");
        double engineSeconds = r.EngineTicks / (double)Stopwatch.Frequency;
        stdout.WriteLine($"throughput: {n / engineSeconds:N0} commands/s in engine time on one thread");
        stdout.WriteLine(rate == 0 ? "latency (service time per command):" : $"latency at {rate:N0} commands/s offered (from scheduled time):");
        stdout.WriteLine($"  p50 {r.Latency.GetValueAtPercentile(50) * ns:N0} ns  p99 {r.Latency.GetValueAtPercentile(99) * ns:N0} ns  " +
            $"p99.9 {r.Latency.GetValueAtPercentile(99.9) * ns:N0} ns  max {r.Latency.GetMaxValue() * ns:N0} ns");
        if (oracle > 0)
            stdout.WriteLine($"oracle/funding commit (re-marks the underlying's accounts, then liquidations): min {r.Commits.GetValueAtPercentile(0) * ns / 1000:N1} µs  p50 {r.Commits.GetValueAtPercentile(50) * ns / 1000:N1} µs  max {r.Commits.GetMaxValue() * ns / 1000:N1} µs");
        stdout.WriteLine($"allocated during the timed run: {r.Allocated:N0} bytes (engine and histograms)");
        stdout.WriteLine($"state hash: 0x{r.Hash}");
    }

    private static string Share(long v, long total) => $"{100.0 * v / total:0.0}%";

    /// <summary>
    /// Signature checks as an intake stage runs them: orders from 64 accounts checked with <see cref="OrderSigning.VerifyBatch"/>
    /// (order hash included), then the same orders one at a time with <see cref="OrderSigning.Verify"/>; one thread each,
    /// after an untimed warm-up run so both are measured in optimised code.
    /// </summary>
    private static void VerifyRate(TextWriter stdout, int k)
    {
        const int signers = 64;
        var privateKeys = Enumerable.Range(0, signers).Select(a =>
        {
            var key = new byte[32];
            key[0] = 7;
            key[1] = (byte)a;
            return key;
        }).ToArray();
        var publicKeys = privateKeys.Select(key => EdDsaPoseidon.PrivateToPublic(key)).ToArray();
        var orders = new (ExchangeCommand, EdDsaSignature, BabyJubjubPoint)[k];
        for (int i = 0; i < k; i++)
        {
            int a = i % signers;
            var c = ExchangeCommand.Place(i, a, i / signers + 1, 0, Side.Buy, OrderType.Limit, 50_000_000_000, 100_000, i);
            orders[i] = (c, OrderSigning.Sign(c, privateKeys[a]), publicKeys[a]);
        }
        var valid = new bool[k];
        OrderSigning.VerifyBatch(orders.AsSpan(0, Math.Min(k, 64)), valid.AsSpan(0, Math.Min(k, 64)));
        var batch = Stopwatch.StartNew();
        OrderSigning.VerifyBatch(orders, valid);
        batch.Stop();
        if (valid.Count(v => !v) is var failed and > 0) throw new InvalidOperationException($"{failed} of {k} signatures failed the batch check");

        for (int i = 0; i < Math.Min(k, 64); i++) OrderSigning.Verify(orders[i].Item1, orders[i].Item2, orders[i].Item3);
        var single = Stopwatch.StartNew();
        int ok = 0;
        foreach (var (c, sig, key) in orders)
            if (OrderSigning.Verify(c, sig, key)) ok++;
        single.Stop();
        if (ok != k) throw new InvalidOperationException($"{k - ok} of {k} signatures failed to verify");
        string lanes = FieldVec8.IsAccelerated ? "eight per AVX-512 lane set" : "no AVX-512: one at a time";
        stdout.WriteLine($"signature checks: {k / batch.Elapsed.TotalSeconds:N0} orders/s verified per core in batches " +
            $"({batch.Elapsed.TotalMilliseconds / k * 1000:N1} µs each, order hash included; {lanes})");
        stdout.WriteLine($"signature checks one at a time: {k / single.Elapsed.TotalSeconds:N0} orders/s per core ({single.Elapsed.TotalMilliseconds / k * 1000:N1} µs each)");
    }
}
