using Validium.Proving.Circuit;

namespace Validium.Proving.Gadgets;

/// <summary>
/// Binary Merkle paths hashed with Poseidon(left, right). siblings[0] and pathBits[0] are at the leaf's level;
/// pathBits[i] = 1 when the running node is the right child there, so the bits are the leaf index, least
/// significant first. Each level costs Poseidon(2) (240) + the bit's boolean check (1) + one select (1) = 242,
/// as the circomlib-style MerkleTreeChecker (4,840 at depth 20).
/// </summary>
public static class MerkleGadget
{
    public static Variable ComputeRoot(ICircuitApi api, Variable leaf, IReadOnlyList<Variable> siblings, IReadOnlyList<Variable> pathBits)
    {
        if (siblings.Count != pathBits.Count) throw new ArgumentException($"{siblings.Count} siblings but {pathBits.Count} path bits");
        var node = leaf;
        for (int i = 0; i < siblings.Count; i++)
        {
            using var scope = api.Scope($"merkle/level {i}");
            // One product picks the left child; the right is what remains of the sum.
            var left = api.Select(pathBits[i], siblings[i], node);
            var right = api.Sub(api.Add(node, siblings[i]), left);
            node = PoseidonGadget.Hash(api, left, right);
        }
        return node;
    }

    public static void VerifyPath(ICircuitApi api, Variable root, Variable leaf, IReadOnlyList<Variable> siblings, IReadOnlyList<Variable> pathBits)
    {
        var computed = ComputeRoot(api, leaf, siblings, pathBits);
        using var scope = api.Scope("merkle/root");
        api.AssertEqual(computed, root);
    }

    /// <summary>
    /// Proves oldLeaf sits under oldRoot and returns the root with newLeaf in its place; the second pass reuses
    /// the path bits' boolean checks, so an update costs 2·242 − 1 per level plus the root equality.
    /// </summary>
    public static Variable Update(ICircuitApi api, Variable oldRoot, Variable oldLeaf, Variable newLeaf, IReadOnlyList<Variable> siblings, IReadOnlyList<Variable> pathBits)
    {
        VerifyPath(api, oldRoot, oldLeaf, siblings, pathBits);
        return ComputeRoot(api, newLeaf, siblings, pathBits);
    }
}
