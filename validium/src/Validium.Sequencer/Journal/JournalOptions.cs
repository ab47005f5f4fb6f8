namespace Validium.Sequencer.Journal;

public sealed class JournalOptions
{
    public required string Directory { get; init; }

    /// <summary>A segment is closed once the next batch would take it past this size (a lone large batch may exceed it).</summary>
    public long SegmentBytes { get; init; } = 64L << 20;

    public int MaxPayloadBytes { get; init; } = 1 << 20;

    /// <summary>Bytes queued for the next commit before producers wait: bounds memory when producers outrun the disk.</summary>
    public int MaxBatchBytes { get; init; } = 4 << 20;

    /// <summary>Sequence number of the first record when the directory holds no segment yet.</summary>
    public long FirstSequence { get; init; } = 1;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw new ArgumentException("journal directory is empty");
        if (SegmentBytes is < 4096 or > 1L << 30) throw new ArgumentOutOfRangeException(nameof(SegmentBytes), SegmentBytes, "segment size must be 4 KiB .. 1 GiB");
        if (MaxPayloadBytes is < 1 or > RecordFormat.MaxPayloadLimit)
            throw new ArgumentOutOfRangeException(nameof(MaxPayloadBytes), MaxPayloadBytes, $"max payload must be 1 .. {RecordFormat.MaxPayloadLimit} bytes");
        if (MaxBatchBytes < RecordFormat.RecordSize(MaxPayloadBytes) || MaxBatchBytes > 256 << 20)
            throw new ArgumentOutOfRangeException(nameof(MaxBatchBytes), MaxBatchBytes, "max batch must hold one largest record and stay within 256 MiB");
        if (FirstSequence < 1) throw new ArgumentOutOfRangeException(nameof(FirstSequence), FirstSequence, "sequence numbers start at 1 or later");
    }
}

/// <summary>Counters since the journal was opened.</summary>
public readonly record struct JournalStatistics(long Records, long Batches, long Fsyncs, long Bytes, long LastSequence);
