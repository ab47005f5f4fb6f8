using System.Buffers.Binary;

namespace Validium.Sequencer.Journal;

/// <summary>What one segment file holds: its intact records and, if it has one, the first damage.</summary>
public sealed record SegmentScan(string File, long FirstSequence, long RecordCount, long ValidLength, long FileLength, JournalDamage? Damage)
{
    public long LastSequence => FirstSequence + RecordCount - 1;
}

/// <summary>
/// Checks a segment's bytes record by record. Damage in the last segment is a torn tail unless an intact record
/// after it belongs to a later commit batch: the writer starts a batch only after fsyncing the one before, so such a
/// record proves the damaged one had been fsynced and acknowledged, and cutting there would lose it.
/// </summary>
internal static class SegmentScanner
{
    public static SegmentScan Scan(ReadOnlySpan<byte> data, string file, long nameSequence, bool isLast)
    {
        var headerProblem = RecordFormat.CheckSegmentHeader(data, out long first);
        if (headerProblem is not null)
        {
            // The header is fsynced before any batch is written to the segment, so an intact record means it was whole once.
            var evidence = isLast ? FindLaterBatch(data, 0, nameSequence) : null;
            var kind = isLast && evidence is null ? DamageKind.TornTail : DamageKind.Corrupt;
            return new SegmentScan(file, nameSequence, 0, 0, data.Length, new JournalDamage(kind, file, 0, headerProblem + evidence));
        }
        if (first != nameSequence)
            return new SegmentScan(file, nameSequence, 0, 0, data.Length,
                new JournalDamage(DamageKind.Corrupt, file, 8, $"segment header names first sequence {first}, its file name {nameSequence}"));

        int length = data.Length;
        int pos = RecordFormat.SegmentHeaderSize;
        long expected = first;
        while (pos < data.Length)
        {
            var problem = RecordFormat.TryReadRecord(data[pos..], out var record);
            if (problem is null)
            {
                if (record.Sequence != expected)
                    problem = $"record holds sequence {record.Sequence} where {expected} follows";
                else if (record.BatchOffset > record.Sequence - first)
                    problem = $"record {record.Sequence} claims a commit batch starting before its segment";
            }
            else if (isLast)
            {
                var evidence = FindLaterBatch(data, pos, expected + 1);
                if (evidence is null)
                    return Damaged(DamageKind.TornTail, problem);
                problem += evidence;
            }
            if (problem is not null) return Damaged(DamageKind.Corrupt, problem);
            pos += record.Size;
            expected++;
        }
        return new SegmentScan(file, first, expected - first, pos, data.Length, null);

        SegmentScan Damaged(DamageKind kind, string why) =>
            new(file, first, expected - first, pos, length, new JournalDamage(kind, file, pos, $"{why} (sequence {expected} expected)"));
    }

    /// <summary>
    /// Looks past damage at <paramref name="from"/> for an intact record whose commit batch starts at or after
    /// <paramref name="minBatchStart"/>; returns a description of it, or null when there is none.
    /// </summary>
    private static string? FindLaterBatch(ReadOnlySpan<byte> data, int from, long minBatchStart)
    {
        for (int o = from + 1; o <= data.Length - RecordFormat.RecordHeaderSize; o++)
        {
            // Cheap filter before the checksum: every record between here and the damage takes at least a header's
            // worth of bytes, which bounds the sequence number a real record at offset o can carry.
            long seq = BinaryPrimitives.ReadInt64LittleEndian(data[(o + 8)..]);
            if (seq < minBatchStart || seq > minBatchStart + (o - from) / RecordFormat.RecordHeaderSize) continue;
            if (RecordFormat.TryReadRecord(data[o..], out var r) is null && r.BatchFirstSequence >= minBatchStart)
                return $"; intact record {r.Sequence} at offset {o} is from a later commit batch, so the damaged records had been acknowledged";
        }
        return null;
    }

    /// <summary>The records of a segment already checked by <see cref="Scan"/>, as slices of its buffer.</summary>
    public static IEnumerable<JournalRecord> Records(byte[] data, long validLength)
    {
        int pos = RecordFormat.SegmentHeaderSize;
        while (pos < validLength)
        {
            RecordFormat.TryReadRecord(data.AsSpan(pos), out var r);
            int size = r.Size;
            var record = new JournalRecord(r.Sequence, r.Timestamp, data.AsMemory(pos + RecordFormat.RecordHeaderSize, size - RecordFormat.RecordHeaderSize));
            pos += size;
            yield return record;
        }
    }
}
