using System.Buffers.Binary;

namespace Validium.Sequencer.Journal;

/// <summary>One journal record: its sequence number, the caller's timestamp and the opaque command bytes.</summary>
public readonly record struct JournalRecord(long Sequence, long Timestamp, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Byte layout of segments and records (little-endian).
/// Segment header (24 bytes): magic "VJNL", u32 version, u64 first sequence, u32 CRC-32C of the first 16 bytes, u32 zero.
/// Record: u32 CRC-32C of everything after it, u32 payload length, u64 sequence, i64 timestamp,
/// u32 batch offset (sequence minus the first sequence of the commit batch it was fsynced with), payload.
/// The batch offset is what lets recovery tell a torn last batch (never acknowledged, safe to cut) from damage
/// to an earlier batch that was acknowledged (never cut): see <see cref="SegmentScanner"/>.
/// </summary>
internal static class RecordFormat
{
    public const uint Magic = 0x4C4E4A56; // "VJNL"
    public const uint Version = 1;
    public const int SegmentHeaderSize = 24;
    public const int RecordHeaderSize = 28;
    public const string SegmentExtension = ".vjl";

    /// <summary>Longest payload the format accepts at all; a larger length field can only be damage.</summary>
    public const int MaxPayloadLimit = 16 << 20;

    public static string SegmentFileName(long firstSequence) => firstSequence.ToString("D20") + SegmentExtension;

    public static bool TryParseSegmentFileName(string fileName, out long firstSequence)
    {
        firstSequence = 0;
        return fileName.Length == 20 + SegmentExtension.Length
            && fileName.EndsWith(SegmentExtension, StringComparison.Ordinal)
            && fileName.AsSpan(0, 20).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(fileName.AsSpan(0, 20), out firstSequence)
            && firstSequence > 0;
    }

    public static void WriteSegmentHeader(Span<byte> dest, long firstSequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(dest, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(dest[8..], firstSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[16..], Crc32C.Compute(dest[..16]));
        BinaryPrimitives.WriteUInt32LittleEndian(dest[20..], 0);
    }

    /// <summary>Why the header is unusable, or null with <paramref name="firstSequence"/> set.</summary>
    public static string? CheckSegmentHeader(ReadOnlySpan<byte> data, out long firstSequence)
    {
        firstSequence = 0;
        if (data.Length < SegmentHeaderSize) return $"segment header incomplete ({data.Length} of {SegmentHeaderSize} bytes)";
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic) return "segment header has no VJNL magic";
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[16..]) != Crc32C.Compute(data[..16])) return "segment header checksum mismatch";
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (version != Version) return $"segment format version {version} is not supported (expected {Version})";
        firstSequence = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        return firstSequence > 0 ? null : $"segment header names first sequence {firstSequence}";
    }

    public static int RecordSize(int payloadLength) => RecordHeaderSize + payloadLength;

    public static void WriteRecord(Span<byte> dest, long sequence, long timestamp, uint batchOffset, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt32LittleEndian(dest[4..], payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(dest[8..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(dest[16..], timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[24..], batchOffset);
        payload.CopyTo(dest[RecordHeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(dest, Crc32C.Compute(dest[4..(RecordHeaderSize + payload.Length)]));
    }

    /// <summary>A record as it sits in a buffer; Payload is a slice of that buffer.</summary>
    public readonly ref struct RecordView(long sequence, long timestamp, uint batchOffset, ReadOnlySpan<byte> payload)
    {
        public long Sequence { get; } = sequence;
        public long Timestamp { get; } = timestamp;
        public uint BatchOffset { get; } = batchOffset;
        public ReadOnlySpan<byte> Payload { get; } = payload;
        public int Size => RecordHeaderSize + Payload.Length;
        public long BatchFirstSequence => Sequence - BatchOffset;
    }

    /// <summary>Decodes the record at the start of <paramref name="data"/>; returns why it cannot, or null.</summary>
    public static string? TryReadRecord(ReadOnlySpan<byte> data, out RecordView record)
    {
        record = default;
        if (data.Length < RecordHeaderSize) return $"incomplete record header ({data.Length} of {RecordHeaderSize} bytes)";
        int length = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        if (length is < 0 or > MaxPayloadLimit) return $"record length {length} is out of range";
        if (data.Length - RecordHeaderSize < length) return $"incomplete record ({data.Length - RecordHeaderSize} of {length} payload bytes)";
        var body = data[4..(RecordHeaderSize + length)];
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != Crc32C.Compute(body)) return "record checksum mismatch";
        record = new RecordView(
            BinaryPrimitives.ReadInt64LittleEndian(data[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[24..]),
            data.Slice(RecordHeaderSize, length));
        return null;
    }
}
