using Validium.Exchange;

namespace Validium.DevNet;

/// <summary>
/// The devnet's option prices: a Bachelier (normal) model, chosen because it needs nothing but the index, the strike
/// and the time left, and its value is never below the intrinsic. With σ = index × <see cref="VolatilityPpm"/> × √years
/// to expiry and x = index − strike for a call (strike − index for a put), the value per contract is
/// x·N(x/σ) + σ·φ(x/σ) and the delta N(x/σ) for a call, −N(x/σ) for a put; at or after expiry (σ = 0) the value is the
/// intrinsic max(0, x). The oracle publishes the value rounded to the option's tick and kept within [1 tick, MaxPrice]
/// (the circuit prices a lot in whole ticks, and a price of 0 is refused on L1); market makers quote around that
/// mark and hedge with <see cref="Delta"/> of the same model.
/// </summary>
public static class OptionModel
{
    /// <summary>Annual volatility of the underlying, in parts per million (50 %).</summary>
    public const int VolatilityPpm = 500_000;

    private const double MsPerYear = 365.25 * 24 * 3600 * 1000;

    /// <summary>The mark (raw price units, whole ticks, 1 tick..MaxPrice) of <paramref name="spec"/> at index <paramref name="index"/> and time <paramref name="nowMs"/>.</summary>
    public static long Mark(InstrumentSpec spec, long index, long nowMs)
    {
        var (x, sigma) = Inputs(spec, index, nowMs);
        double value = sigma <= 0 ? Math.Max(0, x) : x * Cdf(x / sigma) + sigma * Pdf(x / sigma);
        long ticks = (long)Math.Round(value / spec.TickSize);
        return Math.Clamp(ticks, 1, spec.MaxPriceTicks) * spec.TickSize;
    }

    /// <summary>Contracts of the underlying one long contract of <paramref name="spec"/> is worth: 0..1 for a call, −1..0 for a put.</summary>
    public static double Delta(InstrumentSpec spec, long index, long nowMs)
    {
        var (x, sigma) = Inputs(spec, index, nowMs);
        double n = sigma <= 0 ? (x > 0 ? 1 : 0) : Cdf(x / sigma);
        return spec.Kind == InstrumentKind.Call ? n : -n;
    }

    /// <summary>
    /// The spot slot the node and the circuit expect for <paramref name="spec"/>: the underlying's index in the option's
    /// ticks, clamped to [1, MaxPriceTicks] (the engine's IndexTicks, Oracle.cs).
    /// </summary>
    public static long SpotTicks(InstrumentSpec spec, long index) => Math.Clamp(index / spec.TickSize, 1, spec.MaxPriceTicks);

    private static (double X, double Sigma) Inputs(InstrumentSpec spec, long index, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.IsOption) throw new ArgumentException("not an option", nameof(spec));
        if (index <= 0) throw new ArgumentOutOfRangeException(nameof(index), index, "the index must be positive");
        double x = spec.Kind == InstrumentKind.Call ? (double)index - spec.Strike : (double)spec.Strike - index;
        double years = Math.Max(0, spec.Expiry - nowMs) / MsPerYear;
        return (x, index * (VolatilityPpm / 1e6) * Math.Sqrt(years));
    }

    private static double Pdf(double d) => Math.Exp(-d * d / 2) / Math.Sqrt(2 * Math.PI);

    /// <summary>The standard normal CDF through Abramowitz–Stegun 7.1.26 (error below 1.5·10⁻⁷, far below a tick).</summary>
    private static double Cdf(double d)
    {
        double z = Math.Abs(d) / Math.Sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return d >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
