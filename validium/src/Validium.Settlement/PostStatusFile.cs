using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Validium.Sequencer;

namespace Validium.Settlement;

/// <summary>
/// The poster's statuses, in two files so that a node posting for months does not rewrite its whole history on every
/// change. <c>poster-status.json</c> holds the batches still moving plus the last confirmed ones and is replaced
/// atomically (temp file, fsync, rename) on each change, so a crash leaves the previous or the new version.
/// Confirmed statuses are final, so once <c>2 × keep</c> of them pile up below the confirmed tip, all but the last
/// <c>keep</c> are appended to <c>poster-archive.jsonl</c> (one line per batch, in number order, fsynced) and then
/// dropped from the document, whose <c>archivedThrough</c> says where the archive ends. A crash between the two writes
/// leaves archive lines past <c>archivedThrough</c>: the document still holds those batches, so the lines are cut off
/// on the next start.
/// </summary>
internal sealed class PostStatusFile
{
    private const int Version = 2;
    public const int DefaultKeep = 256;

    private readonly string path;
    private readonly string archivePath;
    private readonly int keep;
    private readonly SortedDictionary<ulong, BatchPostStatus> entries = [];
    // Start of batch n's archive line at [n − 1]; one more entry holds the archive's length.
    private readonly List<long> offsets = [0];
    private ulong archivedThrough;
    private ulong confirmedThrough;

    public PostStatusFile(string directory, int keep = DefaultKeep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        this.keep = keep;
        System.IO.Directory.CreateDirectory(directory);
        path = Path.Combine(directory, "poster-status.json");
        archivePath = Path.Combine(directory, "poster-archive.jsonl");
        if (File.Exists(path)) ReadDocument();
        ReadArchive();
        confirmedThrough = archivedThrough;
        Advance();
    }

    public BatchPostStatus? Get(ulong number) =>
        number != 0 && number <= archivedThrough ? ReadArchived(number) : entries.GetValueOrDefault(number);

    /// <summary>Every status, the archived ones read back from disk: for inspection, not for a hot path.</summary>
    public IReadOnlyList<BatchPostStatus> All
    {
        get
        {
            var all = new List<BatchPostStatus>((int)archivedThrough + entries.Count);
            for (ulong n = 1; n <= archivedThrough; n++) all.Add(ReadArchived(n));
            all.AddRange(entries.Values);
            return all;
        }
    }

    /// <summary>The highest batch confirmed with every batch below it confirmed: where posting resumes.</summary>
    public ulong LastConfirmed => confirmedThrough;

    public void Put(BatchPostStatus status)
    {
        if (status.Number == 0) throw new ArgumentException("batch numbers start at 1", nameof(status));
        if (status.Number <= archivedThrough)
            throw new InvalidOperationException($"batch {status.Number} is confirmed and archived; its status is final");
        var next = new SortedDictionary<ulong, BatchPostStatus>(entries) { [status.Number] = status };
        WriteDocument(next.Values, archivedThrough);
        entries[status.Number] = status;
        Advance();
        if (confirmedThrough - archivedThrough >= 2 * (ulong)keep) Archive(confirmedThrough - (ulong)keep);
    }

    private void Advance()
    {
        while (entries.TryGetValue(confirmedThrough + 1, out var s) && s.Stage == PostStage.Confirmed) confirmedThrough++;
    }

    private void Archive(ulong through)
    {
        var lines = new MemoryStream();
        var starts = new List<long>();
        long end = offsets[^1];
        for (ulong n = archivedThrough + 1; n <= through; n++)
        {
            starts.Add(end + lines.Length);
            lines.Write(JsonSerializer.SerializeToUtf8Bytes(entries[n], Line));
            lines.WriteByte((byte)'\n');
        }
        bool created = !File.Exists(archivePath);
        using (var handle = File.OpenHandle(archivePath, FileMode.OpenOrCreate, FileAccess.Write))
        {
            RandomAccess.Write(handle, lines.GetBuffer().AsSpan(0, (int)lines.Length), end);
            RandomAccess.FlushToDisk(handle);
        }
        if (created) Durability.FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(archivePath))!);
        WriteDocument(entries.Where(e => e.Key > through).Select(e => e.Value), through);
        offsets.RemoveAt(offsets.Count - 1);
        offsets.AddRange(starts);
        offsets.Add(end + lines.Length);
        for (ulong n = archivedThrough + 1; n <= through; n++) entries.Remove(n);
        archivedThrough = through;
    }

    private BatchPostStatus ReadArchived(ulong number)
    {
        long start = offsets[(int)(number - 1)], length = offsets[(int)number] - start - 1;
        var line = new byte[length];
        using var handle = File.OpenHandle(archivePath, FileMode.Open, FileAccess.Read);
        if (RandomAccess.Read(handle, line, start) != length) throw new InvalidDataException($"{archivePath}: batch {number}'s line was cut short");
        return ParseLine(line, number);
    }

    private void WriteDocument(IEnumerable<BatchPostStatus> batches, ulong archived) =>
        Durability.WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(new Document { Version = Version, ArchivedThrough = archived, Batches = [.. batches] }, Json));

    private void ReadDocument()
    {
        Document? doc;
        try
        {
            doc = JsonSerializer.Deserialize<Document>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a poster status file: {e.Message}", e);
        }
        // Version 1 had no archive: every batch is in the document.
        if (doc is null || doc.Version is not (1 or Version)) throw new InvalidDataException($"{path}: unknown format (version {doc?.Version})");
        archivedThrough = doc.ArchivedThrough;
        foreach (var s in doc.Batches)
            if (s.Number <= archivedThrough || !entries.TryAdd(s.Number, s))
                throw new InvalidDataException($"{path}: batch {s.Number} is listed twice, archived, or not a batch number");
    }

    /// <summary>Indexes the archive's lines, checking each names the next batch, and cuts off lines a crash left past <see cref="archivedThrough"/>.</summary>
    private void ReadArchive()
    {
        if (!File.Exists(archivePath))
        {
            if (archivedThrough > 0) throw new InvalidDataException($"{archivePath} is missing, but {path} says batches 1..{archivedThrough} are archived there");
            return;
        }
        using var handle = File.OpenHandle(archivePath, FileMode.Open, FileAccess.ReadWrite);
        long length = RandomAccess.GetLength(handle), lineStart = 0;
        var line = new MemoryStream();
        var buffer = new byte[1 << 16];
        for (long at = 0; at < length && (ulong)(offsets.Count - 1) < archivedThrough;)
        {
            int read = RandomAccess.Read(handle, buffer, at);
            if (read == 0) break;
            for (int i = 0; i < read && (ulong)(offsets.Count - 1) < archivedThrough; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    line.WriteByte(buffer[i]);
                    continue;
                }
                ulong number = (ulong)offsets.Count;
                ParseLine(line.ToArray(), number);
                lineStart = at + i + 1;
                offsets.Add(lineStart);
                line.SetLength(0);
            }
            at += read;
        }
        if ((ulong)(offsets.Count - 1) < archivedThrough)
            throw new InvalidDataException($"{archivePath} holds batches 1..{offsets.Count - 1}, but {path} says 1..{archivedThrough} are archived there");
        if (length > lineStart)
        {
            RandomAccess.SetLength(handle, lineStart);
            RandomAccess.FlushToDisk(handle);
        }
    }

    private BatchPostStatus ParseLine(byte[] line, ulong number)
    {
        BatchPostStatus? s;
        try
        {
            s = JsonSerializer.Deserialize<BatchPostStatus>(line, Line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{archivePath}: batch {number}'s line is not a status: {e.Message} ({Encoding.UTF8.GetString(line.AsSpan(0, Math.Min(line.Length, 80)))})", e);
        }
        if (s is null || s.Number != number || s.Stage != PostStage.Confirmed)
            throw new InvalidDataException($"{archivePath}: line {number} is not batch {number}'s confirmed status");
        return s;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private static readonly JsonSerializerOptions Line = new() { Converters = { new JsonStringEnumConverter() } };

    private sealed class Document
    {
        [JsonPropertyName("version")] public int Version { get; set; }
        [JsonPropertyName("archivedThrough")] public ulong ArchivedThrough { get; set; }
        [JsonPropertyName("batches")] public BatchPostStatus[] Batches { get; set; } = [];
    }
}
