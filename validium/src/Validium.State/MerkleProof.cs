using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// A leaf, its index and the sibling of every node on its path, leaf level first. Path bit i is bit i of the
/// index (1 when the path node at level i is a right child), which is the order <c>MerkleGadget</c> takes.
/// An empty leaf's proof (leaf = 0) is a proof of non-membership.
/// </summary>
public sealed class MerkleProof
{
    private readonly Fr[] siblings;

    public MerkleProof(ulong index, Fr leaf, ReadOnlySpan<Fr> siblings)
    {
        TreeShape.CheckDepth(siblings.Length, nameof(siblings));
        TreeShape.CheckIndex(siblings.Length, index);
        Index = index;
        Leaf = leaf;
        this.siblings = siblings.ToArray();
    }

    public ulong Index { get; }

    public Fr Leaf { get; }

    public int Depth => siblings.Length;

    public ReadOnlySpan<Fr> Siblings => siblings;

    /// <summary>pathBits[i] = bit i of the index: the path node at level i is a right child.</summary>
    public bool[] PathBits()
    {
        var bits = new bool[Depth];
        for (int i = 0; i < bits.Length; i++) bits[i] = ((Index >> i) & 1) != 0;
        return bits;
    }

    public bool IsEmptyLeaf => Leaf.IsZero;

    public Fr ComputeRoot() => ComputeRoot(Index, Leaf, siblings);

    public bool Verify(Fr root) => ComputeRoot() == root;

    /// <summary>The root a leaf at <paramref name="index"/> with these siblings implies.</summary>
    public static Fr ComputeRoot(ulong index, Fr leaf, ReadOnlySpan<Fr> siblings)
    {
        TreeShape.CheckDepth(siblings.Length, nameof(siblings));
        TreeShape.CheckIndex(siblings.Length, index);
        var node = leaf;
        for (int i = 0; i < siblings.Length; i++)
            node = ((index >> i) & 1) == 0 ? Poseidon.Hash(node, siblings[i]) : Poseidon.Hash(siblings[i], node);
        return node;
    }

    public static bool Verify(Fr root, ulong index, Fr leaf, ReadOnlySpan<Fr> siblings) => ComputeRoot(index, leaf, siblings) == root;
}
