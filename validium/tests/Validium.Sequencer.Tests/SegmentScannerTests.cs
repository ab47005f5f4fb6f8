using CsCheck;
using Validium.Sequencer.Journal;

namespace Validium.Sequencer.Tests;

/// <summary>
/// Recovery's decision on hand-built segments with several records per commit batch, which the writer only
/// produces under concurrent load: a torn last batch is cut, damage under a later batch's records is refused.
/// </summary>
public class SegmentScannerTests
{
    // Batches: [1,2,3] [4,5,6] [7], 40-byte payloads, so record i starts at 24 + (i-1)*68.
    private static readonly int[][] Batches = [[1, 2, 3], [4, 5, 6], [7]];
    private const int RecordSize = 28 + 40;

    private static byte[] Build()
    {
        var data = new byte[24 + 7 * RecordSize];
        RecordFormat.WriteSegmentHeader(data, 1);
        foreach (var batch in Batches)
            foreach (int seq in batch)
                RecordFormat.WriteRecord(data.AsSpan(Start(seq), RecordSize), seq, seq * 10, (uint)(seq - batch[0]), JournalFiles.Payload(seq, 40));
        return data;
    }

    private static int Start(long seq) => 24 + (int)(seq - 1) * RecordSize;

    [Fact]
    public void An_intact_segment_scans_clean()
    {
        var scan = SegmentScanner.Scan(Build(), "s", 1, isLast: true);
        Assert.Null(scan.Damage);
        Assert.Equal(7, scan.LastSequence);
    }

    [Theory]
    [InlineData(7, 6)]   // last batch alone
    [InlineData(5, 4)]   // inside batch [4,5,6] with 7 missing: cut to 4
    public void Damage_inside_the_last_batch_present_is_a_torn_tail(int damaged, int keep)
    {
        var data = Build()[..Start(damaged == 5 ? 7 : 8)];
        data[Start(damaged) + 30] ^= 1;
        var scan = SegmentScanner.Scan(data, "s", 1, isLast: true);
        Assert.Equal(DamageKind.TornTail, scan.Damage!.Kind);
        Assert.Equal(keep, scan.LastSequence);
        Assert.Equal(Start(damaged), scan.ValidLength);
    }

    [Fact]
    public void A_hole_in_the_last_batch_with_its_later_records_intact_is_still_torn()
    {
        // Pages of an unsynced batch can reach the disk out of order: record 4 lost, 5 and 6 present, all of batch 4.
        var data = Build()[..Start(7)];
        Array.Clear(data, Start(4), RecordSize);
        var scan = SegmentScanner.Scan(data, "s", 1, isLast: true);
        Assert.Equal(DamageKind.TornTail, scan.Damage!.Kind);
        Assert.Equal(3, scan.LastSequence);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void Damage_followed_by_a_later_batch_is_corruption(int damaged)
    {
        var data = Build();
        data[Start(damaged) + 10] ^= 0x80;
        var scan = SegmentScanner.Scan(data, "s", 1, isLast: true);
        Assert.Equal(DamageKind.Corrupt, scan.Damage!.Kind);
        Assert.Equal(Start(damaged), scan.Damage.Offset);
        Assert.Contains("later commit batch", scan.Damage.Reason);
    }

    [Fact]
    public void Any_damage_in_a_segment_that_is_not_last_is_corruption() =>
        Gen.Int[24, 24 + 7 * RecordSize - 1].Sample(offset =>
        {
            var data = Build();
            data[offset] ^= 0x01;
            var scan = SegmentScanner.Scan(data, "s", 1, isLast: false);
            Assert.Equal(DamageKind.Corrupt, scan.Damage!.Kind);
            Assert.True(scan.Damage.Offset <= offset);
        });

    [Fact]
    public void A_truncated_segment_is_torn_when_last_and_corrupt_otherwise() =>
        Gen.Int[25, 24 + 7 * RecordSize - 1].Where(length => (length - 24) % RecordSize != 0).Sample(length =>
        {
            var data = Build()[..length];
            var last = SegmentScanner.Scan(data, "s", 1, isLast: true);
            var middle = SegmentScanner.Scan(data, "s", 1, isLast: false);
            Assert.Equal(DamageKind.TornTail, last.Damage!.Kind);
            Assert.Equal((length - 24) / RecordSize, last.RecordCount);
            Assert.Equal(DamageKind.Corrupt, middle.Damage!.Kind);
        });

    [Fact]
    public void A_damaged_header_with_records_behind_it_is_corruption()
    {
        var data = Build();
        data[3] ^= 0xFF;
        Assert.Equal(DamageKind.Corrupt, SegmentScanner.Scan(data, "s", 1, isLast: true).Damage!.Kind);
        Assert.Equal(DamageKind.TornTail, SegmentScanner.Scan(data[..30], "s", 1, isLast: true).Damage!.Kind);
    }

    [Fact]
    public void A_record_out_of_sequence_is_corruption_even_at_the_tail()
    {
        var data = Build();
        RecordFormat.WriteRecord(data.AsSpan(Start(7), RecordSize), 9, 0, 0, JournalFiles.Payload(9, 40));
        var scan = SegmentScanner.Scan(data, "s", 1, isLast: true);
        Assert.Equal(DamageKind.Corrupt, scan.Damage!.Kind);
        Assert.Contains("sequence 9", scan.Damage.Reason);
    }
}
