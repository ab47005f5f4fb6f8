using System.Diagnostics;
using System.Text;
using Validium.Sequencer.Journal;

namespace Validium.Sequencer.Tests;

/// <summary>
/// A real crash: a child process appends from many producers and prints each sequence number once it is
/// acknowledged; SIGKILL stops it mid-stream (twice, the second time on top of the first crash's journal), and
/// every acknowledged record must then be read back with its payload.
/// </summary>
public class KillTests
{
    [SkippableFact]
    public async Task Every_acknowledged_record_survives_kill_9()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGKILL is a POSIX signal");
        using var dir = new TempDir();
        var acked = new Dictionary<long, string>();
        long before = 0;
        for (int round = 0; round < 2; round++)
        {
            var (start, acks) = await RunAndKill(dir.Path, minAcks: 3000);
            Assert.Equal(before, start);
            foreach (var (seq, payload) in acks) acked.Add(seq, payload);
            using var journal = Journal.Journal.Open(new JournalOptions { Directory = dir.Path, SegmentBytes = 64 << 10 });
            var records = journal.ReadFrom(0).ToDictionary(r => r.Sequence, r => Encoding.ASCII.GetString(r.Payload.Span));
            Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Keys.Order());
            foreach (var (seq, payload) in acked)
            {
                Assert.True(records.TryGetValue(seq, out var found), $"acknowledged record {seq} lost (round {round})");
                Assert.Equal(payload, found);
            }
            before = journal.LastDurableSequence;
        }
        Assert.True(JournalFiles.Segments(dir.Path).Length > 2);
    }

    private static async Task<(long Start, List<(long, string)> Acks)> RunAndKill(string dir, int minAcks)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Validium.Sequencer.CrashWriter.dll");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { helper, dir, "32", (64 << 10).ToString() }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.BaseStream;
        var text = new StringBuilder();
        var buffer = new byte[1 << 16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int lines = 0;
        try
        {
            while (lines < minAcks + 1)
            {
                int n = await stdout.ReadAsync(buffer, timeout.Token);
                if (n == 0) break;
                var chunk = Encoding.ASCII.GetString(buffer, 0, n);
                text.Append(chunk);
                lines += chunk.Count(c => c == '\n');
            }
        }
        finally
        {
            process.Kill(); // SIGKILL on Unix: no handlers, no flushing, no disposal
        }
        await process.WaitForExitAsync(timeout.Token);
        // What the child printed before it died is still in the pipe.
        int m;
        while ((m = await stdout.ReadAsync(buffer, timeout.Token)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, m));
        Assert.True(lines >= minAcks + 1, $"child stopped early: {await stderr}");
        Assert.Equal(137, process.ExitCode);

        // Only whole lines count: the last one may have been cut by the kill.
        var all = text.ToString();
        var complete = all[..(all.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        long start = long.Parse(complete[0]["start ".Length..]);
        var acks = complete.Skip(1).Select(l =>
        {
            var parts = l.Split(' ', 3);
            Assert.Equal("ack", parts[0]);
            return (long.Parse(parts[1]), parts[2]);
        }).ToList();
        Assert.True(acks.Count >= minAcks);
        return (start, acks);
    }
}
