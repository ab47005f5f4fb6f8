namespace Validium.Sequencer.Journal;

/// <summary>
/// Records written and fsynced together (one group commit). Producers fill it under the journal's lock; the writer
/// thread takes it whole, so a batch's first sequence is known when each of its records is encoded.
/// </summary>
public sealed class JournalBatch
{
    private byte[] buffer;

    internal JournalBatch(int capacity)
    {
        buffer = new byte[capacity];
        Done = NewCompletion();
    }

    public long FirstSequence { get; private set; }

    public int Count { get; private set; }

    public long LastSequence => FirstSequence + Count - 1;

    internal int Length { get; private set; }

    internal ReadOnlySpan<byte> Encoded => buffer.AsSpan(0, Length);

    /// <summary>Completes once the batch is durable (or faults if writing it failed).</summary>
    internal TaskCompletionSource Done { get; private set; }

    /// <summary>The batch's records; payloads are slices of the batch's own buffer, which is never reused once handed out.</summary>
    public IEnumerable<JournalRecord> Records()
    {
        var data = buffer;
        int pos = 0;
        for (int i = 0; i < Count; i++)
        {
            RecordFormat.TryReadRecord(data.AsSpan(pos), out var r);
            var record = new JournalRecord(r.Sequence, r.Timestamp, data.AsMemory(pos + RecordFormat.RecordHeaderSize, r.Payload.Length));
            pos += r.Size;
            yield return record;
        }
    }

    internal void Add(long sequence, long timestamp, ReadOnlySpan<byte> payload)
    {
        int size = RecordFormat.RecordSize(payload.Length);
        if (Count == 0) FirstSequence = sequence;
        if (buffer.Length - Length < size) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Length + size));
        RecordFormat.WriteRecord(buffer.AsSpan(Length, size), sequence, timestamp, (uint)(sequence - FirstSequence), payload);
        Length += size;
        Count++;
    }

    internal void Reset()
    {
        Length = 0;
        Count = 0;
        Done = NewCompletion();
    }

    // Producers' continuations go to the thread pool, never onto the writer thread that completes the batch.
    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
