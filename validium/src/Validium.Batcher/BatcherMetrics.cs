using System.Diagnostics.Metrics;

namespace Validium.Batcher;

/// <summary>
/// The batcher's instruments under the meter <see cref="MeterName"/> (export them with OpenTelemetry's
/// <c>AddMeter("Validium.Batcher")</c>). Back-pressure shows as the queue depth at its capacity and as waits: each time
/// a cut batch found the prover's queue full, and how long cutting stood still.
/// </summary>
public sealed class BatcherMetrics : IDisposable
{
    public const string MeterName = "Validium.Batcher";

    private readonly Counter<long> cuts;
    private readonly Counter<long> waits;
    private readonly Histogram<double> waitSeconds;
    private readonly Histogram<double> proveSeconds;
    private readonly Histogram<double> cutSeconds;
    private readonly Counter<long> proofs;

    internal BatcherMetrics(Func<int> queueDepth, Func<long> unproven)
    {
        Meter = new Meter(MeterName);
        Meter.CreateObservableGauge("validium.batcher.queue.depth", queueDepth, description: "cut batches waiting for the prover");
        Meter.CreateObservableGauge("validium.batcher.unproven", unproven, description: "batches cut and persisted but not proven yet");
        cuts = Meter.CreateCounter<long>("validium.batcher.batches.cut", description: "batches cut, by reason (size, time, oracle, flush)");
        waits = Meter.CreateCounter<long>("validium.batcher.backpressure.waits", description: "cut batches that found the prover's queue full and waited");
        waitSeconds = Meter.CreateHistogram<double>("validium.batcher.backpressure.wait", "s", "time cutting waited for room in the prover's queue");
        cutSeconds = Meter.CreateHistogram<double>("validium.batcher.cut.duration", "s", "witness inputs built on the state trees, the batch persisted and the state committed");
        proveSeconds = Meter.CreateHistogram<double>("validium.batcher.prove.duration", "s", "witness, proof and self-verification of one batch");
        proofs = Meter.CreateCounter<long>("validium.batcher.proofs", description: "proof attempts by result (released, rejected)");
    }

    /// <summary>This batcher's meter: one per instance, so several batchers in a process are told apart.</summary>
    public Meter Meter { get; }

    internal void Cut(CutReason reason, TimeSpan time)
    {
        cuts.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString().ToLowerInvariant()));
        cutSeconds.Record(time.TotalSeconds);
    }

    internal void Waited(TimeSpan time)
    {
        waits.Add(1);
        waitSeconds.Record(time.TotalSeconds);
    }

    internal void Proved(TimeSpan time)
    {
        proveSeconds.Record(time.TotalSeconds);
        proofs.Add(1, new KeyValuePair<string, object?>("result", "released"));
    }

    internal void Rejected() => proofs.Add(1, new KeyValuePair<string, object?>("result", "rejected"));

    public void Dispose() => Meter.Dispose();
}
