using System.Diagnostics;
using Validium.Accel;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Proving.Groth16;
using Validium.State;

namespace Validium.Bench;

/// <summary>
/// The batch circuit's size and proving time. First the constraints each operation type adds (a slot of that type
/// over the empty shape's fixed part), then per batch size: `vld batch demo`'s exchange settles N trades, and the
/// circuit is compiled, set up (development seed), solved and proven on the CPU, each proof verified before its time
/// is reported. A console measurement rather than BenchmarkDotNet: one proof at these sizes takes seconds to minutes.
/// Usage: batch [--trades 1,4,16,64] [--account-depth 16] [--fill-depth 24] [--counts-only]
/// </summary>
internal static class BatchProving
{
    public static int Run(string[] args)
    {
        var sizes = (ArgText(args, "--trades") ?? "1,4,16,64").Split(',').Select(int.Parse).ToArray();
        int accountDepth = int.Parse(ArgText(args, "--account-depth") ?? "16");
        int fillDepth = int.Parse(ArgText(args, "--fill-depth") ?? "24");
        bool countsOnly = args.Contains("--counts-only");

        var table = new DemoExchange(1, accountDepth, fillDepth).Config;
        int Count(BatchShape shape) => new BatchCircuit(table with { Shape = shape }).Compile().R1cs.Constraints.Count;
        int fixedPart = Count(new BatchShape(0, 0, 0));
        Console.WriteLine($"account depth {accountDepth}, fill depth {fillDepth}, positions depth {table.PositionsDepth} ({table.InstrumentCount} instruments)");
        Console.WriteLine($"| part | constraints |\n|---|---:|\n| fixed (oracle round, fee credit, fill-root leaf, commitments) | {fixedPart:N0} |");
        foreach (var (name, shape) in new[] { ("deposit slot", new BatchShape(1, 0, 0)), ("trade slot", new BatchShape(0, 1, 0)), ("withdrawal slot", new BatchShape(0, 0, 1)),
            ("forced-request slot", new BatchShape(0, 0, 0, Forced: 1)) })
            Console.WriteLine($"| {name} | {Count(shape) - fixedPart:N0} |");
        // The first liquidation slot also pays for what the section does once: the liquidator, the insurance fund, the per-lot maintenance margins.
        var liquidating = table with { LiquidatorAccount = 1, InsuranceAccount = 2, LiquidationPenaltyPpm = 200_000 };
        int Liquidations(int n) => new BatchCircuit(liquidating with { Shape = new BatchShape(0, 0, 0, Liquidations: n) }).Compile().R1cs.Constraints.Count;
        int one = Liquidations(1), two = Liquidations(2);
        Console.WriteLine($"| liquidation slot | {two - one:N0} |\n| liquidation section, once per batch (liquidator, insurance fund, maintenance per lot) | {one - fixedPart - (two - one):N0} |");
        Console.WriteLine("\n| liquidation slots (nothing else) | constraints |\n|---:|---:|");
        foreach (int n in sizes) Console.WriteLine($"| {n} | {Liquidations(n):N0} |");
        // The first settlement slot also pays for the section's per-instrument ticks and the funding state in the reserved leaf.
        var funded = table with { FundingPeriodSeconds = 3600, FundingCapsPpm = [.. table.Instruments.Select(_ => 750)],
            PremiumCapsPpm = [.. table.Instruments.Select(_ => 5_000)] };
        int Funding(int n) => new BatchCircuit(funded with { Shape = new BatchShape(0, 0, 0, Funding: n) }).Compile().R1cs.Constraints.Count;
        int f1 = Funding(1), f2 = Funding(2);
        Console.WriteLine($"\n| part | constraints |\n|---|---:|\n| funding settlement slot | {f2 - f1:N0} |\n| funding section, once per batch (ticks, funding state in the reserved leaf) | {f1 - fixedPart - (f2 - f1):N0} |");
        Console.WriteLine("\n| funding settlement slots (nothing else) | constraints |\n|---:|---:|");
        foreach (int n in sizes) Console.WriteLine($"| {n} | {Funding(n):N0} |");
        OptionConstraints.Print(table);
        OpenInterestConstraints.Print(table);
        if (countsOnly) return 0;

        var accel = new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });
        // One untimed pass at the smallest size first, so the first row does not carry the JIT's work.
        Measure(sizes.Min(), accountDepth, fillDepth, accel);
        Console.WriteLine("\n| trades | constraints | domain | compile | setup | witness | prove | trades/s (witness + prove) |\n|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int n in sizes)
        {
            var (constraints, domainLog, compile, setup, witness, prove) = Measure(n, accountDepth, fillDepth, accel);
            Console.WriteLine($"| {n} | {constraints:N0} | 2^{domainLog} | {compile.TotalSeconds:0.0} s | {setup.TotalSeconds:0.0} s | " +
                $"{witness.TotalSeconds:0.0} s | {prove.TotalSeconds:0.0} s | {n / (witness + prove).TotalSeconds:0.00} |");
        }
        return 0;
    }

    private static (int Constraints, int DomainLog, TimeSpan Compile, TimeSpan Setup, TimeSpan Witness, TimeSpan Prove) Measure(int n, int accountDepth, int fillDepth, AccelDispatcher accel)
    {
        var dir = Path.Combine(Path.GetTempPath(), "vld-batch-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var exchange = new DemoExchange(n, accountDepth, fillDepth);
            using var store = StateStore.Open(dir, accel, new StateStoreOptions { SyncWrites = false });
            using var batch = exchange.Build(store);
            var circuit = new BatchCircuit(exchange.Config);
            var sw = Stopwatch.StartNew();
            var r1cs = circuit.Compile().R1cs;
            var compile = sw.Elapsed;
            int constraints = r1cs.Constraints.Count;
            sw.Restart();
            var pk = Setup.Run(r1cs, 1);
            var setup = sw.Elapsed;
            // Only the key and the witness are needed from here: letting the system go keeps the peak lower.
            r1cs = null;
            sw.Restart();
            var solution = circuit.Solve(batch.Assignment).ThrowIfUnsatisfied();
            var witness = sw.Elapsed;
            var (values, publicSignals) = (solution.Witness, solution.PublicSignals.ToArray());
            solution = null;
            GC.Collect();
            sw.Restart();
            var proof = new Prover(accel).Prove(pk, values);
            var prove = sw.Elapsed;
            if (!Verifier.Verify(pk.VerifyingKey, proof, publicSignals, out var reason)) throw new InvalidOperationException($"proof of {n} trades does not verify: {reason}");
            return (constraints, pk.DomainLog, compile, setup, witness, prove);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string? ArgText(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
