using System.Diagnostics;

namespace Validium.Demo;

/// <summary>One command through the API: when its answer came (ms since the log started), how long it took, and whose it was.</summary>
public readonly record struct OrderTiming(double AtMs, double LatencyMs, bool Accepted, int Account, long Nonce);

/// <summary>
/// Every command the bots sent, with its round-trip time (request sent until the node's answer: journaled, fsynced and
/// applied), for the progress display, the chart and the summary's percentiles. Appends from many bots at once.
/// </summary>
public sealed class OrderLog
{
    private readonly List<OrderTiming> entries = [];
    private readonly long start = Stopwatch.GetTimestamp();
    private readonly Lock gate = new();

    public double NowMs => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    public void Add(int account, long nonce, TimeSpan latency, bool accepted)
    {
        var e = new OrderTiming(NowMs, latency.TotalMilliseconds, accepted, account, nonce);
        lock (gate) entries.Add(e);
    }

    public IReadOnlyList<OrderTiming> Snapshot()
    {
        lock (gate) return [.. entries];
    }

    /// <summary>The <paramref name="q"/> quantile (0..1) of <paramref name="values"/>, nearest rank; NaN when empty.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (q is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile is 0..1");
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
