using System.Collections.Immutable;
using Validium.Crypto;
using Validium.State;

namespace Validium.Circuits;

/// <summary>
/// The exchange's funding state per instrument (CIRCUIT.md, "Funding"): the cumulative index G (collateral micro-units
/// per lot, the engine's Market.FundingIndex) and the oracle timestamp (seconds) of the instrument's last tick, 0 before
/// the first. It lives in the account tree's reserved leaf beside the order-fill root.
/// </summary>
public sealed record FundingState(ImmutableArray<long> Index, ImmutableArray<ulong> LastTick)
{
    public static FundingState Zero(int instruments) => new([.. new long[instruments]], [.. new ulong[instruments]]);

    public int Count => Index.Length;

    public bool IsZero => Index.All(g => g == 0) && LastTick.All(t => t == 0);

    /// <summary>The words the reserved leaf commits to: last tick then index, per instrument (the index signed).</summary>
    public Fr[] Words()
    {
        var words = new Fr[2 * Count];
        for (int i = 0; i < Count; i++)
        {
            words[2 * i] = LastTick[i];
            words[2 * i + 1] = FieldEncoding.Signed(Index[i]);
        }
        return words;
    }

    public Fr Digest() => PoseidonSponge.Commit(Words());

    public string? Validate(int instruments) =>
        Index.IsDefault || LastTick.IsDefault || Index.Length != instruments || LastTick.Length != instruments
            ? $"the funding state must have an index and a last tick for each of the {instruments} instruments"
            : null;
}
