namespace Validium.Exchange;

/// <summary>
/// Margin arithmetic (the rules are written out in MARGIN.md). Everything is integer collateral micro-units; per-lot
/// figures are refreshed at each oracle commit and account aggregates follow position and order changes incrementally.
/// </summary>
public sealed partial class Engine
{
    private const long Ppm = 1_000_000;

    private static long CeilDiv(Int128 a, long b) => Div(a + b - 1, b);

    /// <summary>
    /// a / b truncated, as Int128 division gives it. Int128 division is a slow software routine and nearly every
    /// product here fits a long, where the hardware divides with the same truncation.
    /// </summary>
    private static long Div(Int128 a, long b) => a >= long.MinValue && a <= long.MaxValue ? (long)a / b : (long)(a / b);

    /// <summary>Recomputes a market's band and per-lot risk figures from its committed oracle state.</summary>
    private void RefreshRiskFigures(Market m)
    {
        var s = m.Spec;
        long mark = m.MarkTicks, cpl = m.Cpl;
        m.BandLo = Math.Max(1, mark - (long)((Int128)mark * s.BandPpm / Ppm));
        m.BandHi = Math.Min(s.MaxPriceTicks, mark + (long)((Int128)mark * s.BandPpm / Ppm));
        long maxAbs = 0;
        if (!s.IsOption)
        {
            m.MmLong = m.MmShort = CeilDiv((Int128)mark * cpl * s.MaintenanceMarginPpm, Ppm);
            m.ImLong = m.ImShort = CeilDiv((Int128)mark * cpl * s.InitialMarginPpm, Ppm);
            for (int k = 0; k < shocks.Length; k++)
            {
                m.ScenLot[k] = (long)((Int128)mark * shocks[k] / Ppm) * cpl;
                maxAbs = Math.Max(maxAbs, Math.Abs(m.ScenLot[k]));
            }
        }
        else
        {
            long spot = m.IndexTicks, strike = s.Strike / s.TickSize;
            bool call = s.Kind == InstrumentKind.Call;
            long otm = Math.Max(0, call ? strike - spot : spot - strike);
            m.MmShort = ShortOptionRisk(spot, otm, s.MaintenanceMarginPpm) * cpl;
            m.ImShort = ShortOptionRisk(spot, otm, s.InitialMarginPpm) * cpl;
            m.MmLong = Math.Min(mark, CeilDiv((Int128)spot * s.MaintenanceMarginPpm, Ppm)) * cpl;
            m.ImLong = Math.Min(mark, CeilDiv((Int128)spot * s.InitialMarginPpm, Ppm)) * cpl;
            for (int k = 0; k < shocks.Length; k++)
            {
                long move = (long)((Int128)spot * shocks[k] / Ppm);
                long shifted = spot + move;
                long intrinsic = Math.Max(0, call ? shifted - strike : strike - shifted);
                Int128 taylor = mark + (Int128)m.DeltaPpm * move / Ppm + (Int128)m.GammaPpm * shocks[k] * move / 20_000_000_000L;
                long value = Math.Min(s.MaxPriceTicks, (long)Int128.Max(intrinsic, Int128.Max(taylor, 0)));
                m.ScenLot[k] = (value - mark) * cpl;
                maxAbs = Math.Max(maxAbs, Math.Abs(m.ScenLot[k]));
            }
        }
        long scenCharge = CeilDiv((Int128)maxAbs * Config.ScenarioInitialMultiplierPpm, Ppm);
        m.ChargeLot = Math.Max(Math.Max(m.ImLong, m.ImShort), scenCharge);
        m.Book.Reserve(m.BandLo, m.BandHi);
    }

    private static long ShortOptionRisk(long spot, long otm, long ppm) =>
        Math.Max(CeilDiv((Int128)spot * ppm, Ppm) - otm, CeilDiv((Int128)spot * ppm, 2 * Ppm));

    /// <summary>
    /// What an open order reserves beyond its per-lot charge: the loss it would book if it filled at its own price
    /// against the mark, plus the largest fee it could pay (rounded up; fees are charged rounded down).
    /// </summary>
    private static long OrderExtra(Market m, Side side, long priceTicks, long lots)
    {
        if (lots == 0) return 0;
        long adverse = Math.Max(0, side == Side.Buy ? priceTicks - m.MarkTicks : m.MarkTicks - priceTicks);
        long fee = CeilDiv((Int128)priceTicks * lots * m.Cpl * Math.Max(0, m.Spec.TakerFeePpm), Ppm);
        return adverse * lots * m.Cpl + fee;
    }

    private static long Fee(long cash, int ppm) =>
        ppm >= 0 ? Div((Int128)cash * ppm, Ppm) : -Div((Int128)cash * -ppm, Ppm);

    private static long Simple(long lots, long perLong, long perShort) => lots >= 0 ? lots * perLong : -lots * perShort;

    /// <summary>Moves an account's aggregates from position <paramref name="from"/> to <paramref name="to"/> lots in one market.</summary>
    private void ApplyPositionRisk(Account a, Market m, long from, long to)
    {
        long d = to - from;
        a.ValueSum += d * m.MarkTicks * m.Cpl;
        int u = m.Spec.Underlying;
        a.SimpleMm[u] += Simple(to, m.MmLong, m.MmShort) - Simple(from, m.MmLong, m.MmShort);
        a.SimpleIm[u] += Simple(to, m.ImLong, m.ImShort) - Simple(from, m.ImLong, m.ImShort);
        var scen = a.Scen.AsSpan(u * shocks.Length, shocks.Length);
        for (int k = 0; k < scen.Length; k++) scen[k] += d * m.ScenLot[k];
        UpdateUnderlying(a, u);
    }

    /// <summary>Maintenance = max(simple rule, worst scenario loss); initial = max(simple initial, loss × multiplier).</summary>
    private void UpdateUnderlying(Account a, int u)
    {
        var scen = a.Scen.AsSpan(u * shocks.Length, shocks.Length);
        long worst = 0;
        for (int k = 0; k < scen.Length; k++) worst = Math.Max(worst, -scen[k]);
        long mm = Math.Max(a.SimpleMm[u], worst);
        long im = Math.Max(a.SimpleIm[u], CeilDiv((Int128)worst * Config.ScenarioInitialMultiplierPpm, Ppm));
        a.Mm += mm - a.MmU[u];
        a.Im += im - a.ImU[u];
        a.MmU[u] = mm;
        a.ImU[u] = im;
    }

    /// <summary>Rebuilds every aggregate of an account from its committed state and the markets' current figures (restore, and the tests' cross-check of the incremental updates).</summary>
    private void RecomputeAccount(Account a)
    {
        a.CostSum = a.ValueSum = a.Mm = a.Im = a.OrderCharge = 0;
        Array.Clear(a.SimpleMm);
        Array.Clear(a.SimpleIm);
        Array.Clear(a.MmU);
        Array.Clear(a.ImU);
        Array.Clear(a.Scen);
        for (int i = 0; i < a.Exposures.Length && i < markets.Count; i++)
        {
            ref var x = ref a.Exposures[i];
            x.Extra = 0;
            a.CostSum += x.Cost;
            if (x.Lots != 0) ApplyPositionRisk(a, markets[i], 0, x.Lots);
            a.OrderCharge += markets[i].ChargeLot * (x.BuyLots + x.SellLots);
        }
        for (int u = 0; u < Limits.MaxUnderlyings; u++) UpdateUnderlying(a, u);
        var nodes = pool.Nodes;
        for (int n = a.OrderHead; n != OrderPool.Nil; n = nodes[n].AccNext)
        {
            ref var o = ref nodes[n];
            o.Extra = OrderExtra(markets[o.Instrument], o.Side, o.PriceTicks, o.Lots);
            a.Exposures[o.Instrument].Extra += o.Extra;
            a.OrderCharge += o.Extra;
        }
    }

    private void RecomputeAll()
    {
        foreach (var a in accounts)
            if (a is not null) RecomputeAccount(a);
    }
}
