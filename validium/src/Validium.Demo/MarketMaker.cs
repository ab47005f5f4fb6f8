using Validium.Exchange;

namespace Validium.Demo;

/// <summary>How a market maker quotes one instrument, in ticks and lots of that instrument.</summary>
public sealed record MarketMakerConfig
{
    /// <summary>Distance from the (skewed) centre to each quote.</summary>
    public long HalfSpreadTicks { get; init; } = 4;

    /// <summary>Size of each quote.</summary>
    public long QuoteLots { get; init; } = 5;

    /// <summary>The mark must move this far from the price quoted around before the quotes are replaced.</summary>
    public long RequoteTicks { get; init; } = 2;

    /// <summary>How far the centre leans against inventory, per lot held: a long maker quotes lower to sell it off.</summary>
    public long SkewTicksPerLot { get; init; } = 1;

    /// <summary>Inventory (lots, either sign) past which the maker hedges back to <see cref="HedgeTargetLots"/>.</summary>
    public long MaxInventoryLots { get; init; } = 20;

    public long HedgeTargetLots { get; init; } = 5;

    public string? Validate()
    {
        if (HalfSpreadTicks < 1) return "half spread must be at least one tick";
        if (QuoteLots < 1) return "quote size must be at least one lot";
        if (RequoteTicks < 1) return "re-quote threshold must be at least one tick";
        if (SkewTicksPerLot < 0) return "skew must not be negative";
        if (MaxInventoryLots < 1 || HedgeTargetLots < 0 || HedgeTargetLots >= MaxInventoryLots) return "need 0 <= hedge target < max inventory";
        return null;
    }
}

/// <summary>A two-sided quote; a side with quantity 0 is not quoted.</summary>
public readonly record struct Quote(long Mark, long BidPrice, long BidQuantity, long AskPrice, long AskQuantity);

/// <summary>An aggressive order that brings inventory back toward the target.</summary>
public readonly record struct Hedge(Side Side, long Quantity, long LimitPrice);

/// <summary>
/// The market maker's decisions, free of I/O so they can be checked one by one: where to quote around the oracle mark,
/// when the mark has moved enough to re-quote, and when inventory is large enough to hedge. Prices stay on the tick grid
/// and inside the instrument's price band, because the engine rejects anything else and a rejected quote is a lost one.
/// </summary>
public static class MarketMaker
{
    public static Quote QuoteAround(InstrumentSpec spec, MarketMakerConfig config, long mark, long inventory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(config);
        if (mark <= 0) throw new ArgumentOutOfRangeException(nameof(mark), mark, "the mark must be positive");
        var inventoryLots = inventory / spec.LotSize;
        var centre = RoundToTick(spec, mark) - inventoryLots * config.SkewTicksPerLot * spec.TickSize;
        var (low, high) = Band(spec, mark);
        var bid = Math.Clamp(centre - config.HalfSpreadTicks * spec.TickSize, low, high);
        var ask = Math.Clamp(centre + config.HalfSpreadTicks * spec.TickSize, low, high);
        if (ask <= bid) ask = bid + spec.TickSize;
        var size = config.QuoteLots * spec.LotSize;
        // At the inventory limit a maker stops adding to the side that would grow it; the other side keeps quoting.
        var limit = config.MaxInventoryLots * spec.LotSize;
        var bidSize = inventory + size > limit ? Math.Max(0, limit - inventory) : size;
        var askSize = -inventory + size > limit ? Math.Max(0, limit + inventory) : size;
        return new Quote(mark, bid, RoundDownToLot(spec, bidSize), ask, RoundDownToLot(spec, askSize));
    }

    /// <summary>True when the mark moved at least <see cref="MarketMakerConfig.RequoteTicks"/> from the one <paramref name="current"/> was made around.</summary>
    public static bool NeedsRequote(InstrumentSpec spec, MarketMakerConfig config, Quote current, long mark)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(config);
        return Math.Abs(mark - current.Mark) >= config.RequoteTicks * spec.TickSize;
    }

    /// <summary>An IOC order back to the hedge target when |inventory| exceeds the limit, priced at the band's edge so it crosses any resting quote.</summary>
    public static Hedge? HedgeFor(InstrumentSpec spec, MarketMakerConfig config, long mark, long inventory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(config);
        if (Math.Abs(inventory) <= config.MaxInventoryLots * spec.LotSize) return null;
        var target = config.HedgeTargetLots * spec.LotSize;
        var (low, high) = Band(spec, mark);
        return inventory > 0
            ? new Hedge(Side.Sell, RoundDownToLot(spec, inventory - target), low)
            : new Hedge(Side.Buy, RoundDownToLot(spec, -inventory - target), high);
    }

    /// <summary>
    /// The delta a maker holds on <paramref name="perpetual"/>'s underlying, as a quantity of that perpetual: its own
    /// position plus each option position times the option's delta (contracts of the underlying per option contract),
    /// rounded to the perpetual's lot. Quoting and hedging the perpetual on this figure instead of its position alone
    /// is delta-hedging: an option fill moves the perpetual's skew and, past the limit, triggers a hedge in it.
    /// </summary>
    public static long DeltaInventory(InstrumentSpec perpetual, long position, IEnumerable<(InstrumentSpec Spec, long Quantity, double Delta)> options)
    {
        ArgumentNullException.ThrowIfNull(perpetual);
        ArgumentNullException.ThrowIfNull(options);
        double contracts = (double)position / Pow10(perpetual.QuantityDecimals);
        foreach (var (spec, quantity, delta) in options)
        {
            if (!spec.IsOption || spec.Underlying != perpetual.Underlying) throw new ArgumentException($"not an option on underlying {perpetual.Underlying}", nameof(options));
            if (double.IsNaN(delta) || Math.Abs(delta) > 1) throw new ArgumentOutOfRangeException(nameof(options), delta, "an option's delta is within [-1, 1]");
            contracts += (double)quantity / Pow10(spec.QuantityDecimals) * delta;
        }
        var lots = Math.Round(contracts * Pow10(perpetual.QuantityDecimals) / perpetual.LotSize);
        return checked((long)lots * perpetual.LotSize);
    }

    /// <summary>The prices the engine accepts for this mark: within mark × (1 ± band), on the tick grid.</summary>
    public static (long Low, long High) Band(InstrumentSpec spec, long mark)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reach = (long)((Int128)mark * spec.BandPpm / 1_000_000);
        var low = Math.Max(spec.TickSize, CeilToTick(spec, mark - reach));
        var high = Math.Min(spec.MaxPrice, (mark + reach) / spec.TickSize * spec.TickSize);
        return (low, high);
    }

    internal static long RoundToTick(InstrumentSpec spec, long price) => (price + spec.TickSize / 2) / spec.TickSize * spec.TickSize;

    private static long CeilToTick(InstrumentSpec spec, long price) => (price + spec.TickSize - 1) / spec.TickSize * spec.TickSize;

    private static long RoundDownToLot(InstrumentSpec spec, long quantity) => quantity / spec.LotSize * spec.LotSize;

    private static double Pow10(int n) => Math.Pow(10, n);
}
