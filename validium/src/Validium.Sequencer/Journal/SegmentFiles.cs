namespace Validium.Sequencer.Journal;

/// <summary>One segment file: records from <see cref="FirstSequence"/> on, named after it.</summary>
internal sealed record SegmentFile(long FirstSequence, string Path);

internal static class SegmentFiles
{
    /// <summary>The directory's segments by first sequence; a file with the segment extension but another name is refused.</summary>
    public static List<SegmentFile> List(string directory)
    {
        var list = new List<SegmentFile>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + RecordFormat.SegmentExtension))
        {
            var name = Path.GetFileName(path);
            if (!RecordFormat.TryParseSegmentFileName(name, out long first))
                throw new IOException($"{path}: not a journal segment name (20-digit first sequence number + {RecordFormat.SegmentExtension})");
            list.Add(new SegmentFile(first, path));
        }
        list.Sort((a, b) => a.FirstSequence.CompareTo(b.FirstSequence));
        return list;
    }

    /// <summary>The file's first <paramref name="limit"/> bytes (all of it by default).</summary>
    public static byte[] Load(string path, long limit = long.MaxValue)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long length = Math.Min(RandomAccess.GetLength(handle), limit);
        if (length > Array.MaxLength) throw new IOException($"{path}: segment of {length} bytes is larger than this reader takes");
        var data = new byte[length];
        int read = 0;
        while (read < data.Length)
        {
            int n = RandomAccess.Read(handle, data.AsSpan(read), read);
            if (n == 0) throw new IOException($"{path}: shrank to {read} bytes while being read");
            read += n;
        }
        return data;
    }
}
