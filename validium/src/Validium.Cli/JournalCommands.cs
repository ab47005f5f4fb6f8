using System.CommandLine;
using Validium.Sequencer.Journal;

namespace Validium.Cli;

/// <summary>`vld journal …`: inspecting the sequencer's write-ahead log on disk.</summary>
internal static class JournalCommands
{
    public static Command Build(TextWriter stdout)
    {
        var journal = new Command("journal", "The sequencer's write-ahead log");
        journal.Subcommands.Add(Verify(stdout));
        return journal;
    }

    private static Command Verify(TextWriter stdout)
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Journal directory (the *.vjl segment files)", Required = true };
        var cmd = new Command("verify",
            "Check every segment's records and sequence numbers without changing anything; exit 0 when intact or only a torn tail " +
            "(never acknowledged, cut at the next start), 1 when acknowledged records are damaged or missing")
        { dir };
        cmd.SetAction(r =>
        {
            var path = r.GetValue(dir)!.FullName;
            var report = JournalVerifier.Verify(path);
            if (report.Segments.Count == 0) throw new UsageException($"no journal segments (*.vjl) in {path}");
            foreach (var s in report.Segments)
                stdout.WriteLine($"{Path.GetFileName(s.File)}  records {Range(s.FirstSequence, s.LastSequence)}  {s.ValidLength:N0} of {s.FileLength:N0} bytes");
            stdout.WriteLine($"segments: {report.Segments.Count}");
            stdout.WriteLine($"records: {report.Records:N0}");
            stdout.WriteLine($"first seq: {report.FirstSequence}");
            stdout.WriteLine($"last seq: {report.LastSequence}");
            switch (report.Damage)
            {
                case null:
                    stdout.WriteLine("OK");
                    return 0;
                case { Kind: DamageKind.TornTail } torn:
                    var last = report.Segments[^1];
                    stdout.WriteLine($"torn tail: {torn}; the {last.FileLength - last.ValidLength:N0} bytes after the last whole record are cut when the journal is next opened");
                    stdout.WriteLine("OK");
                    return 0;
                case var corrupt:
                    stdout.WriteLine($"CORRUPT: {corrupt}");
                    return 1;
            }
        });
        return cmd;
    }

    private static string Range(long first, long last) => last < first ? "none" : $"{first}..{last} ({last - first + 1:N0})";
}
