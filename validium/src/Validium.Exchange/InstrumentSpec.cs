namespace Validium.Exchange;

/// <summary>
/// What an instrument is and how it trades, in raw units: prices are collateral micro-units (6 decimals) per one
/// contract, quantities are contracts × 10^QuantityDecimals. Validation demands TickSize × LotSize be a multiple
/// of 10^QuantityDecimals, so every cash amount (trade value, mark value, funding, expiry payout) is an exact integer
/// number of collateral micro-units and nothing in the state is ever rounded.
/// </summary>
public sealed record InstrumentSpec
{
    public InstrumentKind Kind { get; init; }
    /// <summary>Underlying id: instruments with the same one share an oracle index and a margin group.</summary>
    public int Underlying { get; init; }
    /// <summary>Options only: strike price (raw), a multiple of TickSize.</summary>
    public long Strike { get; init; }
    /// <summary>Options only: expiry time (ms); settlement happens at the first oracle index at or after it.</summary>
    public long Expiry { get; init; }
    public long TickSize { get; init; }
    public long LotSize { get; init; }
    public int QuantityDecimals { get; init; }
    public long MinQuantity { get; init; }
    public long MaxQuantity { get; init; }
    public long MaxPrice { get; init; }
    /// <summary>Largest |position| plus open orders on one side an account may hold (raw quantity).</summary>
    public long MaxPosition { get; init; }
    /// <summary>Fees in parts per million of trade value; a negative maker fee is a rebate.</summary>
    public int MakerFeePpm { get; init; }
    public int TakerFeePpm { get; init; }
    /// <summary>Initial and maintenance margin factors (ppm of notional for perps, of the underlying for options).</summary>
    public int InitialMarginPpm { get; init; }
    public int MaintenanceMarginPpm { get; init; }
    /// <summary>Orders must be priced within mark × (1 ± BandPpm / 10^6).</summary>
    public int BandPpm { get; init; }
    /// <summary>Perpetuals: the mark's premium over the index is clamped to ± this share of the index.</summary>
    public int PremiumCapPpm { get; init; }
    /// <summary>Perpetuals: each funding period's rate is clamped to ± this.</summary>
    public int FundingCapPpm { get; init; }

    public bool IsOption => Kind != InstrumentKind.Perpetual;

    /// <summary>Collateral micro-units per one tick of price on one lot: the exact unit of every cash amount.</summary>
    public long CashPerTickLot => TickSize * LotSize / Pow10(QuantityDecimals);

    public long MaxPriceTicks => MaxPrice / TickSize;

    public const long MaxBookTicks = 1L << 22;

    /// <summary>Null when the spec is usable; otherwise what is wrong with it.</summary>
    public string? Validate()
    {
        if (!Enum.IsDefined(Kind)) return "unknown instrument kind";
        if (Underlying is < 0 or >= Limits.MaxUnderlyings) return $"underlying must be 0..{Limits.MaxUnderlyings - 1}";
        if (TickSize <= 0 || LotSize <= 0) return "tick and lot sizes must be positive";
        if (QuantityDecimals is < 0 or > 18) return "quantity decimals must be 0..18";
        var scale = Pow10(QuantityDecimals);
        if (TickSize > long.MaxValue / LotSize || TickSize * LotSize % scale != 0 || TickSize * LotSize / scale == 0)
            return "tick size × lot size must be a positive multiple of 10^QuantityDecimals";
        if (MaxPrice < TickSize || MaxPrice % TickSize != 0 || MaxPriceTicks > MaxBookTicks) return $"max price must be 1..{MaxBookTicks} ticks";
        if (MinQuantity < LotSize || MinQuantity % LotSize != 0 || MaxQuantity < MinQuantity || MaxQuantity % LotSize != 0)
            return "min/max quantity must be multiples of the lot with lot ≤ min ≤ max";
        if (MaxPosition < MaxQuantity || MaxPosition % LotSize != 0) return "max position must be a multiple of the lot, at least max quantity";
        // Cash amounts are ticks × lots × cash-per-tick-lot; keep them far from overflow even for a doubled position.
        if ((Int128)MaxPriceTicks * (MaxPosition / LotSize) * CashPerTickLot * 4 > long.MaxValue / 4) return "max price × max position is too large";
        if (TakerFeePpm is < 0 or > 100_000 || Math.Abs((long)MakerFeePpm) > TakerFeePpm) return "fees: 0 ≤ taker ≤ 10%, |maker| ≤ taker";
        if (MaintenanceMarginPpm is <= 0 or > 1_000_000 || InitialMarginPpm < MaintenanceMarginPpm || InitialMarginPpm > 1_000_000)
            return "margins: 0 < maintenance ≤ initial ≤ 100%";
        if (BandPpm is <= 0 or > 1_000_000) return "band must be 1..1,000,000 ppm";
        if (IsOption)
        {
            if (Strike <= 0 || Strike % TickSize != 0 || Strike > MaxPrice) return "strike must be a positive multiple of the tick, at most max price";
            if (Expiry <= 0) return "options need an expiry time";
        }
        else
        {
            if (Strike != 0 || Expiry != 0) return "perpetuals have no strike or expiry";
            if (PremiumCapPpm is < 0 or > 1_000_000 || FundingCapPpm is < 0 or > 1_000_000) return "premium and funding caps must be 0..1,000,000 ppm";
        }
        return null;
    }

    internal static long Pow10(int n)
    {
        long r = 1;
        for (int i = 0; i < n; i++) r *= 10;
        return r;
    }
}

/// <summary>Fixed capacities of the engine's tables (they bound memory and keep state arrays dense).</summary>
public static class Limits
{
    public const int MaxUnderlyings = 16;
    public const int MaxInstruments = 256;
}
