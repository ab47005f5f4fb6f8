using System.Collections.Immutable;
using System.Numerics;
using Validium.Crypto;
using Validium.State;

namespace Validium.Circuits.Witness;

/// <summary>
/// The preimage of an account leaf, which the trees themselves do not keep: key, nonce, collateral and one position
/// per instrument of the circuit's table (flat positions are <see cref="PositionLeaf.Flat"/>).
/// </summary>
public sealed record AccountData(BabyJubjubPoint Key, ulong Nonce, long Collateral, ImmutableArray<PositionLeaf> Positions)
{
    public static AccountData Open(BabyJubjubPoint key, long collateral, int instruments) =>
        new(key, 0, collateral, [.. Enumerable.Repeat(PositionLeaf.Flat, instruments)]);

    /// <summary>The positions subtree's root, computed here from all leaves (the store's tree must agree).</summary>
    public Fr PositionsRoot(int depth)
    {
        var level = new Fr[1 << depth];
        for (int j = 0; j < Positions.Length; j++) level[j] = Positions[j].Hash();
        for (int l = 0; l < depth; l++)
        {
            var up = new Fr[level.Length / 2];
            for (int i = 0; i < up.Length; i++) up[i] = Poseidon.Hash(level[2 * i], level[2 * i + 1]);
            level = up;
        }
        return level[0];
    }

    public AccountLeaf Leaf(int positionsDepth) => new(Key.X, Key.Y, Nonce, Collateral, PositionsRoot(positionsDepth));
}

/// <summary>The state's preimages beside its trees: account leaves by number, order fills by slot, the funding state (null: all zero), the last batch's round time.</summary>
public sealed class StateMirror
{
    private readonly Dictionary<ulong, AccountData> accounts;
    private readonly Dictionary<ulong, OrderFillLeaf> fills;

    public StateMirror() : this([], []) { }

    private StateMirror(Dictionary<ulong, AccountData> accounts, Dictionary<ulong, OrderFillLeaf> fills)
    {
        this.accounts = accounts;
        this.fills = fills;
    }

    public IReadOnlyDictionary<ulong, AccountData> Accounts => accounts;

    public IReadOnlyDictionary<ulong, OrderFillLeaf> Fills => fills;

    public AccountData? Account(ulong id) => accounts.GetValueOrDefault(id);

    public OrderFillLeaf? Fill(ulong slot) => fills.GetValueOrDefault(slot);

    public FundingState? Funding { get; internal set; }

    /// <summary>Per instrument the lots held long over every account (FundingState.OpenInterest): what the reserved leaf carries with funding or expiry slots.</summary>
    public BigInteger[] OpenInterest(int instruments) =>
        FundingState.OpenInterest(accounts.Values.Select(a => a.Positions.Select(p => p.Size).ToArray()), instruments);

    /// <summary>The round timestamp (seconds) of the last batch, 0 before the first: the reserved leaf carries it with expiry slots.</summary>
    public ulong LastRoundTime { get; internal set; }

    /// <summary>What the reserved leaf carries for the expiry slots: the short interest of the options <paramref name="options"/> and <see cref="LastRoundTime"/>.</summary>
    public ExpiryFigures ExpiryFigures(IReadOnlyList<int> options) =>
        new(FundingState.ShortInterest(accounts.Values.Select(a => a.Positions.Select(p => p.Size).ToArray()), options), LastRoundTime);

    internal void SetAccount(ulong id, AccountData data) => accounts[id] = data;

    internal void SetFill(ulong slot, OrderFillLeaf leaf) => fills[slot] = leaf;

    /// <summary>A copy to stage a batch on; the leaves are immutable, so copying the maps is enough.</summary>
    internal StateMirror Clone() => new(new(accounts), new(fills)) { Funding = Funding, LastRoundTime = LastRoundTime };

    internal void ReplaceWith(StateMirror other)
    {
        accounts.Clear();
        foreach (var kv in other.accounts) accounts[kv.Key] = kv.Value;
        fills.Clear();
        foreach (var kv in other.fills) fills[kv.Key] = kv.Value;
        Funding = other.Funding;
        LastRoundTime = other.LastRoundTime;
    }
}
