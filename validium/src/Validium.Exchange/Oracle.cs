namespace Validium.Exchange;

/// <summary>
/// Committed oracle input: index prices (→ perpetual marks, option expiries), option marks and greeks, and funding.
/// Each index or option commit, or a whole round at once (Oracle.Round.cs), re-marks the accounts exposed to the
/// underlyings it moved (Remark.cs) and liquidates those below maintenance: the only trigger for liquidation, so a
/// trade print can never liquidate anyone.
/// </summary>
public sealed partial class Engine
{
    private Outcome OracleIndex(in Command c)
    {
        int u = c.Instrument;
        if ((uint)u >= Limits.MaxUnderlyings) return new(RejectCode.UnknownInstrument);
        if (c.Amount <= 0) return new(RejectCode.BadOraclePrice);
        CapturePrevious(u);
        ApplyIndex(u, c.Amount);
        return Commit(u);
    }

    /// <summary>The underlying's new index: perpetuals re-marked, due options expired; accounts are re-marked by the caller.</summary>
    private void ApplyIndex(int u, long price)
    {
        ref var e = ref Emit(EventKind.OracleIndex);
        e.Instrument = u;
        e.Price = price;
        foreach (var m in groups[u])
        {
            if (m.Expired) continue;
            var s = m.Spec;
            long index = Math.Clamp(price / s.TickSize, 1, s.MaxPriceTicks);
            m.IndexTicks = index;
            if (!s.IsOption) MarkPerpetual(m, index);
            else if (s.Expiry <= Time) ExpireOption(m, index);
        }
    }

    /// <summary>Mark = index + (book mid − index) clamped to ± the premium cap; the clamped premium is sampled for funding.</summary>
    private static void MarkPerpetual(Market m, long index)
    {
        long premium = 0;
        var book = m.Book;
        if (book.BestBid >= 0 && book.BestAsk >= 0)
        {
            long cap = (long)((Int128)index * m.Spec.PremiumCapPpm / Ppm);
            premium = Math.Clamp((book.BestBid + book.BestAsk) / 2 - index, -cap, cap);
        }
        m.MarkTicks = Math.Clamp(index + premium, 1, m.Spec.MaxPriceTicks);
        m.PremiumSumPpm += (long)((Int128)premium * Ppm / index);
        m.PremiumSamples++;
    }

    private Outcome OracleOption(in Command c)
    {
        var m = MarketOrNull(c.Instrument);
        if (m is null) return new(RejectCode.UnknownInstrument);
        if (!m.Spec.IsOption) return new(RejectCode.NotAnOption);
        if (m.Expired) return new(RejectCode.InstrumentExpired);
        if (!ValidOptionMark(m, c.Amount, c.DeltaPpm, c.GammaPpm)) return new(RejectCode.BadOraclePrice);
        CapturePrevious(m.Spec.Underlying);
        ApplyOptionMark(m, c.Amount, c.DeltaPpm, c.GammaPpm);
        return Commit(m.Spec.Underlying);
    }

    private static bool ValidOptionMark(Market m, long mark, long deltaPpm, long gammaPpm) =>
        mark >= 0 && mark <= m.Spec.MaxPrice && deltaPpm is >= -1_000_000 and <= 1_000_000 && gammaPpm is >= 0 and <= 1_000_000;

    private void ApplyOptionMark(Market m, long mark, long deltaPpm, long gammaPpm)
    {
        m.MarkTicks = Math.Max(1, mark / m.Spec.TickSize);
        m.DeltaPpm = deltaPpm;
        m.GammaPpm = gammaPpm;
        ref var e = ref Emit(EventKind.OracleOption);
        e.Instrument = m.Id;
        e.Price = m.MarkTicks * m.Spec.TickSize;
        e.Amount = deltaPpm;
        e.Amount2 = gammaPpm;
    }

    /// <summary>Cash-settles an option at the index: holders get lots × intrinsic value, open cost is realised, orders are cancelled.</summary>
    private void ExpireOption(Market m, long index)
    {
        long strike = m.Spec.Strike / m.Spec.TickSize;
        long intrinsic = Math.Max(0, m.Spec.Kind == InstrumentKind.Call ? index - strike : strike - index);
        int count = 0;
        var nodes = pool.Nodes;
        foreach (var side in (ReadOnlySpan<Side>)[Side.Buy, Side.Sell])
            for (long t = m.Book.Best(side); t >= 0; t = m.Book.NextLevel(side, t))
                for (int n = m.Book.LevelAt(t).Head; n != OrderPool.Nil; n = nodes[n].Next) Scratch(count++) = n;
        RemoveSorted(count, CancelReason.InstrumentExpiry);
        int holders = Holders(m);
        // The positions leave the aggregates at the figures they were booked with, before the mark becomes the payout.
        for (int i = 0; i < holders; i++)
        {
            var a = accounts[scratch[i]]!;
            ref var x = ref a.Exposures[m.Id];
            ApplyPositionRisk(a, m, x.Lots, 0);
            a.CostSum -= x.Cost;
        }
        m.Expired = true;
        m.MarkTicks = intrinsic;
        ref var e = ref Emit(EventKind.Expiry);
        e.Instrument = m.Id;
        e.Price = index * m.Spec.TickSize;
        e.Amount = intrinsic * m.Spec.TickSize;
        for (int i = 0; i < holders; i++)
        {
            var a = accounts[scratch[i]]!;
            ref var x = ref a.Exposures[m.Id];
            long payout = x.Lots * intrinsic * m.Cpl;
            a.Collateral += payout - x.Cost;
            MarkDirty(a);
            ref var s = ref Emit(EventKind.ExpirySettlement);
            s.Account = a.Id;
            s.Instrument = m.Id;
            s.Quantity = x.Lots * m.Spec.LotSize;
            s.Amount = payout;
            x.Lots = x.Cost = 0;
        }
    }

    /// <summary>
    /// One funding period: rate = average sampled premium (ppm of index) clamped to the cap; the cumulative index
    /// grows by rate × mark per lot and every holder settles lots × (index now − index at its last settlement):
    /// longs pay a positive rate, shorts receive it. Exact integers, so payments sum to zero.
    /// </summary>
    private Outcome Funding(in Command c)
    {
        var m = MarketOrNull(c.Instrument);
        if (m is null) return new(RejectCode.UnknownInstrument);
        if (m.Spec.IsOption) return new(RejectCode.NotAPerpetual);
        if (m.MarkTicks == 0) return new(RejectCode.NoMarkPrice);
        long cap = m.Spec.FundingCapPpm;
        long rate = m.PremiumSamples == 0 ? 0 : Math.Clamp(m.PremiumSumPpm / m.PremiumSamples, -cap, cap);
        long step = (long)((Int128)rate * m.MarkTicks * m.Cpl / Ppm);
        m.FundingIndex += step;
        m.PremiumSumPpm = m.PremiumSamples = 0;
        ref var e = ref Emit(EventKind.Funding);
        e.Instrument = m.Id;
        e.Amount = rate;
        e.Amount2 = m.FundingIndex;
        int holders = Holders(m);
        for (int i = 0; i < holders; i++)
        {
            var a = accounts[scratch[i]]!;
            ref var x = ref a.Exposures[m.Id];
            long pay = -x.Lots * (m.FundingIndex - x.FundingIndex);
            x.FundingIndex = m.FundingIndex;
            a.Collateral += pay;
            MarkDirty(a);
            ref var p = ref Emit(EventKind.FundingPayment);
            p.Account = a.Id;
            p.Instrument = m.Id;
            p.Quantity = x.Lots * m.Spec.LotSize;
            p.Amount = pay;
        }
        return Outcome.Ok();
    }
}
