using Validium.Crypto;

namespace Validium.Exchange;

/// <summary>An account's holding in one instrument and what its open orders there reserve.</summary>
internal struct Exposure
{
    public long Lots;          // signed position
    public long Cost;          // signed cash paid for the open position (collateral micro-units)
    public long FundingIndex;  // perpetuals: the market's cumulative funding at the last settlement
    public long BuyLots, SellLots; // open orders
    public long Extra;         // Σ adverse-price and fee reserve of open orders
}

/// <summary>
/// A cross-margined account. The committed fields are the key, nonce, collateral and exposures' position/cost/funding;
/// the aggregates below them are kept in step incrementally so a margin check is O(1) per trade.
/// </summary>
internal sealed class Account
{
    public readonly int Id;
    public readonly BabyJubjubPoint Key;
    public long Nonce;
    public long Collateral;
    public Exposure[] Exposures;

    // Derived aggregates.
    public long CostSum;   // Σ Cost
    public long ValueSum;  // Σ Lots × mark × cash-per-tick-lot
    public long Mm, Im;    // Σ over underlyings
    public long OrderCharge;
    public readonly long[] SimpleMm = new long[Limits.MaxUnderlyings];
    public readonly long[] SimpleIm = new long[Limits.MaxUnderlyings];
    public readonly long[] MmU = new long[Limits.MaxUnderlyings];
    public readonly long[] ImU = new long[Limits.MaxUnderlyings];
    public readonly long[] Scen;  // [underlying × scenario]: Σ Lots × value change per lot
    public uint Underlyings;  // bit u: listed in the engine's members of underlying u
    public int OrderHead = OrderPool.Nil;
    public int OrderCount;

    public Account(int id, BabyJubjubPoint key, int instruments, int scenarios)
    {
        Id = id;
        Key = key;
        Exposures = new Exposure[Math.Max(instruments, 4)];
        Scen = new long[Limits.MaxUnderlyings * scenarios];
    }

    public ref Exposure Exp(int instrument)
    {
        if (instrument >= Exposures.Length) Array.Resize(ref Exposures, Math.Max(instrument + 1, Exposures.Length * 2));
        return ref Exposures[instrument];
    }

    /// <summary>Collateral plus unrealised PnL (perpetuals) plus option marks.</summary>
    public long TotalValue => Collateral - CostSum + ValueSum;

    public long FreeCollateral => TotalValue - Im - OrderCharge;
}
