using Validium.Crypto;

namespace Validium.Accel;

public sealed partial class AccelDispatcher
{
    /// <summary>
    /// Every level of a binary Poseidon Merkle tree, leaves first and the one-element root level last,
    /// built a layer at a time so each layer goes to the selected device as one batch.
    /// </summary>
    public Fr[][] BuildMerkleTree(ReadOnlySpan<Fr> leaves, CancellationToken ct = default)
    {
        int n = leaves.Length;
        if (n == 0 || (n & (n - 1)) != 0) throw new ArgumentException($"a binary Merkle tree needs a power-of-two number of leaves, got {n}", nameof(leaves));
        int depth = System.Numerics.BitOperations.Log2((uint)n);
        var levels = new Fr[depth + 1][];
        levels[0] = leaves.ToArray();
        for (int d = 1; d <= depth; d++)
        {
            levels[d] = new Fr[levels[d - 1].Length / 2];
            MerkleLayer(levels[d - 1], levels[d], ct);
        }
        return levels;
    }

    public Fr MerkleRoot(ReadOnlySpan<Fr> leaves, CancellationToken ct = default) => BuildMerkleTree(leaves, ct)[^1][0];
}
