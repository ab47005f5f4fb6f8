namespace Validium.State;

/// <summary>What a tree holds; the byte leads every stored key of that tree.</summary>
public enum TreeKind : byte
{
    Accounts = 1,
    Positions = 2,
    OrderFills = 3,
}

/// <summary>
/// Names one tree in a <see cref="StateStore"/>: the kind plus an owner, which is the account index for a
/// positions subtree and 0 for the single accounts and order-fill trees.
/// </summary>
public readonly record struct TreeId(TreeKind Kind, ulong Owner)
{
    public static TreeId Accounts => new(TreeKind.Accounts, 0);

    public static TreeId OrderFills => new(TreeKind.OrderFills, 0);

    public static TreeId Positions(ulong account) => new(TreeKind.Positions, account);

    public override string ToString() => Kind == TreeKind.Positions ? $"positions of account {Owner}" : Owner == 0 ? Kind.ToString() : $"{Kind}/{Owner}";
}
