using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Validium.Batcher;
using Validium.Settlement;

namespace Validium.Demo;

/// <summary>
/// What the in-process node did during the run, read without asking it to do anything: proof times from the
/// batcher's <c>validium.batcher.prove.duration</c> histogram, each batch's operations from its file (read once, when
/// proven), and the poster's per-batch L1 status with the moment it was confirmed.
/// </summary>
internal sealed class NodeWatch : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<double> proofSeconds = new();
    private readonly ConcurrentDictionary<ulong, BatchRecord> proven = new();
    private readonly ConcurrentDictionary<ulong, double> confirmedAt = new();
    private readonly BatchStore store;
    private readonly BatchPoster poster;
    private readonly OrderLog clock;
    private readonly Meter batcherMeter;

    /// <summary>Batches the store held before this run: the run's figures are about the ones after.</summary>
    public ulong FirstBatch { get; }

    public NodeWatch(BatchStore store, BatchPoster poster, Meter batcherMeter, OrderLog clock)
    {
        this.store = store;
        this.poster = poster;
        this.clock = clock;
        this.batcherMeter = batcherMeter;
        var numbers = store.List();
        FirstBatch = (numbers.Count == 0 ? 0 : numbers[^1]) + 1;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, this.batcherMeter) && instrument.Name == "validium.batcher.prove.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => proofSeconds.Enqueue(seconds));
        listener.Start();
        poster.StatusChanged += OnStatus;
    }

    private void OnStatus(BatchPostStatus s)
    {
        if (s.Stage == PostStage.Confirmed) confirmedAt.TryAdd(s.Number, clock.NowMs);
    }

    public IReadOnlyList<double> ProofSeconds => [.. proofSeconds];

    /// <summary>The run's batches: numbers cut so far, from the store's listing.</summary>
    public IReadOnlyList<ulong> Cut() => [.. store.List().Where(n => n >= FirstBatch)];

    /// <summary>The run's proven batches, each read from its file once.</summary>
    public IReadOnlyList<BatchRecord> Proven()
    {
        foreach (var n in Cut())
        {
            if (proven.ContainsKey(n)) continue;
            var record = store.Read(n);
            if (record.Status == BatchStatus.Proven) proven[n] = record;
        }
        return [.. proven.Values.OrderBy(r => r.Number)];
    }

    public ulong LastConfirmed => poster.LastConfirmed;

    public int OnL1 => (int)(poster.LastConfirmed >= FirstBatch ? poster.LastConfirmed - FirstBatch + 1 : 0);

    public BatchPostStatus? Status(ulong number) => poster.Status(number);

    /// <summary>When the poster saw batch <paramref name="number"/> confirmed, on the order log's clock.</summary>
    public double? ConfirmedAt(ulong number) => confirmedAt.TryGetValue(number, out var t) ? t : null;

    public void Dispose()
    {
        poster.StatusChanged -= OnStatus;
        listener.Dispose();
    }
}
