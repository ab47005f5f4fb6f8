using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// A fixed-depth binary sparse Merkle tree with Poseidon(left, right) nodes, stored in a <see cref="StateStore"/>.
/// Leaves are addressed by index (below 2^depth); an absent leaf is 0 and an absent subtree hashes to its
/// <see cref="ZeroHashes"/> value. This handle reads committed state; changes go through a <see cref="StateBatch"/>.
/// </summary>
public sealed class SparseMerkleTree
{
    internal SparseMerkleTree(StateStore store, TreeId id, int depth)
    {
        Store = store;
        Id = id;
        Depth = depth;
    }

    public StateStore Store { get; }

    public TreeId Id { get; }

    public int Depth { get; }

    public Fr EmptyRoot => ZeroHashes.At(Depth);

    /// <summary>The committed root.</summary>
    public Fr Root => Store.ReadNode(Id, Depth, 0);

    /// <summary>The committed value of a leaf (0 when empty).</summary>
    public Fr Get(ulong index)
    {
        TreeShape.CheckIndex(Depth, index);
        return Store.ReadNode(Id, 0, index);
    }

    /// <summary>A proof of the committed leaf at <paramref name="index"/> against <see cref="Root"/>.</summary>
    public MerkleProof Prove(ulong index)
    {
        TreeShape.CheckIndex(Depth, index);
        var siblings = new Fr[Depth];
        for (int level = 0; level < Depth; level++) siblings[level] = Store.ReadNode(Id, level, (index >> level) ^ 1);
        return new MerkleProof(index, Store.ReadNode(Id, 0, index), siblings);
    }

    /// <summary>
    /// Every committed non-empty leaf, by index: the data a user needs to rebuild the tree (and their proofs)
    /// without the operator. Reads the whole tree into memory.
    /// </summary>
    public IReadOnlyList<LeafUpdate> NonEmptyLeaves() => Store.StoredLeaves(Id);

    /// <summary>The root after batch <paramref name="batchNumber"/> (the empty root if the tree had not changed by then).</summary>
    public Fr RootAt(ulong batchNumber) => Store.RootAt(this, batchNumber);

    /// <summary>Commits one batch that changes only this tree; returns the new root.</summary>
    public Fr Update(ulong batchNumber, IReadOnlyList<LeafUpdate> updates, CancellationToken ct = default)
    {
        using var batch = Store.BeginBatch(batchNumber);
        var root = batch.Update(this, updates, ct);
        batch.Commit();
        return root;
    }
}
