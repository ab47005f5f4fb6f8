using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Validium.Sequencer.Snapshots;

/// <summary>A state image taken after applying every command through <see cref="Sequence"/>.</summary>
public sealed record Snapshot(long Sequence, byte[] State);

/// <summary>
/// Snapshots as files named after their sequence number, each written whole or not at all: to a temporary name,
/// fsynced, renamed into place, and the directory fsynced. A file is trusted only if its checksum holds; a torn or
/// damaged one is logged and the next older one is used. Layout (little-endian): magic "VSNP", u32 version,
/// u64 sequence, u64 state length, state bytes, u32 CRC-32C of everything before it.
/// </summary>
public sealed partial class SnapshotStore
{
    private const uint Magic = 0x504E5356; // "VSNP"
    private const uint Version = 1;
    private const int HeaderSize = 24;
    private const string Extension = ".snap";
    private const string TempExtension = ".snap.tmp";

    private readonly string dir;
    private readonly int retain;
    private readonly ILogger logger;

    /// <param name="retain">How many of the newest snapshots to keep (at least 1); older ones are deleted after each save.</param>
    public SnapshotStore(string directory, int retain = 2, ILogger? logger = null)
    {
        if (retain < 1) throw new ArgumentOutOfRangeException(nameof(retain), retain, "keep at least one snapshot");
        dir = Path.GetFullPath(directory);
        this.retain = retain;
        this.logger = logger ?? NullLogger.Instance;
        System.IO.Directory.CreateDirectory(dir);
        // A temporary file is a save that never finished; it was never visible under a snapshot name.
        foreach (var tmp in System.IO.Directory.EnumerateFiles(dir, "*" + TempExtension))
        {
            LogTempRemoved(this.logger, tmp);
            File.Delete(tmp);
        }
    }

    public string Directory => dir;

    /// <summary>Sequence numbers of the snapshot files present, newest first (not yet checked).</summary>
    public IReadOnlyList<long> List()
    {
        var list = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateFiles(dir, "*" + Extension))
            if (TryParseName(Path.GetFileName(path), out long seq)) list.Add(seq);
        list.Sort((a, b) => b.CompareTo(a));
        return list;
    }

    public void Save(long sequence, ReadOnlySpan<byte> state)
    {
        if (sequence < 0) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "sequence numbers are not negative");
        var path = PathOf(sequence);
        var tmp = path[..^Extension.Length] + TempExtension;
        using (var handle = File.OpenHandle(tmp, FileMode.Create, FileAccess.Write))
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Version);
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], sequence);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], state.Length);
            Span<byte> trailer = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32C.Append(Crc32C.Compute(header), state));
            RandomAccess.Write(handle, header, 0);
            RandomAccess.Write(handle, state, HeaderSize);
            RandomAccess.Write(handle, trailer, HeaderSize + state.Length);
            RandomAccess.FlushToDisk(handle);
        }
        File.Move(tmp, path, overwrite: true);
        Durability.FlushDirectory(dir);
        LogSaved(logger, sequence, state.Length);

        var all = List();
        for (int i = retain; i < all.Count; i++) File.Delete(PathOf(all[i]));
        if (all.Count > retain) Durability.FlushDirectory(dir);
    }

    /// <summary>The newest snapshot whose checksum holds, or null when there is none; damaged ones are logged and passed over.</summary>
    public Snapshot? LoadLatest()
    {
        foreach (long seq in List())
        {
            var path = PathOf(seq);
            var problem = TryRead(File.ReadAllBytes(path), seq, out var snapshot);
            if (problem is null) return snapshot;
            LogDamaged(logger, path, problem);
        }
        return null;
    }

    /// <summary>The oldest snapshot kept: journal records at or before it are no longer needed by any snapshot here.</summary>
    public long? OldestRetainedSequence => List() is { Count: > 0 } l ? l[^1] : null;

    internal static string? TryRead(ReadOnlySpan<byte> data, long nameSequence, out Snapshot? snapshot)
    {
        snapshot = null;
        if (data.Length < HeaderSize + 4) return $"file of {data.Length} bytes is shorter than a snapshot header";
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic) return "no VSNP magic";
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (version != Version) return $"snapshot format version {version} is not supported (expected {Version})";
        long seq = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        long length = BinaryPrimitives.ReadInt64LittleEndian(data[16..]);
        if (length != data.Length - HeaderSize - 4) return $"header says {length} state bytes, file holds {data.Length - HeaderSize - 4}";
        var body = data[..^4];
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]) != Crc32C.Compute(body)) return "checksum mismatch";
        if (seq != nameSequence) return $"snapshot holds sequence {seq}, its file name {nameSequence}";
        snapshot = new Snapshot(seq, body[HeaderSize..].ToArray());
        return null;
    }

    private string PathOf(long sequence) => Path.Combine(dir, sequence.ToString("D20") + Extension);

    private static bool TryParseName(string name, out long sequence)
    {
        sequence = 0;
        return name.Length == 20 + Extension.Length && name.EndsWith(Extension, StringComparison.Ordinal)
            && name.AsSpan(0, 20).IndexOfAnyExceptInRange('0', '9') < 0 && long.TryParse(name.AsSpan(0, 20), out sequence);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot at sequence {Sequence} saved ({Bytes} bytes of state)")]
    private static partial void LogSaved(ILogger logger, long sequence, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot {File} is unusable ({Reason}); trying an older one")]
    private static partial void LogDamaged(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed unfinished snapshot {File}")]
    private static partial void LogTempRemoved(ILogger logger, string file);
}
