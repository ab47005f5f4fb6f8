using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Validium.Sequencer.Journal;

/// <summary>
/// Write-ahead log of opaque command payloads. Appends from any number of threads get gap-free sequence numbers in
/// append order; one writer thread writes whatever is queued as one batch, fsyncs once, and only then completes the
/// appends' tasks, so an acknowledged record is on disk. Opening recovers: a torn tail is cut (and logged), damage
/// under acknowledged records is a <see cref="JournalCorruptException"/>.
/// </summary>
public sealed partial class Journal : IDisposable
{
    private const int InitialBatchCapacity = 16 << 10;
    private const string LockFileName = "journal.lock";

    private readonly JournalOptions options;
    private readonly string dir;
    private readonly ILogger logger;
    private readonly Action<JournalBatch>? onDurable;
    private readonly Thread writer;
    private readonly SafeFileHandle lockFile;

    // Producers and the writer meet here: the batch being filled, the next sequence number, the writer's sleep.
    private readonly object gate = new();
    private JournalBatch filling = new(InitialBatchCapacity);
    private long nextSequence;
    private bool writerWaiting;
    private bool stopping;
    private Exception? failure;
    private TaskCompletionSource? roomFreed;

    // The writer owns these; readers of the segment list take segmentsLock.
    private readonly Lock segmentsLock = new();
    private readonly List<SegmentFile> segments;
    private SafeFileHandle active;
    private long activeLength;
    private JournalBatch? spare;

    private long durableSequence;
    private long statRecords, statBatches, statFsyncs, statBytes;

    private Journal(JournalOptions options, ILogger logger, Action<JournalBatch>? onDurable, SafeFileHandle lockFile, List<SegmentFile> segments,
        SafeFileHandle active, long activeLength, long lastSequence)
    {
        this.lockFile = lockFile;
        this.options = options;
        dir = Path.GetFullPath(options.Directory);
        this.logger = logger;
        this.onDurable = onDurable;
        this.segments = segments;
        this.active = active;
        this.activeLength = activeLength;
        nextSequence = lastSequence + 1;
        durableSequence = lastSequence;
        writer = new Thread(WriterLoop) { IsBackground = true, Name = "journal writer" };
        writer.Start();
    }

    /// <summary>
    /// Opens (or creates) the journal in <see cref="JournalOptions.Directory"/>, cutting a torn tail.
    /// <paramref name="onDurable"/>, if given, sees every batch after its fsync and before its appends complete, in
    /// sequence order, on the writer thread: it should hand the batch on rather than work on it there.
    /// </summary>
    public static Journal Open(JournalOptions options, ILogger? logger = null, Action<JournalBatch>? onDurable = null)
    {
        options.Validate();
        logger ??= NullLogger.Instance;
        var dir = Path.GetFullPath(options.Directory);
        System.IO.Directory.CreateDirectory(dir);
        var lockFile = Lock(dir);
        try
        {
            return Recover(options, logger, onDurable, dir, lockFile);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Two writers on one journal would interleave records, so the directory is locked for as long as it is open
    /// (an exclusive flock on Unix, which the kernel drops when the process dies, kill -9 included).
    /// </summary>
    private static SafeFileHandle Lock(string dir)
    {
        var path = Path.Combine(dir, LockFileName);
        try
        {
            return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"journal {dir} is already open (another process or instance holds {path})", ex);
        }
    }

    private static Journal Recover(JournalOptions options, ILogger logger, Action<JournalBatch>? onDurable, string dir, SafeFileHandle lockFile)
    {
        var segments = SegmentFiles.List(dir);
        bool mayBeTorn = true;
        while (segments.Count > 0)
        {
            var last = segments[^1];
            var scan = SegmentScanner.Scan(SegmentFiles.Load(last.Path), last.Path, last.FirstSequence, isLast: mayBeTorn);
            if (scan.Damage is { Kind: DamageKind.Corrupt } corrupt) throw new JournalCorruptException(corrupt);
            if (scan.Damage is { } torn && scan.ValidLength == 0)
            {
                // A segment whose header never reached the disk: it was being created when the process died.
                LogTornSegment(logger, last.Path, torn.Reason, scan.FileLength);
                File.Delete(last.Path);
                Durability.FlushDirectory(dir);
                segments.RemoveAt(segments.Count - 1);
                // The segment before was closed only after its last batch was fsynced: any damage there is real.
                mayBeTorn = false;
                continue;
            }
            if (scan.Damage is { } tail)
                LogTornTail(logger, last.Path, tail.Offset, tail.Reason, scan.FileLength - scan.ValidLength, scan.LastSequence);
            var handle = File.OpenHandle(last.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            if (scan.Damage is not null)
            {
                RandomAccess.SetLength(handle, scan.ValidLength);
                RandomAccess.FlushToDisk(handle);
            }
            return new Journal(options, logger, onDurable, lockFile, segments, handle, scan.ValidLength, scan.LastSequence);
        }
        var first = CreateSegment(dir, options.FirstSequence);
        segments.Add(first.File);
        return new Journal(options, logger, onDurable, lockFile, segments, first.Handle, RecordFormat.SegmentHeaderSize, options.FirstSequence - 1);
    }

    public string Directory => dir;

    /// <summary>The last sequence number on disk (acknowledged, or about to be).</summary>
    public long LastDurableSequence => Volatile.Read(ref durableSequence);

    /// <summary>The sequence of the oldest record still kept (pruning moves it forward).</summary>
    public long FirstSequence
    {
        get { lock (segmentsLock) return segments[0].FirstSequence; }
    }

    public JournalStatistics Statistics => new(Interlocked.Read(ref statRecords), Interlocked.Read(ref statBatches),
        Interlocked.Read(ref statFsyncs), Interlocked.Read(ref statBytes), LastDurableSequence);

    /// <summary>
    /// Queues <paramref name="payload"/> (copied now) under the next sequence number. The task completes with that
    /// number once the record is fsynced; it faults with <see cref="JournalWriteException"/> if the write fails.
    /// </summary>
    public Task<long> AppendAsync(ReadOnlySpan<byte> payload, long timestamp)
    {
        if (payload.Length > options.MaxPayloadBytes)
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds the journal's limit of {options.MaxPayloadBytes}", nameof(payload));
        lock (gate)
        {
            if (TryEnqueue(payload, timestamp) is { } done) return done;
        }
        return AppendWhenRoomAsync(payload.ToArray(), timestamp);
    }

    private async Task<long> AppendWhenRoomAsync(byte[] payload, long timestamp)
    {
        while (true)
        {
            Task? room = null;
            Task<long>? done;
            lock (gate)
            {
                done = TryEnqueue(payload, timestamp);
                if (done is null) room = (roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            if (done is not null) return await done.ConfigureAwait(false);
            await room!.ConfigureAwait(false);
        }
    }

    // Under gate. Null when the batch being filled is full.
    private Task<long>? TryEnqueue(ReadOnlySpan<byte> payload, long timestamp)
    {
        ObjectDisposedException.ThrowIf(stopping, this);
        if (failure is not null) throw new JournalWriteException("the journal failed earlier and takes no more appends", failure);
        if (filling.Count > 0 && filling.Length + RecordFormat.RecordSize(payload.Length) > options.MaxBatchBytes) return null;
        long sequence = nextSequence++;
        filling.Add(sequence, timestamp, payload);
        if (writerWaiting) Monitor.Pulse(gate);
        return Acknowledge(sequence, filling.Done.Task);
    }

    private static async Task<long> Acknowledge(long sequence, Task durable)
    {
        await durable.ConfigureAwait(false);
        return sequence;
    }

    /// <summary>
    /// The durable records after <paramref name="afterSequence"/> up to <paramref name="throughSequence"/>, checked
    /// as they are read. Records appended after the call started are not included.
    /// </summary>
    public IEnumerable<JournalRecord> ReadFrom(long afterSequence, long throughSequence = long.MaxValue)
    {
        SegmentFile[] list;
        long activeLimit;
        lock (segmentsLock)
        {
            list = [.. segments];
            activeLimit = Volatile.Read(ref activeLength);
        }
        if (afterSequence + 1 < list[0].FirstSequence)
            throw new InvalidOperationException($"records {afterSequence + 1}..{list[0].FirstSequence - 1} are no longer in the journal (pruned behind a snapshot)");
        return Read(list, activeLimit, afterSequence, throughSequence);
    }

    private static IEnumerable<JournalRecord> Read(SegmentFile[] list, long activeLimit, long after, long through)
    {
        int start = Array.FindLastIndex(list, s => s.FirstSequence <= after + 1);
        long expected = list[start].FirstSequence;
        for (int i = start; i < list.Length && expected <= through; i++)
        {
            var data = SegmentFiles.Load(list[i].Path, i == list.Length - 1 ? activeLimit : long.MaxValue);
            var scan = SegmentScanner.Scan(data, list[i].Path, list[i].FirstSequence, isLast: false);
            if (scan.Damage is not null) throw new JournalCorruptException(scan.Damage);
            if (scan.FirstSequence != expected)
                throw new JournalCorruptException(new JournalDamage(DamageKind.Corrupt, list[i].Path, 0,
                    $"segment starts at sequence {scan.FirstSequence} but the one before ends at {expected - 1}"));
            foreach (var record in SegmentScanner.Records(data, scan.ValidLength))
            {
                if (record.Sequence > through) yield break;
                if (record.Sequence > after) yield return record;
            }
            expected = scan.LastSequence + 1;
        }
    }

    /// <summary>
    /// Deletes closed segments whose records all lie at or before <paramref name="sequence"/> (a snapshot covers them).
    /// The segment being written is always kept. Returns how many were deleted.
    /// </summary>
    public int PruneThrough(long sequence)
    {
        var deleted = new List<SegmentFile>();
        lock (segmentsLock)
        {
            while (segments.Count > 1 && segments[1].FirstSequence - 1 <= sequence)
            {
                deleted.Add(segments[0]);
                segments.RemoveAt(0);
            }
        }
        foreach (var s in deleted) File.Delete(s.Path);
        if (deleted.Count > 0)
        {
            Durability.FlushDirectory(Directory);
            LogPruned(logger, deleted.Count, sequence);
        }
        return deleted.Count;
    }

    /// <summary>Writes what is queued, stops the writer and closes the files; appends after this throw.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (stopping) return;
            stopping = true;
            if (writerWaiting) Monitor.Pulse(gate);
        }
        writer.Join();
        active.Dispose();
        lockFile.Dispose();
    }

    private void WriterLoop()
    {
        while (true)
        {
            JournalBatch batch;
            lock (gate)
            {
                while (filling.Count == 0 && !stopping)
                {
                    writerWaiting = true;
                    Monitor.Wait(gate);
                    writerWaiting = false;
                }
                if (filling.Count == 0) return;
                batch = filling;
                // A batch handed to onDurable keeps its buffer (the records point into it); otherwise buffers alternate.
                filling = spare ?? new JournalBatch(Math.Max(InitialBatchCapacity, batch.Length));
                spare = null;
                roomFreed?.TrySetResult();
                roomFreed = null;
            }
            try
            {
                Commit(batch);
                onDurable?.Invoke(batch);
            }
            catch (Exception ex)
            {
                Fail(batch, ex);
                return;
            }
            batch.Done.TrySetResult();
            if (onDurable is null)
            {
                batch.Reset();
                spare = batch;
            }
        }
    }

    private void Commit(JournalBatch batch)
    {
        if (activeLength > RecordFormat.SegmentHeaderSize && activeLength + batch.Length > options.SegmentBytes)
            Rollover(batch.FirstSequence);
        RandomAccess.Write(active, batch.Encoded, activeLength);
        RandomAccess.FlushToDisk(active);
        Volatile.Write(ref activeLength, activeLength + batch.Length);
        Volatile.Write(ref durableSequence, batch.LastSequence);
        Interlocked.Add(ref statRecords, batch.Count);
        Interlocked.Increment(ref statBatches);
        Interlocked.Increment(ref statFsyncs);
        Interlocked.Add(ref statBytes, batch.Length);
    }

    private void Rollover(long firstSequence)
    {
        var next = CreateSegment(dir, firstSequence);
        Interlocked.Add(ref statFsyncs, 2);
        var old = active;
        lock (segmentsLock)
        {
            segments.Add(next.File);
            active = next.Handle;
            Volatile.Write(ref activeLength, RecordFormat.SegmentHeaderSize);
        }
        old.Dispose();
        LogRollover(logger, next.File.Path);
    }

    private static (SegmentFile File, SafeFileHandle Handle) CreateSegment(string dir, long firstSequence)
    {
        var path = Path.Combine(dir, RecordFormat.SegmentFileName(firstSequence));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            Span<byte> header = stackalloc byte[RecordFormat.SegmentHeaderSize];
            RecordFormat.WriteSegmentHeader(header, firstSequence);
            RandomAccess.Write(handle, header, 0);
            RandomAccess.FlushToDisk(handle);
            Durability.FlushDirectory(dir);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return (new SegmentFile(firstSequence, path), handle);
    }

    private void Fail(JournalBatch batch, Exception ex)
    {
        var error = new JournalWriteException($"journal write to {Directory} failed: {ex.Message}", ex);
        LogWriteFailed(logger, ex, Directory);
        JournalBatch queued;
        lock (gate)
        {
            failure = error;
            queued = filling;
            roomFreed?.TrySetResult();
            roomFreed = null;
        }
        batch.Done.TrySetException(error);
        queued.Done.TrySetException(error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal {File}: torn tail at offset {Offset} ({Reason}); cut {Bytes} bytes that were never acknowledged, last record is {LastSequence}")]
    private static partial void LogTornTail(ILogger logger, string file, long offset, string reason, long bytes, long lastSequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal {File}: segment was being created when the process stopped ({Reason}); removed its {Bytes} bytes")]
    private static partial void LogTornSegment(ILogger logger, string file, string reason, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal: pruned {Count} segments covered through sequence {Sequence}")]
    private static partial void LogPruned(ILogger logger, int count, long sequence);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Journal: new segment {File}")]
    private static partial void LogRollover(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal write to {Directory} failed; no further appends are taken")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, string directory);
}
