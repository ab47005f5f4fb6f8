using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// Roots of empty subtrees: z_0 = 0 (the empty leaf) and z_i = Poseidon(z_{i-1}, z_{i-1}), so a tree never
/// stores a node that equals z at its level and an absent node reads as that value.
/// </summary>
public static class ZeroHashes
{
    public const int MaxDepth = 64;

    private static readonly Fr[] Levels = Compute();

    /// <summary>The root of an empty subtree of the given height (0 = a leaf).</summary>
    public static Fr At(int level)
    {
        if ((uint)level > MaxDepth) throw new ArgumentOutOfRangeException(nameof(level), $"level must be within 0..{MaxDepth}, got {level}");
        return Levels[level];
    }

    /// <summary>The root of an empty tree of this depth.</summary>
    public static Fr EmptyRoot(int depth) => At(TreeShape.CheckDepth(depth));

    internal static ReadOnlySpan<Fr> All => Levels;

    private static Fr[] Compute()
    {
        var z = new Fr[MaxDepth + 1];
        for (int i = 1; i <= MaxDepth; i++) z[i] = Poseidon.Hash(z[i - 1], z[i - 1]);
        return z;
    }
}
