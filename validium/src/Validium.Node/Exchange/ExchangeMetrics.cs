using System.Diagnostics.Metrics;

namespace Validium.Node.Exchange;

/// <summary>
/// Meter <c>Validium.Node.Exchange</c>: commands answered (tagged accepted/refused and code), the time from submission
/// to answer (journal fsync + apply), the last applied sequence number, the commands waiting for an answer, and the
/// perpetuals whose due funding tick is held back because their holders do not fit the circuit's settlement slots.
/// </summary>
public sealed class ExchangeMetrics : IDisposable
{
    public const string MeterName = "Validium.Node.Exchange";
    private readonly Counter<long> acks;
    private readonly Histogram<double> latency;

    internal ExchangeMetrics(Func<long> lastApplied, Func<int> inFlight, Func<int> heldFundingTicks)
    {
        Meter = new Meter(MeterName);
        acks = Meter.CreateCounter<long>("validium.node.commands", description: "Commands answered, by outcome and code");
        // Answers take tens of microseconds to milliseconds (one fsync); the default buckets start at 5 s.
        latency = Meter.CreateHistogram("validium.node.ack.duration", unit: "s", description: "Submission to answer: journal fsync and apply",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        Meter.CreateObservableGauge("validium.node.sequence", lastApplied, description: "Last applied journal sequence number");
        Meter.CreateObservableGauge("validium.node.inflight", inFlight, description: "Commands submitted and not yet answered");
        Meter.CreateObservableGauge("validium.node.funding.held", heldFundingTicks,
            description: "Perpetuals whose due funding tick waits because they have more holders than the batch circuit's settlement slots");
    }

    public Meter Meter { get; }

    internal void Answered(Ack ack, TimeSpan elapsed)
    {
        acks.Add(1, new KeyValuePair<string, object?>("outcome", ack.Accepted ? "accepted" : "refused"), new KeyValuePair<string, object?>("code", ack.Code));
        latency.Record(elapsed.TotalSeconds);
    }

    public void Dispose() => Meter.Dispose();
}
