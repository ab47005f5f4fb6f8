using Microsoft.Extensions.Logging;
using Validium.Sequencer.Snapshots;

namespace Validium.Sequencer.Tests;

public class SnapshotStoreTests
{
    private static string FileOf(string dir, long seq) => Path.Combine(dir, seq.ToString("D20") + ".snap");

    [Fact]
    public void The_newest_snapshot_is_loaded_and_old_ones_beyond_retention_deleted()
    {
        using var dir = new TempDir();
        var store = new SnapshotStore(dir.Path, retain: 2);
        Assert.Null(store.LoadLatest());
        store.Save(10, [1, 2, 3]);
        store.Save(20, []);
        store.Save(30, [7, 7]);
        Assert.Equal([30L, 20L], store.List());
        Assert.Equal(20, store.OldestRetainedSequence);
        var latest = new SnapshotStore(dir.Path).LoadLatest()!;
        Assert.Equal(30, latest.Sequence);
        Assert.Equal([7, 7], latest.State);
    }

    [Fact]
    public void A_save_that_died_before_its_rename_is_ignored_and_cleaned_up()
    {
        using var dir = new TempDir();
        new SnapshotStore(dir.Path).Save(10, [1, 2, 3]);
        // What a crash in the middle of Save(20, ...) leaves: a partial temporary file.
        var tmp = Path.Combine(dir.Path, 20L.ToString("D20") + ".snap.tmp");
        File.WriteAllBytes(tmp, [0x56, 0x53, 0x4E, 0x50, 1, 0, 0]);
        var log = new ListLogger();
        var store = new SnapshotStore(dir.Path, logger: log);
        Assert.False(File.Exists(tmp));
        var latest = store.LoadLatest()!;
        Assert.Equal(10, latest.Sequence);
        Assert.Equal([1, 2, 3], latest.State);
        Assert.Contains(log.At(LogLevel.Warning), m => m.Contains("unfinished"));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("rename")]
    public void A_damaged_newest_snapshot_falls_back_to_the_one_before(string damage)
    {
        using var dir = new TempDir();
        var store = new SnapshotStore(dir.Path, retain: 3);
        store.Save(10, [1, 2, 3]);
        store.Save(20, [4, 5, 6, 7]);
        var path = FileOf(dir.Path, 20);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "flip":
                bytes[26] ^= 1;
                File.WriteAllBytes(path, bytes);
                break;
            case "truncate":
                File.WriteAllBytes(path, bytes[..^2]);
                break;
            default:
                File.Move(path, FileOf(dir.Path, 25));
                break;
        }
        var log = new ListLogger();
        var latest = new SnapshotStore(dir.Path, retain: 3, logger: log).LoadLatest()!;
        Assert.Equal(10, latest.Sequence);
        Assert.Single(log.At(LogLevel.Warning));
    }

    [Fact]
    public void Every_truncation_and_bit_flip_is_detected()
    {
        using var dir = new TempDir();
        new SnapshotStore(dir.Path).Save(5, [.. Enumerable.Range(0, 40).Select(i => (byte)i)]);
        var bytes = File.ReadAllBytes(FileOf(dir.Path, 5));
        for (int i = 0; i < bytes.Length; i++)
        {
            Assert.NotNull(SnapshotStore.TryRead(bytes[..i], 5, out _));
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x10;
            Assert.NotNull(SnapshotStore.TryRead(flipped, 5, out _));
        }
        Assert.Null(SnapshotStore.TryRead(bytes, 5, out var ok));
        Assert.Equal(40, ok!.State.Length);
    }
}
