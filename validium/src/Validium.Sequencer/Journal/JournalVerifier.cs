namespace Validium.Sequencer.Journal;

/// <summary>What a journal directory holds, read without changing anything.</summary>
public sealed record JournalReport(IReadOnlyList<SegmentScan> Segments, JournalDamage? Damage)
{
    public long Records => Segments.Sum(s => s.RecordCount);

    /// <summary>First sequence kept (earlier ones were pruned behind a snapshot).</summary>
    public long FirstSequence => Segments.Count > 0 ? Segments[0].FirstSequence : 0;

    public long LastSequence => Segments.Count > 0 ? Segments[^1].LastSequence : 0;

    /// <summary>No damage, or only a torn tail (records that were never acknowledged, which opening cuts).</summary>
    public bool Intact => Damage is null or { Kind: DamageKind.TornTail };
}

/// <summary>
/// Checks every segment of a journal directory with the same rules as opening and replay (checksums, sequence
/// continuity within and across segments, torn tail only at the end of the last segment) but only reads.
/// </summary>
public static class JournalVerifier
{
    public static JournalReport Verify(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"journal directory {directory} does not exist");
        var files = SegmentFiles.List(directory);
        var scans = new List<SegmentScan>();
        for (int i = 0; i < files.Count; i++)
        {
            var scan = SegmentScanner.Scan(SegmentFiles.Load(files[i].Path), files[i].Path, files[i].FirstSequence, isLast: i == files.Count - 1);
            if (i > 0 && scan.FirstSequence != scans[^1].LastSequence + 1)
                return new JournalReport(scans, new JournalDamage(DamageKind.Corrupt, files[i].Path, 0,
                    $"segment starts at sequence {scan.FirstSequence} but the one before ends at {scans[^1].LastSequence}"));
            scans.Add(scan);
            if (scan.Damage is not null) return new JournalReport(scans, scan.Damage);
        }
        return new JournalReport(scans, null);
    }
}
