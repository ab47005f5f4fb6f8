using System.Diagnostics.Metrics;

namespace Validium.DaCommittee.Client;

public enum AvailabilityState
{
    /// <summary>The last attestation met the threshold and no batch is waiting for one.</summary>
    Available,

    /// <summary>Some batch is below threshold: nothing is posted to L1, sequencing goes on within the limit.</summary>
    Degraded,

    /// <summary>As many batches lack availability as the limit allows: sequencing stops too.</summary>
    Halted,
}

/// <summary>
/// What the node reads to decide whether to post and to keep sequencing, and what the dashboard and the
/// <c>validium.dac.availability</c> metric show: batches the committee has not attested, and the last reason.
/// </summary>
public sealed class DacAvailability : IDisposable
{
    private readonly object gate = new();
    private readonly SortedDictionary<ulong, string> unattested = [];
    private readonly Meter meter = new(DacClient.MeterName);
    private ulong? lastAttested;

    /// <param name="maxUnattestedBatches">How many batches may wait for an attestation before sequencing stops.</param>
    public DacAvailability(int maxUnattestedBatches = 16)
    {
        if (maxUnattestedBatches < 1) throw new ArgumentOutOfRangeException(nameof(maxUnattestedBatches), "at least one batch must be allowed to wait");
        MaxUnattestedBatches = maxUnattestedBatches;
        meter.CreateObservableGauge("validium.dac.availability", () => (int)State, description: "0 available, 1 degraded (not posting), 2 halted (not sequencing)");
        meter.CreateObservableGauge("validium.dac.unattested_batches", () => UnattestedBatches, description: "batches below the committee threshold");
    }

    public int MaxUnattestedBatches { get; }

    public AvailabilityState State
    {
        get
        {
            lock (gate)
                return unattested.Count == 0 ? AvailabilityState.Available
                    : unattested.Count >= MaxUnattestedBatches ? AvailabilityState.Halted
                    : AvailabilityState.Degraded;
        }
    }

    /// <summary>False once the unattested limit is reached: the sequencer must stop cutting batches.</summary>
    public bool CanSequence => State != AvailabilityState.Halted;

    public int UnattestedBatches
    {
        get
        {
            lock (gate) return unattested.Count;
        }
    }

    public ulong? LastAttested
    {
        get
        {
            lock (gate) return lastAttested;
        }
    }

    /// <summary>The alert to show while not available (the oldest waiting batch and why), or null.</summary>
    public string? Alert
    {
        get
        {
            lock (gate)
            {
                if (unattested.Count == 0) return null;
                var (batch, reason) = unattested.First();
                return $"data availability below threshold: {unattested.Count} batch(es) unattested, oldest {batch}: {reason}";
            }
        }
    }

    public void RecordFailure(ulong batchNumber, string reason)
    {
        lock (gate) unattested[batchNumber] = reason;
    }

    public void RecordSuccess(ulong batchNumber)
    {
        lock (gate)
        {
            unattested.Remove(batchNumber);
            if (lastAttested is not { } l || batchNumber > l) lastAttested = batchNumber;
        }
    }

    public void Dispose() => meter.Dispose();
}
