using System.CommandLine;
using System.Diagnostics;
using Validium.Accel;
using Validium.Crypto;
using Validium.State;

namespace Validium.Cli;

/// <summary>`vld state …`: the state trees on disk.</summary>
internal static class StateCommands
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var state = new Command("state", "Sparse Merkle state trees (Poseidon, RocksDB)");
        state.Subcommands.Add(Bench(stdout, stderr));
        return state;
    }

    private static Command Bench(TextWriter stdout, TextWriter stderr)
    {
        var leaves = new Option<int>("--leaves") { Description = "Random leaves per batch", DefaultValueFactory = _ => 10_000 };
        var depth = new Option<int>("--depth") { Description = "Tree depth (1..64)", DefaultValueFactory = _ => 32 };
        var batches = new Option<int>("--batches") { Description = "Batches to commit", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed for the leaf indices and values", DefaultValueFactory = _ => 1 };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Database directory (kept); a temporary one, deleted afterwards, when absent" };
        var noSync = new Option<bool>("--no-sync") { Description = "Commit without waiting for fsync" };
        var backend = new Option<string>("--backend") { Description = "auto, cpu, gpu or fpga for the Poseidon batches", DefaultValueFactory = _ => "cpu" };
        var cmd = new Command("bench", "Commit batches of random leaf updates and report leaves/s and where the time went")
        {
            leaves, depth, batches, seed, dir, noSync, backend,
        };
        cmd.SetAction(r =>
        {
            int n = r.GetValue(leaves), d = r.GetValue(depth), b = r.GetValue(batches);
            if (d is < TreeShape.MinDepth or > ZeroHashes.MaxDepth) throw new UsageException($"--depth must be within {TreeShape.MinDepth}..{ZeroHashes.MaxDepth}, got {d}");
            if (n < 1) throw new UsageException("--leaves must be at least 1");
            if (b < 1) throw new UsageException("--batches must be at least 1");
            var path = r.GetValue(dir)?.FullName ?? Path.Combine(Path.GetTempPath(), "vld-state-bench-" + Guid.NewGuid().ToString("N"));
            using var registry = AccelSetup.CreateRegistry(false, stderr);
            var accel = new AccelDispatcher(registry, new AccelOptions { Mode = AccelOptions.ParseMode(r.GetValue(backend)!) }, AccelSetup.Logger<AccelDispatcher>(stderr));
            var rng = new Random(r.GetValue(seed));
            try
            {
                using var store = StateStore.Open(path, accel, new StateStoreOptions { SyncWrites = !r.GetValue(noSync) });
                var tree = store.Tree(TreeId.Accounts, d);
                stdout.WriteLine($"depth {d}, {n} leaves per batch, {b} batches, {(r.GetValue(noSync) ? "no fsync" : "fsync per commit")}, database {path}");
                ulong first = store.LastBatch is { } last ? last + 1 : 1;
                LeafUpdate probe = default;
                var total = TimeSpan.Zero;
                for (int i = 0; i < b; i++)
                {
                    var updates = new LeafUpdate[n];
                    for (int j = 0; j < n; j++) updates[j] = new LeafUpdate(RandomIndex(rng, d), Fr.Random(rng));
                    probe = updates[^1];
                    var sw = Stopwatch.StartNew();
                    using var batch = store.BeginBatch(first + (ulong)i);
                    batch.Update(tree, updates);
                    batch.Commit();
                    sw.Stop();
                    total += sw.Elapsed;
                    stdout.WriteLine($"batch {batch.BatchNumber}: {sw.Elapsed.TotalMilliseconds:0} ms, {n / sw.Elapsed.TotalSeconds:0} leaves/s; {batch.Stats}");
                }
                var proof = tree.Prove(probe.Index);
                if (proof.Leaf != probe.Value || !proof.Verify(tree.Root)) throw new InvalidOperationException($"the proof of leaf {probe.Index} does not verify");
                stdout.WriteLine($"total: {total.TotalSeconds:0.00} s, {(double)n * b / total.TotalSeconds:0} leaves/s; root {tree.Root}; proof of leaf {probe.Index} verifies");
            }
            finally
            {
                if (r.GetValue(dir) is null && Directory.Exists(path)) Directory.Delete(path, recursive: true);
            }
            return 0;
        });
        return cmd;
    }

    private static ulong RandomIndex(Random rng, int depth)
    {
        ulong v = (ulong)rng.NextInt64() << 1 ^ (ulong)rng.Next(2);
        return depth == 64 ? v : v & ((1UL << depth) - 1);
    }
}
