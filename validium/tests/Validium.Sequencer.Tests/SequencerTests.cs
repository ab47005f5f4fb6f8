using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Validium.Sequencer.Journal;
using Validium.Sequencer.Snapshots;

namespace Validium.Sequencer.Tests;

/// <summary>A hash chain over every command applied: any change in order, content or count changes the head.</summary>
internal sealed class HashChain : ICommandHandler<byte[]>
{
    private byte[] head = new byte[32];

    public long Applied { get; private set; }

    public long? ThrowAt { get; init; }

    public static byte[] Next(byte[] head, long seq, long ts, ReadOnlySpan<byte> payload)
    {
        var buf = new byte[32 + 16 + payload.Length];
        head.CopyTo(buf, 0);
        BinaryPrimitives.WriteInt64LittleEndian(buf.AsSpan(32), seq);
        BinaryPrimitives.WriteInt64LittleEndian(buf.AsSpan(40), ts);
        payload.CopyTo(buf.AsSpan(48));
        return SHA256.HashData(buf);
    }

    public byte[] Apply(long sequence, long timestamp, ReadOnlySpan<byte> payload)
    {
        if (sequence == ThrowAt) throw new InvalidDataException($"handler refuses {sequence}");
        head = Next(head, sequence, timestamp, payload);
        Applied++;
        return head;
    }

    public byte[] SaveState()
    {
        var s = new byte[40];
        head.CopyTo(s, 0);
        BinaryPrimitives.WriteInt64LittleEndian(s.AsSpan(32), Applied);
        return s;
    }

    public void LoadState(ReadOnlySpan<byte> state)
    {
        head = state[..32].ToArray();
        Applied = BinaryPrimitives.ReadInt64LittleEndian(state[32..]);
    }
}

public class SequencerTests
{
    private static SequencerOptions Options(TempDir dir, long snapshotEvery = 0, long segmentBytes = 64L << 20) =>
        new() { Directory = dir.Path, SnapshotEvery = snapshotEvery, SegmentBytes = segmentBytes };

    private static async Task<List<SequencedOutput<byte[]>>> Take(ChannelReader<SequencedOutput<byte[]>> reader, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var list = new List<SequencedOutput<byte[]>>();
        while (list.Count < count) list.Add(await reader.ReadAsync(timeout.Token));
        return list;
    }

    /// <summary>The chain the outputs must show, computed from what the producers were told, in sequence order.</summary>
    private static List<byte[]> ExpectedHeads(IDictionary<long, (long Ts, byte[] Payload)> acked, byte[]? start = null)
    {
        var head = start ?? new byte[32];
        var heads = new List<byte[]>();
        foreach (var (seq, (ts, payload)) in acked.OrderBy(kv => kv.Key))
            heads.Add(head = HashChain.Next(head, seq, ts, payload));
        return heads;
    }

    private static async Task<ConcurrentDictionary<long, (long, byte[])>> SubmitConcurrently(Sequencer<byte[]> seq, int producers, int each, int tag = 0)
    {
        var acked = new ConcurrentDictionary<long, (long, byte[])>();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < each; i++)
            {
                var payload = JournalFiles.Payload(tag * 100_000 + p * 1000 + i, 20 + i % 50);
                long ts = 1_700_000_000_000 + i;
                Assert.True(acked.TryAdd(await seq.SubmitAsync(payload, ts), (ts, payload)));
            }
        })));
        return acked;
    }

    [Fact]
    public async Task Durable_commands_are_applied_once_each_in_sequence_order()
    {
        using var dir = new TempDir();
        var handler = new HashChain();
        await using var seq = Sequencer<byte[]>.Start(Options(dir), handler);
        await seq.Replayed;
        var acked = await SubmitConcurrently(seq, 4, 250);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), acked.Keys.Order());
        var outputs = await Take(seq.Output, 1000);
        Assert.Equal(acked.Keys.Order(), outputs.Select(o => o.Sequence));
        Assert.All(outputs, o => Assert.False(o.Replayed));
        Assert.All(outputs, o =>
        {
            Assert.Equal(acked[o.Sequence].Item1, o.Timestamp);
            Assert.Equal(acked[o.Sequence].Item2, o.Payload.ToArray());
        });
        Assert.Equal(ExpectedHeads(acked), outputs.Select(o => o.Events));
        Assert.Equal(1000, seq.LastApplied);
    }

    [Fact]
    public async Task A_restart_restores_the_same_state_from_snapshot_and_journal()
    {
        using var dir = new TempDir();
        var handler = new HashChain();
        ConcurrentDictionary<long, (long, byte[])> acked;
        long snapshotAt;
        byte[] before;
        await using (var seq = Sequencer<byte[]>.Start(Options(dir, segmentBytes: 8192), handler))
        {
            acked = await SubmitConcurrently(seq, 3, 50);
            await Take(seq.Output, 150);
            snapshotAt = await seq.SnapshotAsync();
            Assert.Equal(150, snapshotAt);
            foreach (var (k, v) in await SubmitConcurrently(seq, 3, 50, tag: 1)) acked[k] = v;
            await Take(seq.Output, 150);
            before = handler.SaveState();
        }
        Assert.Equal(300, acked.Count);

        var restored = new HashChain();
        await using var again = Sequencer<byte[]>.Start(Options(dir, segmentBytes: 8192), restored);
        await again.Replayed;
        Assert.Equal(before, restored.SaveState());
        var replayed = await Take(again.Output, 150);
        Assert.Equal(Enumerable.Range(151, 150).Select(i => (long)i), replayed.Select(o => o.Sequence));
        Assert.All(replayed, o => Assert.True(o.Replayed));
        Assert.Equal(ExpectedHeads(acked).Skip(150), replayed.Select(o => o.Events));

        Assert.Equal(301, await again.SubmitAsync([1, 2, 3], 5));
        var live = (await Take(again.Output, 1)).Single();
        Assert.False(live.Replayed);
        Assert.Equal(HashChain.Next(replayed[^1].Events, 301, 5, [1, 2, 3]), live.Events);
    }

    [Fact]
    public async Task Periodic_snapshots_prune_the_journal_and_restarts_still_agree()
    {
        using var dir = new TempDir();
        var handler = new HashChain();
        byte[] before;
        await using (var seq = Sequencer<byte[]>.Start(Options(dir, snapshotEvery: 100, segmentBytes: 4096), handler))
        {
            for (int i = 0; i < 600; i++) await seq.SubmitAsync(JournalFiles.Payload(i, 60), i);
            await Take(seq.Output, 600);
            before = handler.SaveState();
        }
        var store = new SnapshotStore(Path.Combine(dir.Path, "snapshots"));
        Assert.Equal([600L, 500L], store.List());
        var segments = JournalFiles.Segments(Path.Combine(dir.Path, "journal"));
        using (var journal = JournalFiles.Open(Path.Combine(dir.Path, "journal"), 4096))
        {
            Assert.InRange(journal.FirstSequence, 2, 501);
            Assert.Equal(600, journal.LastDurableSequence);
        }
        Assert.True(segments.Length < 600 * 88 / 4096, $"{segments.Length} segments left");

        var restored = new HashChain();
        await using var again = Sequencer<byte[]>.Start(Options(dir, snapshotEvery: 100, segmentBytes: 4096), restored);
        await again.Replayed;
        Assert.Equal(before, restored.SaveState());
    }

    [Fact]
    public async Task A_command_the_handler_throws_on_stops_the_sequencer()
    {
        using var dir = new TempDir();
        await using var seq = Sequencer<byte[]>.Start(Options(dir), new HashChain { ThrowAt = 5 });
        for (int i = 0; i < 5; i++) await seq.SubmitAsync([(byte)i], i);
        await Take(seq.Output, 4);
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => seq.Output.Completion);
        Assert.Contains("refuses 5", ex.Message);
        Assert.Throws<InvalidOperationException>(() => { _ = seq.SubmitAsync([9], 9); });
        Assert.Equal(4, seq.LastApplied);
    }

    [Fact]
    public async Task Corruption_found_while_replaying_fails_start_up_with_file_and_offset()
    {
        using var dir = new TempDir();
        var journalDir = Path.Combine(dir.Path, "journal");
        await JournalFiles.WriteOneByOne(journalDir, 100, _ => 100, segmentBytes: 4096);
        var first = JournalFiles.Segments(journalDir)[0];
        var bytes = File.ReadAllBytes(first);
        bytes[24 + 5 * 128 + 50] ^= 4;
        File.WriteAllBytes(first, bytes);
        await using var seq = Sequencer<byte[]>.Start(Options(dir, segmentBytes: 4096), new HashChain());
        var ex = await Assert.ThrowsAsync<JournalCorruptException>(() => seq.Replayed);
        Assert.Equal(first, ex.Damage.File);
        Assert.Equal(24 + 5 * 128, ex.Damage.Offset);
        await Assert.ThrowsAsync<JournalCorruptException>(() => seq.Output.Completion);
        // A segment is checked whole before any of it is applied.
        Assert.Equal(0, seq.LastApplied);
    }

    [Fact]
    public async Task A_snapshot_the_journal_cannot_continue_is_refused()
    {
        using var dir = new TempDir();
        var journalDir = Path.Combine(dir.Path, "journal");
        await JournalFiles.WriteOneByOne(journalDir, 10, _ => 10);
        new SnapshotStore(Path.Combine(dir.Path, "snapshots")).Save(100, new HashChain().SaveState());
        var ahead = Assert.Throws<IOException>(() => Sequencer<byte[]>.Start(Options(dir), new HashChain()));
        Assert.Contains("newer than the journal", ahead.Message);

        using var gap = new TempDir();
        await JournalFiles.WriteOneByOne(Path.Combine(gap.Path, "journal"), 100, _ => 100, segmentBytes: 4096);
        File.Delete(JournalFiles.Segments(Path.Combine(gap.Path, "journal"))[0]);
        var missing = Assert.Throws<IOException>(() => Sequencer<byte[]>.Start(Options(gap, segmentBytes: 4096), new HashChain()));
        Assert.Contains("records in between are gone", missing.Message);
    }
}
