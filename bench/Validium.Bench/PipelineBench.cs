using System.Diagnostics;
using System.Diagnostics.Metrics;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Proving.Groth16;

namespace Validium.Bench;

/// <summary>
/// The proving pipeline end to end: a feeder submits deposits as fast as <see cref="BatchPipeline.AddAsync"/> takes them
/// into a batcher on a fresh data directory (deposit-only shape, so the circuit stays small and the figures are about
/// the pipeline, not the circuit), and waits for every batch to be released. Reports where a batch's time goes (cut:
/// witness inputs, persistence and state commit; prove: solve, proof, self-verification), how long the feeder was held
/// back, and the back-pressure waits. A console measurement: one proof takes about a second.
/// Usage: pipeline [--batches 8] [--slots 4] [--queue 2] [--account-depth 8]
/// </summary>
internal static class PipelineBench
{
    public static async Task<int> Run(string[] args)
    {
        int batches = int.Parse(Arg(args, "--batches") ?? "8");
        int slots = int.Parse(Arg(args, "--slots") ?? "4");
        int queue = int.Parse(Arg(args, "--queue") ?? "2");
        int depth = int.Parse(Arg(args, "--account-depth") ?? "8");
        var config = new CircuitConfig
        {
            AccountDepth = depth, PositionsDepth = 1, FillDepth = 8, FeeAccount = 0, Shape = new BatchShape(slots, 0, 0),
            Instruments = [new InstrumentParams(1, 1, 1, 0, 0, 100_000, 50_000)],
        };
        var accel = new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });
        var sw = Stopwatch.StartNew();
        var r1cs = new BatchCircuit(config).Compile().R1cs;
        var pk = Setup.Run(r1cs, devSeed: 1);
        Console.WriteLine($"deposit-only shape, {slots} slots, account depth {depth}: {r1cs.Constraints.Count:N0} constraints, domain {pk.DomainSize}; compile + setup {sw.Elapsed.TotalSeconds:0.0} s");

        var dir = Directory.CreateTempSubdirectory("vld-pipeline-bench-").FullName;
        var cut = new List<double>();
        var prove = new List<double>();
        var waits = new List<double>();
        try
        {
            var store = BatchStore.Initialize(dir, config, pk);
            await using var b = BatchPipeline.Start(store, accel, new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1), QueueCapacity = queue });
            using var listener = new MeterListener();
            listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter == b.Metrics.Meter) l.EnableMeasurementEvents(i);
            };
            listener.SetMeasurementEventCallback<double>((i, v, _, _) =>
            {
                var list = i.Name switch { "validium.batcher.cut.duration" => cut, "validium.batcher.prove.duration" => prove, "validium.batcher.backpressure.wait" => waits, _ => null };
                if (list is not null) lock (list) list.Add(v);
            });
            listener.Start();

            await b.OracleCommittedAsync(new OracleRound(1, 1_700_000_000, [50_000]));
            var total = Stopwatch.StartNew();
            int accounts = (1 << depth) - 2;
            for (int i = 0; i < batches * slots; i++)
            {
                int account = 1 + i % accounts;
                var key = EdDsaPoseidon.PrivateToPublic([(byte)account, (byte)(account >> 8), .. new byte[30]]);
                await b.AddAsync(i + 1, [new DepositOp((ulong)account, key, 1000, 1000 + account)], [], []);
            }
            var fed = total.Elapsed;
            for (int n = 0; n < batches; n++) await b.Released.ReadAsync();
            var all = total.Elapsed;
            Console.WriteLine($"{batches} batches of {slots} deposits, prover queue {queue}: fed in {fed.TotalSeconds:0.00} s, all released after {all.TotalSeconds:0.00} s " +
                $"({batches * slots / all.TotalSeconds:0.0} operations/s, {batches / all.TotalSeconds:0.00} batches/s)");
            Console.WriteLine($"| per batch | median | max |\n|---|---:|---:|");
            Console.WriteLine($"| cut (witness inputs, persist, state commit) | {Median(cut) * 1000:0.0} ms | {cut.Max() * 1000:0.0} ms |");
            Console.WriteLine($"| prove (solve, Groth16, self-verify) | {Median(prove) * 1000:0} ms | {prove.Max() * 1000:0} ms |");
            Console.WriteLine($"back-pressure: {b.BackPressureWaits} of {batches} cuts waited for the prover, {waits.Sum():0.00} s in all");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
