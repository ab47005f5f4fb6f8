using System.Diagnostics.Metrics;

namespace Validium.DaCommittee;

/// <summary>The member's instruments (meter "Validium.DaCommittee"), exported at /metrics in Prometheus text format.</summary>
public sealed class MemberMetrics
{
    public const string MeterName = "Validium.DaCommittee";

    private readonly Counter<long> submissions;
    private readonly Counter<long> ingestedBytes;
    private readonly Histogram<double> ingestMs;
    private readonly Counter<long> reads;
    private readonly Counter<long> pruned;
    private volatile int isMember = -1;
    private long storedBatches;

    public MemberMetrics(IMeterFactory factory)
    {
        var meter = factory.Create(MeterName);
        submissions = meter.CreateCounter<long>("validium.dac.submissions", description: "batch submissions by result (signed or the refusal code)");
        ingestedBytes = meter.CreateCounter<long>("validium.dac.ingested", "By", "batch bytes stored and signed");
        ingestMs = meter.CreateHistogram<double>("validium.dac.submit.duration", "ms", "submission handling time");
        reads = meter.CreateCounter<long>("validium.dac.reads", description: "batch reads by result (ok, not-found, corrupted)");
        pruned = meter.CreateCounter<long>("validium.dac.pruned", description: "batches deleted by the retention rule");
        meter.CreateObservableGauge("validium.dac.member", () => isMember, description: "1 while this key is in the committee, 0 when removed, -1 before the first check");
        meter.CreateObservableGauge("validium.dac.stored_batches", () => Interlocked.Read(ref storedBatches), description: "batches held");
    }

    public void Submitted(string result, long bytes, TimeSpan elapsed)
    {
        submissions.Add(1, new KeyValuePair<string, object?>("result", result));
        if (bytes > 0) ingestedBytes.Add(bytes);
        ingestMs.Record(elapsed.TotalMilliseconds);
    }

    public void Read(string result) => reads.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Pruned(int count) => pruned.Add(count);

    public void SetMember(bool member) => isMember = member ? 1 : 0;

    public void SetStored(long count) => Interlocked.Exchange(ref storedBatches, count);
}
