using System.Diagnostics;
using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// The changes of one batch, staged in memory over the committed state: every update returns the new root
/// at once and later updates and proofs see it, but nothing reaches the database until <see cref="Commit"/>,
/// which writes all trees' nodes and roots in one atomic RocksDB WriteBatch. Disposing without committing
/// discards the batch. An update that throws (bad index, cancellation) leaves the batch as it was. A batch is
/// used from one thread at a time.
/// </summary>
public sealed class StateBatch : IDisposable
{
    private readonly StateStore store;
    private readonly Dictionary<NodeKey, Fr> staged = [];
    private readonly Dictionary<TreeId, (int Depth, Fr Root)> roots = [];
    private bool finished;

    internal StateBatch(StateStore store, ulong batchNumber)
    {
        this.store = store;
        BatchNumber = batchNumber;
    }

    public ulong BatchNumber { get; }

    public CommitStats Stats { get; } = new();

    /// <summary>
    /// Sets many leaves of one tree and rehashes layer by layer: each level's dirty parents go to the
    /// accelerator as one Poseidon(2) batch. Duplicate indices: the last update wins.
    /// </summary>
    public Fr Update(SparseMerkleTree tree, IReadOnlyList<LeafUpdate> updates, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(updates);
        ThrowIfFinished();
        store.CheckOwns(tree);
        int depth = tree.Depth;
        for (int i = 0; i < updates.Count; i++) TreeShape.CheckIndex(depth, updates[i].Index, $"updates[{i}].Index");
        if (updates.Count == 0) return Root(tree);

        var (indices, values) = SortedLastWins(updates);
        var changed = new List<(int Level, ulong[] Indices, Fr[] Values)>(depth + 1) { (0, indices, values) };
        for (int level = 0; level < depth; level++)
        {
            ct.ThrowIfCancellationRequested();
            (indices, values) = HashParents(tree.Id, level, indices, values, ct);
            changed.Add((level + 1, indices, values));
        }

        // Only now, with every level hashed, does the batch take the new nodes in.
        foreach (var (level, idx, val) in changed)
            for (int i = 0; i < idx.Length; i++) staged[new NodeKey(tree.Id, level, idx[i])] = val[i];
        var root = values[0];
        roots[tree.Id] = (depth, root);
        Stats.LeavesUpdated += changed[0].Indices.Length;
        return root;
    }

    /// <summary>The tree's root with this batch's changes so far.</summary>
    public Fr Root(SparseMerkleTree tree) => Node(tree, tree.Depth, 0);

    /// <summary>A leaf's value with this batch's changes so far (0 for an empty leaf).</summary>
    public Fr Get(SparseMerkleTree tree, ulong index)
    {
        TreeShape.CheckIndex(tree.Depth, index);
        return Node(tree, 0, index);
    }

    /// <summary>A proof against <see cref="Root"/>, i.e. including this batch's changes so far: what a circuit step needs.</summary>
    public MerkleProof Prove(SparseMerkleTree tree, ulong index)
    {
        TreeShape.CheckIndex(tree.Depth, index);
        var siblings = new Fr[tree.Depth];
        for (int level = 0; level < siblings.Length; level++) siblings[level] = Node(tree, level, (index >> level) ^ 1);
        return new MerkleProof(index, Node(tree, 0, index), siblings);
    }

    /// <summary>Writes every staged node and root, and the batch number, atomically.</summary>
    public void Commit()
    {
        ThrowIfFinished();
        var sw = Stopwatch.StartNew();
        store.Commit(this, staged, roots);
        Stats.WriteTime += sw.Elapsed;
        Stats.NodesWritten = staged.Count;
        finished = true;
    }

    public void Dispose()
    {
        if (finished) return;
        finished = true;
        store.Abandon(this);
    }

    private Fr Node(SparseMerkleTree tree, int level, ulong index)
    {
        ThrowIfFinished();
        store.CheckOwns(tree);
        return staged.TryGetValue(new NodeKey(tree.Id, level, index), out var v) ? v : store.ReadNode(tree.Id, level, index);
    }

    /// <summary>
    /// One level up: pairs each changed node with its sibling (changed too, staged earlier in this batch, or
    /// committed), hashes all pairs in one accelerator call, and returns the parents sorted by index.
    /// </summary>
    private (ulong[] Indices, Fr[] Values) HashParents(TreeId tree, int level, ulong[] children, Fr[] childValues, CancellationToken ct)
    {
        var parents = new List<ulong>(children.Length);
        var inputs = new Fr[2 * children.Length];
        var missing = new List<ulong>();
        var missingSlots = new List<int>();
        for (int j = 0; j < children.Length;)
        {
            ulong p = children[j] >> 1;
            int slot = 2 * parents.Count;
            parents.Add(p);
            for (int side = 0; side < 2; side++)
            {
                ulong child = (p << 1) + (uint)side;
                if (j < children.Length && children[j] == child) inputs[slot + side] = childValues[j++];
                else if (staged.TryGetValue(new NodeKey(tree, level, child), out var v)) inputs[slot + side] = v;
                else
                {
                    missing.Add(child);
                    missingSlots.Add(slot + side);
                }
            }
        }

        var sw = Stopwatch.StartNew();
        if (missing.Count > 0)
        {
            var read = new Fr[missing.Count];
            long dbReads = 0;
            store.ReadNodes(tree, level, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(missing), read, ref dbReads);
            for (int i = 0; i < read.Length; i++) inputs[missingSlots[i]] = read[i];
            Stats.NodeReads += read.Length;
            Stats.DbReads += dbReads;
        }
        Stats.ReadTime += sw.Elapsed;

        sw.Restart();
        var outputs = new Fr[parents.Count];
        store.Accel.PoseidonBatch(inputs.AsSpan(0, 2 * parents.Count), 2, outputs, ct);
        Stats.HashTime += sw.Elapsed;
        Stats.Hashes += outputs.Length;
        return (parents.ToArray(), outputs);
    }

    private static (ulong[] Indices, Fr[] Values) SortedLastWins(IReadOnlyList<LeafUpdate> updates)
    {
        var order = new int[updates.Count];
        var keys = new ulong[updates.Count];
        for (int i = 0; i < order.Length; i++) { order[i] = i; keys[i] = updates[i].Index; }
        // Sorting positions by (index, position) keeps duplicates in input order, so the last one is the one kept.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        var idx = new List<ulong>(order.Length);
        var val = new List<Fr>(order.Length);
        foreach (int o in order)
        {
            if (idx.Count > 0 && idx[^1] == keys[o]) val[^1] = updates[o].Value;
            else { idx.Add(keys[o]); val.Add(updates[o].Value); }
        }
        return (idx.ToArray(), val.ToArray());
    }

    private void ThrowIfFinished()
    {
        if (finished) throw new InvalidOperationException($"batch {BatchNumber} is already committed or discarded");
    }
}
