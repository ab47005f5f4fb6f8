using Validium.Crypto;

namespace Validium.State.Tests;

/// <summary>
/// The reference the store is checked against: every leaf in an array and every level recomputed in full with
/// Poseidon.Hash, no zero-hash shortcut, no accelerator, no database. Only for small depths.
/// </summary>
internal sealed class NaiveTree
{
    private readonly Fr[] leaves;
    private Fr[][]? levels;

    public NaiveTree(int depth)
    {
        if (depth > 12) throw new ArgumentOutOfRangeException(nameof(depth), "the naive tree is for small depths");
        Depth = depth;
        leaves = new Fr[1 << depth];
    }

    public int Depth { get; }

    public void Set(ulong index, Fr value)
    {
        leaves[index] = value;
        levels = null;
    }

    public Fr Get(ulong index) => leaves[index];

    public Fr Root() => Levels()[^1][0];

    public Fr[] Siblings(ulong index)
    {
        var levels = Levels();
        var s = new Fr[Depth];
        for (int l = 0; l < Depth; l++) s[l] = levels[l][(int)((index >> l) ^ 1)];
        return s;
    }

    private Fr[][] Levels() => levels ??= Compute();

    private Fr[][] Compute()
    {
        var levels = new Fr[Depth + 1][];
        levels[0] = (Fr[])leaves.Clone();
        for (int l = 1; l <= Depth; l++)
        {
            levels[l] = new Fr[levels[l - 1].Length / 2];
            for (int i = 0; i < levels[l].Length; i++) levels[l][i] = Poseidon.Hash(levels[l - 1][2 * i], levels[l - 1][2 * i + 1]);
        }
        return levels;
    }
}
