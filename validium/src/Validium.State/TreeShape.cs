namespace Validium.State;

/// <summary>The bounds every boundary checks: depth in 1..64 and leaf indices below 2^depth.</summary>
public static class TreeShape
{
    public const int MinDepth = 1;

    public static int CheckDepth(int depth, string name = "depth")
    {
        if (depth is < MinDepth or > ZeroHashes.MaxDepth)
            throw new ArgumentOutOfRangeException(name, depth, $"tree depth must be within {MinDepth}..{ZeroHashes.MaxDepth}, got {depth}");
        return depth;
    }

    public static bool Contains(int depth, ulong index) => depth == 64 || index >> depth == 0;

    public static void CheckIndex(int depth, ulong index, string name = "index")
    {
        if (!Contains(depth, index))
            throw new ArgumentOutOfRangeException(name, index, $"leaf index {index} is outside a tree of depth {depth} (indices are below 2^{depth})");
    }
}
