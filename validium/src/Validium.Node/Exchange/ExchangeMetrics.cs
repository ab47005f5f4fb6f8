using System.Diagnostics.Metrics;

namespace Validium.Node.Exchange;

/// <summary>
/// Meter <c>Validium.Node.Exchange</c>: commands answered (tagged accepted/refused and code), the time from submission
/// to answer (journal fsync + apply), the last applied sequence number and the commands waiting for an answer.
/// </summary>
public sealed class ExchangeMetrics : IDisposable
{
    public const string MeterName = "Validium.Node.Exchange";
    private readonly Counter<long> acks;
    private readonly Histogram<double> latency;

    internal ExchangeMetrics(Func<long> lastApplied, Func<int> inFlight)
    {
        Meter = new Meter(MeterName);
        acks = Meter.CreateCounter<long>("validium.node.commands", description: "Commands answered, by outcome and code");
        latency = Meter.CreateHistogram<double>("validium.node.ack.duration", unit: "s", description: "Submission to answer: journal fsync and apply");
        Meter.CreateObservableGauge("validium.node.sequence", lastApplied, description: "Last applied journal sequence number");
        Meter.CreateObservableGauge("validium.node.inflight", inFlight, description: "Commands submitted and not yet answered");
    }

    public Meter Meter { get; }

    internal void Answered(Ack ack, TimeSpan elapsed)
    {
        acks.Add(1, new KeyValuePair<string, object?>("outcome", ack.Accepted ? "accepted" : "refused"), new KeyValuePair<string, object?>("code", ack.Code));
        latency.Record(elapsed.TotalSeconds);
    }

    public void Dispose() => Meter.Dispose();
}
