namespace Validium.Exchange;

/// <summary>
/// A whole oracle round in one command. Committed one underlying at a time, a round would liquidate after each part,
/// on a mix of old and new marks (BTC's fall applied, ETH's rise not yet); the batch circuit decides liquidations at
/// the whole round, so the node applies each round through this command, which liquidates once, after every part.
/// </summary>
public sealed partial class Engine
{
    private Outcome OracleRound(in Command c)
    {
        if (c.Payload is not RoundMarks r) return new(RejectCode.BadOracleRound);
        var problem = RoundProblem(r, out uint moved);
        if (problem != RejectCode.None) return new(problem);
        // Previous figures once, before any part: each account then moves from the last round's figures to this one's.
        for (int u = 0; u < Limits.MaxUnderlyings; u++)
            if ((moved & (1u << u)) != 0) CapturePrevious(u);
        foreach (var x in r.Indices) ApplyIndex(x.Underlying, x.Price);
        foreach (var o in r.Options) ApplyOptionMark(markets[o.Instrument], o.Mark, o.DeltaPpm, o.GammaPpm);
        for (int u = 0; u < Limits.MaxUnderlyings; u++)
            if ((moved & (1u << u)) != 0) Remark(u);
        SweepExpiredOrders();
        LiquidateUnderwater();
        return Outcome.Ok();
    }

    /// <summary>
    /// Everything checked before anything changes: entries present and strictly ascending, each index positive on an
    /// underlying in range, each option listed, live after this round's indices (one they expire cannot be marked) and
    /// marked within its range as <see cref="OracleOption"/> requires. <paramref name="moved"/>: the underlyings touched.
    /// </summary>
    private RejectCode RoundProblem(RoundMarks r, out uint moved)
    {
        moved = 0;
        if (r.Indices is null || r.Options is null || r.Indices.Length + r.Options.Length == 0) return RejectCode.BadOracleRound;
        int last = -1;
        foreach (var x in r.Indices)
        {
            if ((uint)x.Underlying >= Limits.MaxUnderlyings) return RejectCode.UnknownInstrument;
            if (x.Underlying <= last) return RejectCode.BadOracleRound;
            if (x.Price <= 0) return RejectCode.BadOraclePrice;
            last = x.Underlying;
            moved |= 1u << x.Underlying;
        }
        uint indexed = moved;
        last = -1;
        foreach (var o in r.Options)
        {
            var m = MarketOrNull(o.Instrument);
            if (m is null) return RejectCode.UnknownInstrument;
            if (o.Instrument <= last) return RejectCode.BadOracleRound;
            var s = m.Spec;
            if (!s.IsOption) return RejectCode.NotAnOption;
            if (m.Expired || (s.Expiry <= Time && (indexed & (1u << s.Underlying)) != 0)) return RejectCode.InstrumentExpired;
            if (!ValidOptionMark(m, o.Mark, o.DeltaPpm, o.GammaPpm)) return RejectCode.BadOraclePrice;
            last = o.Instrument;
            moved |= 1u << s.Underlying;
        }
        return RejectCode.None;
    }
}
