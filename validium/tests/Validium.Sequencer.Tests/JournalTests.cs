using System.Collections.Concurrent;
using System.Buffers.Binary;
using Validium.Sequencer.Journal;
using static Validium.Sequencer.Tests.JournalFiles;

namespace Validium.Sequencer.Tests;

public class JournalTests
{
    [Fact]
    public async Task Records_read_back_as_written_after_reopening()
    {
        using var dir = new TempDir();
        var payloads = await WriteOneByOne(dir.Path, 50, i => i % 7 == 0 ? 0 : i * 13);
        using var journal = Open(dir.Path);
        var records = ReadAll(journal);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), records.Select(r => r.Sequence));
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(1000 + i, records[i].Timestamp);
            Assert.Equal(payloads[i], records[i].Payload.ToArray());
        }
        Assert.Equal(51, await journal.AppendAsync([1, 2, 3], 7));
        Assert.Equal([1, 2, 3], journal.ReadFrom(50).Single().Payload.ToArray());
    }

    [Fact]
    public async Task Concurrent_producers_get_gap_free_numbers_in_append_order()
    {
        using var dir = new TempDir();
        const int producers = 8, each = 500;
        var acked = new ConcurrentDictionary<long, string>();
        using (var journal = Open(dir.Path, segmentBytes: 16 << 10))
        {
            await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
            {
                // Half the appends are awaited one by one, half issued together: both paths must keep order.
                for (int i = 0; i < each; i += 2)
                {
                    var first = journal.AppendAsync(Text(p, i), i);
                    var second = journal.AppendAsync(Text(p, i + 1), i + 1);
                    long a = await first, b = await second;
                    Assert.True(a < b);
                    Assert.True(acked.TryAdd(a, $"{p}:{i}") && acked.TryAdd(b, $"{p}:{i + 1}"));
                }
            })));
            var stats = journal.Statistics;
            Assert.Equal(producers * each, stats.Records);
            Assert.True(stats.Batches <= stats.Records);
        }
        Assert.Equal(Enumerable.Range(1, producers * each).Select(i => (long)i), acked.Keys.Order());

        using var reopened = Open(dir.Path, segmentBytes: 16 << 10);
        Assert.True(Segments(dir.Path).Length > 1);
        var records = ReadAll(reopened);
        Assert.Equal(acked.Keys.Order(), records.Select(r => r.Sequence));
        var lastPerProducer = new int[producers];
        Array.Fill(lastPerProducer, -1);
        foreach (var r in records)
        {
            var text = System.Text.Encoding.ASCII.GetString(r.Payload.Span);
            Assert.Equal(acked[r.Sequence], text);
            var parts = text.Split(':');
            int p = int.Parse(parts[0]), i = int.Parse(parts[1]);
            Assert.Equal(lastPerProducer[p] + 1, i);
            lastPerProducer[p] = i;
        }
    }

    private static byte[] Text(int p, int i) => System.Text.Encoding.ASCII.GetBytes($"{p}:{i}");

    [Fact]
    public async Task Producers_wait_when_the_queued_batch_is_full_and_all_complete()
    {
        using var dir = new TempDir();
        using var journal = Open(dir.Path, maxBatchBytes: 64 << 10);
        var payload = new byte[1000];
        var seqs = await Task.WhenAll(Enumerable.Range(0, 2000).Select(_ => journal.AppendAsync(payload, 0)));
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), seqs.Order());
        Assert.True(journal.Statistics.Batches >= 2000 * 1028 / (64 << 10));
        Assert.Equal(2000, ReadAll(journal).Count);
    }

    [Fact]
    public async Task Segments_roll_over_and_pruning_keeps_what_is_not_covered()
    {
        using var dir = new TempDir();
        await WriteOneByOne(dir.Path, 200, _ => 100, segmentBytes: 4096);
        using var journal = Open(dir.Path, segmentBytes: 4096);
        int before = Segments(dir.Path).Length;
        Assert.True(before >= 6);
        int deleted = journal.PruneThrough(100);
        Assert.True(deleted > 0);
        Assert.Equal(before - deleted, Segments(dir.Path).Length);
        Assert.True(journal.FirstSequence <= 101);
        Assert.Equal(Enumerable.Range(101, 100).Select(i => (long)i), journal.ReadFrom(100).Select(r => r.Sequence));
        Assert.Throws<InvalidOperationException>(() => journal.ReadFrom(0));
        journal.PruneThrough(long.MaxValue);
        Assert.Single(Segments(dir.Path));
    }

    [Fact]
    public async Task Bad_input_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDir();
        var journal = Open(dir.Path);
        // Refused at the call, before any task exists.
        Assert.Throws<ArgumentException>(() => { _ = journal.AppendAsync(new byte[(1 << 20) + 1], 0); });
        Assert.Equal(1, await journal.AppendAsync([9], 0));
        journal.Dispose();
        Assert.Throws<ObjectDisposedException>(() => { _ = journal.AppendAsync([1], 0); });
        Assert.Throws<ArgumentOutOfRangeException>(() => Journal.Journal.Open(new JournalOptions { Directory = dir.Path, SegmentBytes = 10 }));
        File.WriteAllText(Path.Combine(dir.Path, "stray.vjl"), "x");
        Assert.Throws<IOException>(() => Open(dir.Path));
    }

    [Fact]
    public async Task A_journal_open_elsewhere_cannot_be_opened_again()
    {
        using var dir = new TempDir();
        using (var first = Open(dir.Path))
        {
            var ex = Assert.Throws<IOException>(() => Open(dir.Path));
            Assert.Contains("already open", ex.Message);
            Assert.Equal(1, await first.AppendAsync([1], 0));
        }
        using var again = Open(dir.Path);
        Assert.Equal(1, again.LastDurableSequence);
    }

    [Fact]
    public async Task A_failed_commit_faults_its_appends_and_refuses_later_ones()
    {
        using var dir = new TempDir();
        var log = new ListLogger();
        int batches = 0;
        using var journal = Journal.Journal.Open(new JournalOptions { Directory = dir.Path }, log, _ =>
        {
            if (++batches == 2) throw new IOException("simulated failure after the second fsync");
        });
        Assert.Equal(1, await journal.AppendAsync([1], 0));
        var ex = await Assert.ThrowsAsync<JournalWriteException>(() => journal.AppendAsync([2], 0));
        Assert.Contains("simulated failure", ex.Message);
        Assert.Throws<JournalWriteException>(() => { _ = journal.AppendAsync([3], 0); });
        Assert.Contains(log.At(Microsoft.Extensions.Logging.LogLevel.Error), m => m.Contains("failed"));
    }

    [Fact]
    public async Task A_zero_filled_tail_is_cut_and_logged()
    {
        using var dir = new TempDir();
        await WriteOneByOne(dir.Path, 20, _ => 40);
        var segment = Segments(dir.Path).Single();
        long length = new FileInfo(segment).Length;
        using (var f = new FileStream(segment, FileMode.Append)) f.Write(new byte[4096]);
        var log = new ListLogger();
        using var journal = Open(dir.Path, logger: log);
        Assert.Equal(20, ReadAll(journal).Count);
        Assert.Equal(length, new FileInfo(segment).Length);
        Assert.Contains(log.At(Microsoft.Extensions.Logging.LogLevel.Warning), m => m.Contains("torn tail") && m.Contains($"offset {length}"));
    }

    /// <summary>
    /// Every way the last record can be cut short or damaged: truncated at each byte, each byte flipped, zeroed from
    /// each byte on. Replay must give exactly the records before it, the file must be cut there, and appending
    /// must carry on from that sequence number.
    /// </summary>
    [Fact]
    public async Task Damage_anywhere_in_the_last_record_leaves_exactly_the_complete_records()
    {
        using var source = new TempDir();
        var payloads = await WriteOneByOne(source.Path, 6, i => 20 + i);
        var original = File.ReadAllBytes(Segments(source.Path).Single());
        int lastStart = original.Length - (28 + payloads[^1].Length);
        foreach (var damage in new[] { "truncate", "flip", "zero" })
        {
            for (int offset = lastStart; offset < original.Length; offset++)
            {
                using var dir = new TempDir();
                var bytes = damage switch
                {
                    "truncate" => original[..offset],
                    "flip" => Flip(original, offset),
                    _ => [.. original[..offset], .. new byte[original.Length - offset]],
                };
                var path = Path.Combine(dir.Path, Path.GetFileName(Segments(source.Path).Single()));
                File.WriteAllBytes(path, bytes);
                using var journal = Open(dir.Path);
                var records = ReadAll(journal);
                Assert.True(records.Count == 5, $"{damage} at {offset}: {records.Count} records");
                Assert.Equal(payloads[..5].Select(p => p.AsEnumerable()), records.Select(r => r.Payload.ToArray().AsEnumerable()));
                Assert.Equal(lastStart, new FileInfo(path).Length);
                Assert.Equal(6, await journal.AppendAsync([42], 0));
            }
        }
    }

    private static byte[] Flip(byte[] data, int offset)
    {
        var copy = (byte[])data.Clone();
        copy[offset] ^= 0x5A;
        return copy;
    }

    [Fact]
    public async Task Damage_under_an_acknowledged_record_is_an_error_naming_file_and_offset()
    {
        using var dir = new TempDir();
        var payloads = await WriteOneByOne(dir.Path, 5, _ => 30);
        var segment = Segments(dir.Path).Single();
        // Record 4 was its own fsynced batch before record 5 was written: damage there is not a torn write.
        long record4 = 24 + 3 * (28 + 30);
        var bytes = File.ReadAllBytes(segment);
        bytes[record4 + 30] ^= 1;
        File.WriteAllBytes(segment, bytes);
        var ex = Assert.Throws<JournalCorruptException>(() => Open(dir.Path));
        Assert.Equal(segment, ex.Damage.File);
        Assert.Equal(record4, ex.Damage.Offset);
        Assert.Contains(segment, ex.Message);
        Assert.Contains($"offset {record4}", ex.Message);
        Assert.Equal(bytes, File.ReadAllBytes(segment));
    }

    [Fact]
    public async Task Damage_in_an_earlier_segment_stops_replay_with_file_and_offset()
    {
        using var dir = new TempDir();
        await WriteOneByOne(dir.Path, 100, _ => 100, segmentBytes: 4096);
        var segments = Segments(dir.Path);
        var middle = segments[segments.Length / 2];
        var bytes = File.ReadAllBytes(middle);
        long offset = 24 + 2 * 128 + 40;
        bytes[offset] ^= 0xFF;
        File.WriteAllBytes(middle, bytes);
        using var journal = Open(dir.Path, segmentBytes: 4096);
        var ex = Assert.Throws<JournalCorruptException>(() => ReadAll(journal));
        Assert.Equal(middle, ex.Damage.File);
        Assert.Equal(24 + 2 * 128, ex.Damage.Offset);
        Assert.Equal(DamageKind.Corrupt, ex.Damage.Kind);
    }

    [Fact]
    public async Task A_missing_segment_is_a_gap_error()
    {
        using var dir = new TempDir();
        await WriteOneByOne(dir.Path, 100, _ => 100, segmentBytes: 4096);
        var segments = Segments(dir.Path);
        File.Delete(segments[2]);
        using var journal = Open(dir.Path, segmentBytes: 4096);
        var ex = Assert.Throws<JournalCorruptException>(() => ReadAll(journal));
        Assert.Equal(segments[3], ex.Damage.File);
        Assert.Contains("ends at", ex.Message);
    }

    [Fact]
    public async Task A_segment_whose_header_never_reached_disk_is_removed()
    {
        using var dir = new TempDir();
        await WriteOneByOne(dir.Path, 10, _ => 50);
        var torn = Path.Combine(dir.Path, "00000000000000000011.vjl");
        File.WriteAllBytes(torn, [0x56, 0x4A, 0x4E]);
        var log = new ListLogger();
        using var journal = Open(dir.Path, logger: log);
        Assert.False(File.Exists(torn));
        Assert.Equal(10, ReadAll(journal).Count);
        Assert.Equal(11, await journal.AppendAsync([1], 0));
        Assert.Contains(log.At(Microsoft.Extensions.Logging.LogLevel.Warning), m => m.Contains("being created"));
    }

    [Fact]
    public async Task A_segment_header_that_disagrees_with_its_name_is_corrupt()
    {
        using var dir = new TempDir();
        await WriteOneByOne(dir.Path, 3, _ => 10);
        var segment = Segments(dir.Path).Single();
        File.Move(segment, Path.Combine(dir.Path, "00000000000000000007.vjl"));
        var ex = Assert.Throws<JournalCorruptException>(() => Open(dir.Path));
        Assert.Contains("file name 7", ex.Message);
    }

    [Fact]
    public async Task An_empty_journal_starts_at_the_configured_sequence()
    {
        using var dir = new TempDir();
        using var journal = Journal.Journal.Open(new JournalOptions { Directory = dir.Path, FirstSequence = 501 });
        Assert.Equal(500, journal.LastDurableSequence);
        Assert.Equal(501, await journal.AppendAsync([1], 0));
        Assert.Equal(501, BinaryPrimitives.ReadInt64LittleEndian(File.ReadAllBytes(Segments(dir.Path).Single()).AsSpan(8)));
    }
}
