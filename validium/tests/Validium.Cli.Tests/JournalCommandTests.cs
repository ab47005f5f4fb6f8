using Validium.Sequencer.Journal;

namespace Validium.Cli.Tests;

/// <summary>`vld journal verify` on journals written by the journal itself, then damaged by hand.</summary>
public sealed class JournalCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("vld-journal-");

    public void Dispose() => dir.Delete(true);

    // 100-byte payloads make 128-byte records; 4 KiB segments hold 31 of them.
    private async Task<string[]> Write(int count)
    {
        using var journal = Journal.Open(new JournalOptions { Directory = dir.FullName, SegmentBytes = 4096 });
        for (int i = 0; i < count; i++) await journal.AppendAsync(new byte[100], i);
        return [.. Directory.GetFiles(dir.FullName, "*.vjl").Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task An_intact_journal_reports_its_records()
    {
        await Write(100);
        var (code, stdout, _) = await Cli.Run("journal", "verify", "--dir", dir.FullName);
        Assert.Equal(0, code);
        var lines = Cli.Lines(stdout);
        Assert.StartsWith("00000000000000000001.vjl  records 1..31 (31)  3,992 of 3,992 bytes", lines[0]);
        Assert.Contains("segments: 4", lines);
        Assert.Contains("records: 100", lines);
        Assert.Contains("first seq: 1", lines);
        Assert.Contains("last seq: 100", lines);
        Assert.Equal("OK", lines[^1]);
    }

    [Fact]
    public async Task A_torn_tail_is_reported_and_left_alone()
    {
        var segments = await Write(40);
        var last = segments[^1];
        long length = new FileInfo(last).Length;
        using (var f = new FileStream(last, FileMode.Append)) f.Write([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var (code, stdout, _) = await Cli.Run("journal", "verify", "--dir", dir.FullName);
        Assert.Equal(0, code);
        Assert.Contains($"torn tail: {last} at offset {length}: incomplete record header (10 of 28 bytes)", stdout);
        Assert.Contains("the 10 bytes after the last whole record are cut", stdout);
        Assert.Contains("last seq: 40", Cli.Lines(stdout));
        Assert.Equal(length + 10, new FileInfo(last).Length);
    }

    [Fact]
    public async Task Damage_in_a_middle_segment_exits_1_naming_file_and_offset()
    {
        var segments = await Write(100);
        var bytes = File.ReadAllBytes(segments[1]);
        bytes[24 + 10 * 128 + 60] ^= 0x20;
        File.WriteAllBytes(segments[1], bytes);
        var (code, stdout, _) = await Cli.Run("journal", "verify", "--dir", dir.FullName);
        Assert.Equal(1, code);
        Assert.Equal($"CORRUPT: {segments[1]} at offset {24 + 10 * 128}: record checksum mismatch (sequence 42 expected)", Cli.Lines(stdout)[^1]);
    }

    [Fact]
    public async Task A_missing_segment_exits_1()
    {
        var segments = await Write(100);
        File.Delete(segments[1]);
        var (code, stdout, _) = await Cli.Run("journal", "verify", "--dir", dir.FullName);
        Assert.Equal(1, code);
        Assert.Contains("segment starts at sequence 63 but the one before ends at 31", stdout);
    }

    [Fact]
    public async Task A_directory_without_a_journal_is_a_usage_error()
    {
        var missing = await Cli.Run("journal", "verify", "--dir", Path.Combine(dir.FullName, "nope"));
        Assert.Equal(2, missing.Code);
        Assert.StartsWith("vld: journal directory", missing.Err);
        var empty = await Cli.Run("journal", "verify", "--dir", dir.FullName);
        Assert.Equal(2, empty.Code);
        Assert.StartsWith("vld: no journal segments", empty.Err);
    }
}
