using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// A position in an account's positions subtree (index = instrument id): signed size in contracts (negative is
/// short), signed open notional (what the position cost, in collateral units: the entry price is
/// notional / size) and the funding index it last settled at (perpetuals; 0 for options).
/// A flat position is all zeros and is the empty leaf 0, so closing a position empties its slot.
/// </summary>
public sealed record PositionLeaf(long Size, long OpenNotional, long FundingIndex)
{
    public static PositionLeaf Flat { get; } = new(0, 0, 0);

    public bool IsFlat => Size == 0 && OpenNotional == 0 && FundingIndex == 0;

    /// <summary>0 when flat, otherwise Poseidon(size, openNotional, fundingIndex) with signed encodings.</summary>
    public Fr Hash() => IsFlat
        ? Fr.Zero
        : Poseidon.Hash([FieldEncoding.Signed(Size), FieldEncoding.Signed(OpenNotional), FieldEncoding.Signed(FundingIndex)]);
}
