using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Sequencer.Journal;
using Validium.Sequencer.Snapshots;

namespace Validium.Sequencer;

public sealed class SequencerOptions
{
    /// <summary>Holds journal/ and snapshots/.</summary>
    public required string Directory { get; init; }

    public long SegmentBytes { get; init; } = 64L << 20;

    public int MaxPayloadBytes { get; init; } = 1 << 20;

    /// <summary>Take a snapshot after this many applied commands; 0 leaves snapshots to <see cref="Sequencer{TEvents}.SnapshotAsync"/>.</summary>
    public long SnapshotEvery { get; init; }

    public int SnapshotsRetained { get; init; } = 2;

    /// <summary>Delete journal segments that the oldest retained snapshot covers.</summary>
    public bool PruneJournal { get; init; } = true;

    /// <summary>Outputs buffered for the consumer before applying waits (and, behind it, the journal and producers).</summary>
    public int OutputCapacity { get; init; } = 1 << 16;
}

/// <summary>
/// Orders commands and applies them: each submission gets the next sequence number and is journaled (group commit);
/// once durable it is applied on the one apply thread, in sequence order, and its result goes to <see cref="Output"/>.
/// Starting restores the newest valid snapshot and replays the journal after it through the same handler, so the
/// state after a restart is the state before it.
/// </summary>
public sealed partial class Sequencer<TEvents> : IAsyncDisposable
{
    private readonly SequencerOptions options;
    private readonly ICommandHandler<TEvents> handler;
    private readonly ILogger logger;
    private readonly SnapshotStore snapshots;
    private readonly Journal.Journal journal;
    private readonly BlockingCollection<ApplyWork> work = new(boundedCapacity: 1024);
    private readonly Channel<SequencedOutput<TEvents>> output;
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource replayed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long replayThrough;
    private long lastApplied;
    private long lastSnapshot;
    private volatile Exception? fault;
    private int disposed;

    private readonly record struct ApplyWork(JournalBatch? Batch, TaskCompletionSource<long>? SnapshotRequest);

    private Sequencer(SequencerOptions options, ICommandHandler<TEvents> handler, ILoggerFactory loggers)
    {
        if (options.OutputCapacity < 1) throw new ArgumentOutOfRangeException(nameof(options), options.OutputCapacity, "OutputCapacity must be at least 1");
        if (options.SnapshotEvery < 0) throw new ArgumentOutOfRangeException(nameof(options), options.SnapshotEvery, "SnapshotEvery must not be negative");
        this.options = options;
        this.handler = handler;
        logger = loggers.CreateLogger("Validium.Sequencer");
        output = Channel.CreateBounded<SequencedOutput<TEvents>>(new BoundedChannelOptions(options.OutputCapacity) { SingleWriter = true });

        snapshots = new SnapshotStore(Path.Combine(options.Directory, "snapshots"), options.SnapshotsRetained, loggers.CreateLogger("Validium.Sequencer.Snapshots"));
        if (snapshots.LoadLatest() is { } snapshot)
        {
            handler.LoadState(snapshot.State);
            lastApplied = lastSnapshot = snapshot.Sequence;
            LogRestored(logger, snapshot.Sequence, snapshot.State.Length);
        }
        journal = Journal.Journal.Open(new JournalOptions
        {
            Directory = Path.Combine(options.Directory, "journal"),
            SegmentBytes = options.SegmentBytes,
            MaxPayloadBytes = options.MaxPayloadBytes,
            MaxBatchBytes = Math.Max(4 << 20, RecordFormat.RecordSize(options.MaxPayloadBytes)),
            FirstSequence = lastApplied + 1,
        }, loggers.CreateLogger("Validium.Sequencer.Journal"), HandOver);
        replayThrough = journal.LastDurableSequence;
        try
        {
            if (replayThrough < lastApplied)
                throw new IOException($"snapshot at sequence {lastApplied} is newer than the journal's last record {replayThrough}: the journal has lost acknowledged records");
            if (journal.FirstSequence > lastApplied + 1)
                throw new IOException($"the journal starts at sequence {journal.FirstSequence} but the newest usable snapshot ends at {lastApplied}: records in between are gone");
        }
        catch
        {
            journal.Dispose();
            throw;
        }
        new Thread(ApplyLoop) { IsBackground = true, Name = "sequencer apply" }.Start();
    }

    /// <summary>Restores state and starts; replaying the journal continues in the background (see <see cref="Replayed"/>).</summary>
    public static Sequencer<TEvents> Start(SequencerOptions options, ICommandHandler<TEvents> handler, ILoggerFactory? loggers = null) =>
        new(options, handler, loggers ?? NullLoggerFactory.Instance);

    /// <summary>Every applied command's result, in sequence order; completes with the error if applying failed.</summary>
    public ChannelReader<SequencedOutput<TEvents>> Output => output.Reader;

    /// <summary>Completes once the journal up to start-up has been re-applied.</summary>
    public Task Replayed => replayed.Task;

    public long LastApplied => Volatile.Read(ref lastApplied);

    public JournalStatistics JournalStatistics => journal.Statistics;

    /// <summary>Journals the command; completes with its sequence number once it is durable. It is applied after that, in order.</summary>
    public Task<long> SubmitAsync(ReadOnlySpan<byte> payload, long timestamp)
    {
        if (fault is { } f) throw new InvalidOperationException("the sequencer stopped after a command failed to apply", f);
        return journal.AppendAsync(payload, timestamp);
    }

    /// <summary>Snapshots the state after every command durable so far has been applied; completes with the snapshot's sequence.</summary>
    public Task<long> SnapshotAsync()
    {
        var request = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (fault is { } f) throw new InvalidOperationException("the sequencer stopped after a command failed to apply", f);
        // Queued behind the batches already durable, so the snapshot is taken in order with them.
        work.Add(new ApplyWork(null, request));
        return request.Task;
    }

    // On the journal's writer thread. Once stopping, durable batches are left to the next start's replay
    // instead of waiting for an apply thread that is gone.
    private void HandOver(JournalBatch batch)
    {
        try
        {
            if (!stop.IsCancellationRequested) work.Add(new ApplyWork(batch, null), stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ApplyLoop()
    {
        try
        {
            foreach (var record in journal.ReadFrom(lastApplied, replayThrough))
            {
                if (stop.IsCancellationRequested) return;
                Apply(record, replayed: true);
            }
            LogReplayed(logger, replayThrough);
            replayed.TrySetResult();
            foreach (var item in work.GetConsumingEnumerable())
            {
                if (item.SnapshotRequest is { } request)
                {
                    try
                    {
                        TakeSnapshot();
                        request.TrySetResult(lastApplied);
                    }
                    catch (IOException ex)
                    {
                        request.TrySetException(ex);
                    }
                    continue;
                }
                foreach (var record in item.Batch!.Records())
                {
                    if (stop.IsCancellationRequested) return;
                    Apply(record, replayed: false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            fault = ex;
            stop.Cancel();
            LogApplyFailed(logger, ex, lastApplied + 1);
            replayed.TrySetException(ex);
            output.Writer.TryComplete(ex);
            return;
        }
        finally
        {
            replayed.TrySetCanceled();
            stopped.TrySetResult();
        }
        output.Writer.TryComplete();
    }

    private void Apply(JournalRecord record, bool replayed)
    {
        if (record.Sequence != lastApplied + 1)
            throw new InvalidOperationException($"command {record.Sequence} arrived to be applied after {lastApplied}");
        var events = handler.Apply(record.Sequence, record.Timestamp, record.Payload.Span);
        Volatile.Write(ref lastApplied, record.Sequence);
        var item = new SequencedOutput<TEvents>(record.Sequence, record.Timestamp, record.Payload, events, replayed);
        if (!output.Writer.TryWrite(item))
            output.Writer.WriteAsync(item, stop.Token).AsTask().GetAwaiter().GetResult();
        if (options.SnapshotEvery > 0 && lastApplied - lastSnapshot >= options.SnapshotEvery)
        {
            try
            {
                TakeSnapshot();
            }
            catch (IOException ex)
            {
                // Nothing is lost (the journal still holds every command); the next interval tries again.
                lastSnapshot = lastApplied;
                LogSnapshotFailed(logger, ex, lastApplied);
            }
        }
    }

    private void TakeSnapshot()
    {
        snapshots.Save(lastApplied, handler.SaveState());
        lastSnapshot = lastApplied;
        if (options.PruneJournal && snapshots.OldestRetainedSequence is { } oldest) journal.PruneThrough(oldest);
    }

    /// <summary>
    /// Stops applying, writes and acknowledges what is queued, and closes the journal. Commands journaled but not
    /// applied yet are applied from the journal at the next start.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await stop.CancelAsync().ConfigureAwait(false);
        journal.Dispose();
        work.CompleteAdding();
        await stopped.Task.ConfigureAwait(false);
        output.Writer.TryComplete();
        stop.Dispose();
        work.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sequencer: restored snapshot at sequence {Sequence} ({Bytes} bytes)")]
    private static partial void LogRestored(ILogger logger, long sequence, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sequencer: replayed the journal through sequence {Sequence}")]
    private static partial void LogReplayed(ILogger logger, long sequence);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Sequencer: applying command {Sequence} failed; no further commands are applied")]
    private static partial void LogApplyFailed(ILogger logger, Exception ex, long sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sequencer: snapshot at sequence {Sequence} failed")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception ex, long sequence);
}
