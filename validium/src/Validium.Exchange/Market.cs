namespace Validium.Exchange;

/// <summary>An instrument's book and oracle-derived state; the per-lot risk figures are refreshed at each oracle commit.</summary>
internal sealed class Market
{
    public readonly int Id;
    public readonly InstrumentSpec Spec;
    public readonly OrderBook Book;
    public readonly long Cpl;
    public readonly long MaxLots;

    // Committed state (serialised).
    public long IndexTicks;        // the underlying's oracle index in this instrument's ticks
    public long MarkTicks;         // 0 until the oracle has given what the mark needs
    public long DeltaPpm, GammaPpm; // options: oracle greeks per contract (gamma: delta change in ppm for a 1% move)
    public long FundingIndex;      // perpetuals: cumulative funding, collateral micro-units per lot
    public long PremiumSumPpm;
    public long PremiumSamples;
    public bool Expired;

    // Derived from the committed state (recomputed, never serialised).
    public long BandLo, BandHi;
    public long MmLong, MmShort, ImLong, ImShort; // simple rule, collateral micro-units per lot
    public long ChargeLot;                        // per-lot initial margin an open order reserves
    public long[] ScenLot;                        // value change per lot in each scenario
    public long PrevMarkTicks, PrevChargeLot;     // the figures before the oracle commit under way

    public Market(int id, InstrumentSpec spec, int scenarios)
    {
        Id = id;
        Spec = spec;
        Cpl = spec.CashPerTickLot;
        MaxLots = spec.MaxPosition / spec.LotSize;
        Book = new OrderBook(spec.MaxPriceTicks);
        ScenLot = new long[scenarios];
    }

    public bool Tradable => MarkTicks > 0 && !Expired && (!Spec.IsOption || IndexTicks > 0);
}
