using System.Numerics;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Circuit;

namespace Validium.Circuits.Gadgets;

/// <summary>
/// The engine's per-lot option figures (Risk.cs RefreshRiskFigures, Oracle.cs ExpireOption) at one committed round,
/// computed once per batch: the simple margin requirement of a long and a short lot, maintenance and initial, and
/// the intrinsic value per lot the expiry slots pay. Entries of perpetuals are unset (default).
/// </summary>
internal sealed class OptionMargin
{
    public required Variable[] LongMm, ShortMm, LongIm, ShortIm, IntrinsicLot;

    /// <summary>
    /// CIRCUIT.md, "Options": from the spot slot S (IndexTicks), the strike K and the mark per lot P,
    /// a = ceil(S·f/10^6), b = ceil(S·f/(2·10^6)), otm = max(0, K − S) (call) or max(0, S − K) (put),
    /// short = max(a − otm, b)·cpl, long = min(P, a·cpl); intrinsic = max(0, ±(S − K))·cpl.
    /// </summary>
    public static OptionMargin Compute(ICircuitApi api, CircuitConfig cfg, Variable[] prices, Variable[] spots)
    {
        int n = cfg.InstrumentCount;
        var r = new OptionMargin { LongMm = new Variable[n], ShortMm = new Variable[n], LongIm = new Variable[n], ShortIm = new Variable[n], IntrinsicLot = new Variable[n] };
        for (int j = 0; j < n; j++)
        {
            var ins = cfg.Instruments[j];
            if (!ins.IsOption) continue;
            using var scope = api.Scope($"option {j} per lot");
            var spot = spots[cfg.SpotSlot(j) - n];
            var strike = Fr.FromUInt64((ulong)ins.StrikeTicks);
            var cpl = Fr.FromUInt64((ulong)ins.CashPerTickLot);
            bool call = ins.Kind == InstrumentKind.Call;
            var itm = call ? api.Sub(spot, strike) : api.Sub(strike, spot);
            var otm = Max(api, api.Sub(Fr.Zero, itm), Fr.Zero, 66);
            var intrinsic = Max(api, itm, Fr.Zero, 66);
            r.IntrinsicLot[j] = api.Mul(intrinsic, cpl);
            api.AssertInRange(r.IntrinsicLot[j], 64);
            (r.LongMm[j], r.ShortMm[j]) = PerLot(api, spot, otm, prices[j], cpl, ins.MaintenanceMarginPpm);
            (r.LongIm[j], r.ShortIm[j]) = PerLot(api, spot, otm, prices[j], cpl, ins.InitialMarginPpm);
        }
        return r;
    }

    /// <summary>
    /// 10^6·|size|·(long or short per lot, by the sign): the option's term of the margin requirement, in the scale of
    /// AccountGadget's surplus. 2 constraints.
    /// </summary>
    public Variable Requirement(ICircuitApi api, int instrument, Variable abs, Variable neg, bool initial) =>
        api.Mul(api.Mul(abs, PerLot(api, instrument, neg, initial)), Fr.FromUInt64(1_000_000));

    /// <summary>The long or the short requirement per lot, by <paramref name="neg"/> (the position's sign bit): 1 constraint.</summary>
    public Variable PerLot(ICircuitApi api, int instrument, Variable neg, bool initial)
    {
        var (lng, sht) = initial ? (LongIm[instrument], ShortIm[instrument]) : (LongMm[instrument], ShortMm[instrument]);
        return api.Add(lng, api.Mul(neg, api.Sub(sht, lng)));
    }

    private static (Variable Long, Variable Short) PerLot(ICircuitApi api, Variable spot, Variable otm, Variable price, Fr cpl, int ppm)
    {
        var scaled = api.Mul(spot, Fr.FromUInt64((ulong)ppm));
        var a = CeilDiv(api, scaled, 1_000_000);
        var b = CeilDiv(api, scaled, 2_000_000);
        var shortLot = api.Mul(Max(api, api.Sub(a, otm), b, 66), cpl);
        // Below 2^64 for every round the engine can produce (spec validation bounds max price × cpl), so the margin
        // sums keep AccountGadget's bounds.
        api.AssertInRange(shortLot, 64);
        var aLot = api.Mul(a, cpl);
        var longLot = api.Sub(api.Add(price, aLot), Max(api, price, aLot, 130));
        return (longLot, shortLot);
    }

    /// <summary>ceil(x / d) for 0 ≤ x &lt; 2^84: q·d − x ∈ [0, d), q &lt; 2^64.</summary>
    private static Variable CeilDiv(ICircuitApi api, Variable x, ulong d)
    {
        var q = api.Hint($"ceil /{d}", (i, o) => o[0] = Fr.FromBigInteger((i[0].ToBigInteger() + d - 1) / d), 1, [x])[0];
        api.AssertInRange(q, 64);
        int bits = (int)Math.Ceiling(Math.Log2(d));
        var r = api.Sub(api.Mul(q, Fr.FromUInt64(d)), x);
        api.AssertInRange(r, bits);
        api.AssertLessOrEqual(r, Fr.FromUInt64(d - 1), bits);
        return q;
    }

    /// <summary>
    /// max(a, b) for integers with |a − b| &lt; 2^bits: a hinted choice, and both m − a and m − b must be small and
    /// non-negative, which only the larger one gives. 2·(bits + 1) + 2 constraints.
    /// </summary>
    public static Variable Max(ICircuitApi api, Variable a, Variable b, int bits)
    {
        var c = api.Hint("max", static (i, o) => o[0] = Arith.Decode(i[0]) >= Arith.Decode(i[1]) ? Fr.One : Fr.Zero, 1, [a, b])[0];
        api.AssertBoolean(c);
        var m = api.Select(c, a, b);
        api.AssertInRange(api.Sub(m, a), bits);
        api.AssertInRange(api.Sub(m, b), bits);
        return m;
    }

    /// <summary>Off-circuit: the same figures on integers, for the witness builder's checks (long, short per lot).</summary>
    public static (BigInteger Long, BigInteger Short) PerLotValues(InstrumentParams ins, BigInteger spot, BigInteger price, long ppm)
    {
        var otm = BigInteger.Max(0, ins.Kind == InstrumentKind.Call ? ins.StrikeTicks - spot : spot - ins.StrikeTicks);
        var a = (spot * ppm + 999_999) / 1_000_000;
        var b = (spot * ppm + 1_999_999) / 2_000_000;
        return (BigInteger.Min(price, a * ins.CashPerTickLot), BigInteger.Max(a - otm, b) * ins.CashPerTickLot);
    }

    public static BigInteger IntrinsicLotValue(InstrumentParams ins, BigInteger spot) =>
        BigInteger.Max(0, ins.Kind == InstrumentKind.Call ? spot - ins.StrikeTicks : ins.StrikeTicks - spot) * ins.CashPerTickLot;
}
