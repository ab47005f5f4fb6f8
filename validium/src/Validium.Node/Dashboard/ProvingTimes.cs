using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Validium.Batcher;

namespace Validium.Node.Dashboard;

/// <summary>
/// Proving time per batch, which batch files do not keep: taken from the pipeline's
/// <c>validium.batcher.prove.duration</c> histogram. A measurement carries no batch number, so it is matched when it
/// is recorded: the pipeline records it on the prover's thread after writing the proven batch and before starting the
/// next proof, and proves in number order, so at that moment the just-proven batch is the highest-numbered proven one.
/// Batches proven before this listener started have no time (the page shows a dash).
/// </summary>
public sealed class ProvingTimes : IDisposable
{
    private const string ProveDuration = "validium.batcher.prove.duration";
    private readonly Func<BatchPipeline?> pipeline;
    private readonly Func<BatchStore?> store;
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<ulong, (double Seconds, long At)> times = new();
    private readonly TimeProvider time;
    private ulong provenThrough;
    private string? lastError;

    public ProvingTimes(Func<BatchPipeline?> pipeline, Func<BatchStore?> store, TimeProvider? time = null)
    {
        this.pipeline = pipeline;
        this.store = store;
        this.time = time ?? TimeProvider.System;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BatcherMetrics.MeterName && instrument.Name == ProveDuration) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>(OnProved);
        listener.Start();
    }

    /// <summary>Why the last measurement could not be matched to a batch, if it could not.</summary>
    public string? LastError => Volatile.Read(ref lastError);

    public (double Seconds, long At)? Get(ulong batch) => times.TryGetValue(batch, out var t) ? t : null;

    private void OnProved(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        // Several pipelines may run in one process (tests, tools): only this node's counts.
        if (pipeline() is not { } p || !ReferenceEquals(instrument.Meter, p.Metrics.Meter) || store() is not { } s) return;
        try
        {
            var numbers = s.List();
            ulong last = numbers.Count == 0 ? 0 : numbers[^1];
            ulong proven;
            if (provenThrough > 0 && provenThrough < last && Status(s, provenThrough + 1) == BatchStatus.Proven)
            {
                proven = provenThrough + 1;
                while (proven < last && Status(s, proven + 1) == BatchStatus.Proven) proven++;
            }
            else
            {
                proven = last;
                while (proven > 0 && Status(s, proven) != BatchStatus.Proven) proven--;
            }
            if (proven == 0) return;
            provenThrough = proven;
            times[proven] = (seconds, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Volatile.Write(ref lastError, $"a proving time could not be matched to its batch: {e.Message}");
        }
    }

    private static BatchStatus Status(BatchStore s, ulong number) => s.Read(number).Status;

    public void Dispose() => listener.Dispose();
}
