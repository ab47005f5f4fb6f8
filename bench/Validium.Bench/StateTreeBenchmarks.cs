using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Validium.Accel;
using Validium.Accel.Cpu;
using Validium.Crypto;
using Validium.State;

namespace Validium.Bench;

/// <summary>
/// One committed batch of 10,000 random leaf updates in a depth-32 accounts tree on RocksDB (fsync per commit),
/// hashed through the CPU backend. The tree keeps growing across iterations, as it does in service. Each
/// operation takes about a second, so BenchmarkDotNet runs it once per iteration (monitoring strategy).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class StateTreeBenchmarks
{
    private const int Leaves = 10_000;

    private readonly Random rng = new(5);
    private string dir = "";
    private StateStore store = null!;
    private SparseMerkleTree tree = null!;
    private LeafUpdate[] updates = [];
    private ulong batchNumber;

    [Params(32)]
    public int Depth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        dir = Path.Combine(Path.GetTempPath(), "validium-bench-state-" + Guid.NewGuid().ToString("N"));
        var accel = new AccelDispatcher(new BackendRegistry(new CpuBackend()), new AccelOptions { Mode = AccelMode.Cpu });
        store = StateStore.Open(dir, accel);
        tree = store.Tree(TreeId.Accounts, Depth);
        // Two leaves whose paths meet only at the root: the root must be Poseidon of their two depth-31 subtrees.
        ulong right = 1UL << (Depth - 1);
        var root = tree.Update(++batchNumber, [new(0, Fr.One), new(right, Fr.FromUInt64(2))]);
        var expect = Poseidon.Hash(MerkleProof.ComputeRoot(0, Fr.One, ZeroSiblings(Depth - 1)), MerkleProof.ComputeRoot(0, Fr.FromUInt64(2), ZeroSiblings(Depth - 1)));
        if (root != expect) throw new InvalidOperationException("the state tree's root is wrong");
    }

    [IterationSetup]
    public void NewLeaves()
    {
        updates = new LeafUpdate[Leaves];
        for (int i = 0; i < updates.Length; i++) updates[i] = new LeafUpdate((ulong)rng.NextInt64(1L << Depth), Fr.Random(rng));
    }

    [Benchmark(OperationsPerInvoke = Leaves)]
    public Fr CommitBatchPerLeaf() => tree.Update(++batchNumber, updates);

    [GlobalCleanup]
    public void Cleanup()
    {
        store.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private static Fr[] ZeroSiblings(int depth) => Enumerable.Range(0, depth).Select(ZeroHashes.At).ToArray();
}
