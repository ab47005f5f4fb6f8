using System.Numerics;
using Validium.Circuits.Gadgets;
using Validium.State;

namespace Validium.Circuits.Witness;

/// <summary>
/// The circuit's arithmetic outside it, on integers: how a fill moves a position (Engine.ApplyFill), fees
/// (Engine.Fee), and the simple margin rule. The witness builder uses it to compute the state after each operation
/// and to refuse, with a reason, an operation the circuit would not accept.
/// </summary>
public static class Settlement
{
    public readonly record struct FillResult(long To, long Keep, long Realised);

    public static FillResult ApplyFill(long from, long cost, bool sell, long lots, long pricePerLot)
    {
        long d = sell ? -lots : lots;
        long cash = checked(lots * pricePerLot);
        long costNew = checked(cost + (sell ? -cash : cash));
        long to = checked(from + d);
        long keep;
        if (from == 0 || from > 0 == d > 0) keep = costNew;
        else if (to == 0) keep = 0;
        else if (to > 0 == from > 0) keep = (long)((Int128)cost * to / from);
        else keep = checked(to * pricePerLot);
        return new FillResult(to, keep, checked(costNew - keep));
    }

    /// <summary>
    /// <see cref="ApplyFill"/> on unbounded integers, for forced trades whose results may leave 64 bits (the circuit
    /// then refuses them): the same branches, the shrinking share truncated toward zero as Int128 division.
    /// </summary>
    public static (BigInteger To, BigInteger Keep, BigInteger Realised) ApplyFillWide(BigInteger from, BigInteger cost, bool sell, BigInteger lots, BigInteger pricePerLot)
    {
        var d = sell ? -lots : lots;
        var costNew = cost + d * pricePerLot;
        var to = from + d;
        BigInteger keep;
        if (from.IsZero || from.Sign == d.Sign) keep = costNew;
        else if (to.IsZero) keep = 0;
        else if (to.Sign == from.Sign) keep = BigInteger.Divide(cost * BigInteger.Abs(to), BigInteger.Abs(from));
        else keep = to * pricePerLot;
        return (to, keep, costNew - keep);
    }

    public static bool FitsInt64(BigInteger v) => v >= long.MinValue && v <= long.MaxValue;

    /// <summary>Rounded toward zero: floor for a fee, the same magnitude for a rebate.</summary>
    public static long Fee(long cash, int ppm) =>
        ppm >= 0 ? (long)((Int128)cash * ppm / 1_000_000) : -(long)((Int128)cash * -ppm / 1_000_000);

    /// <summary>
    /// 10^6·(collateral + Σ size·price − notional) ≥ Σ |size|·price·factor (MARGIN.md's simple rule, exact); an option's
    /// term is 10^6·|size|·(its long or short requirement per lot) at the spot in <paramref name="prices"/>' option slots
    /// (the whole round, CIRCUIT.md "Options").
    /// </summary>
    public static bool MeetsMargin(CircuitConfig cfg, IReadOnlyList<ulong> prices, long collateral, IReadOnlyList<PositionLeaf> positions, bool initial)
    {
        BigInteger value = collateral, requirement = 0;
        for (int j = 0; j < positions.Count; j++)
        {
            var p = positions[j];
            var ins = cfg.Instruments[j];
            value += (BigInteger)p.Size * prices[j] - p.OpenNotional;
            var factor = initial ? ins.InitialMarginPpm : ins.MaintenanceMarginPpm;
            if (ins.IsOption)
            {
                var (lng, sht) = OptionMargin.PerLotValues(ins, prices[cfg.SpotSlot(j)], prices[j], factor);
                requirement += BigInteger.Abs(p.Size) * (p.Size < 0 ? sht : lng) * 1_000_000;
            }
            else requirement += BigInteger.Abs(p.Size) * prices[j] * factor;
        }
        return value * 1_000_000 >= requirement;
    }
}
