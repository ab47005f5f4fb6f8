using System.Diagnostics;
using System.Text;
using Validium.Exchange;
using Validium.Sequencer.CrashWriter;

namespace Validium.Sequencer.Tests;

/// <summary>
/// A real crash of the sequenced exchange: a child process runs the order flow through the sequencer and prints
/// each command once acknowledged and each event digest once applied; SIGKILL stops it mid-stream, twice (the second
/// run resumes from the first one's snapshot and journal). After each kill the directory, restarted in-process from
/// snapshot + journal, must hold every acknowledged command and equal a fresh replay of the journal from an empty
/// engine, event for event.
/// </summary>
public class ExchangeKillTests
{
    private const int Accounts = 30;

    [SkippableFact]
    public async Task Every_acknowledged_command_survives_kill_9_and_replays_to_the_same_state()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGKILL is a POSIX signal");
        using var dir = new TempDir();
        var acked = new Dictionary<long, string>();
        var applied = new Dictionary<long, string>();
        long before = 0;
        for (int round = 0; round < 2; round++)
        {
            var run = await RunAndKill(dir.Path, minAcks: 2500, seed: 17);
            Assert.Equal(before, run.Start);
            foreach (var (seq, hex) in run.Acks) acked.Add(seq, hex);
            foreach (var (seq, digest) in run.Applied) applied.Add(seq, digest);

            // Restart as a node would: newest snapshot, then the journal after it.
            var handler = new ExchangeHandler(ExchangeCrash.Config(Accounts));
            var replayedDigests = new Dictionary<long, string>();
            byte[] restartedHash;
            await using (var sequencer = Sequencer<ExchangeApplied>.Start(ExchangeCrash.Options(dir.Path), handler))
            {
                await sequencer.Replayed;
                while (sequencer.Output.TryRead(out var o)) replayedDigests.Add(o.Sequence, EventDigest.Of(o.Events));
                Assert.True(sequencer.LastApplied > replayedDigests.Count, "the restart should begin from a snapshot, not from the first command");
                restartedHash = handler.Engine.StateHash();
                before = sequencer.LastApplied;
            }

            // Everything journaled, read back directly; every acknowledged command is there byte for byte.
            List<(long Seq, long Ts, byte[] Payload)> records;
            using (var journal = Journal.Journal.Open(new Journal.JournalOptions { Directory = Path.Combine(dir.Path, "journal") }))
                records = journal.ReadFrom(0).Select(r => (r.Sequence, r.Timestamp, r.Payload.ToArray())).ToList();
            Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Seq));
            Assert.Equal(before, records.Count);
            var bySeq = records.ToDictionary(r => r.Seq);
            foreach (var (seq, hex) in acked)
            {
                Assert.True(bySeq.TryGetValue(seq, out var r), $"acknowledged command {seq} lost (round {round})");
                Assert.Equal(hex, Convert.ToHexString(r.Payload));
            }

            // A fresh engine replaying the journal: same state as the restart, same events as the child and the restart saw.
            var engine = new Engine(ExchangeCrash.Config(Accounts));
            var fresh = new Dictionary<long, string>();
            var nonces = new Dictionary<int, long>();
            foreach (var (seq, ts, payload) in records)
            {
                var c = CommandCodec.Decode(payload);
                Assert.Equal(ts, c.Time);
                engine.Events.Clear();
                var outcome = engine.Execute(c);
                fresh[seq] = EventDigest.Of(new ExchangeApplied(outcome, engine.Events.Events.ToArray()));
                if (acked.ContainsKey(seq) && outcome.Accepted && c.Kind is CommandKind.Place or CommandKind.Amend or CommandKind.Cancel)
                    nonces[c.Account] = Math.Max(nonces.GetValueOrDefault(c.Account), c.Nonce);
            }
            Assert.Equal(engine.StateHash(), restartedHash);
            foreach (var (seq, digest) in applied) Assert.Equal(fresh[seq], digest);
            foreach (var (seq, digest) in replayedDigests) Assert.Equal(fresh[seq], digest);
            // The acknowledged trader commands took effect: each account's nonce has reached its last acknowledged one.
            Assert.NotEmpty(nonces);
            foreach (var (account, nonce) in nonces) Assert.True(handler.Engine.Account(account).Nonce >= nonce);
        }
    }

    private sealed record Run(long Start, List<(long, string)> Acks, List<(long, string)> Applied);

    private static async Task<Run> RunAndKill(string dir, int minAcks, ulong seed)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Validium.Sequencer.CrashWriter.dll");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { helper, "exchange", dir, Accounts.ToString(), seed.ToString() }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.BaseStream;
        var text = new StringBuilder();
        var buffer = new byte[1 << 16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        int acks = 0, applied = 0;
        // The restart must find a snapshot: one is saved before the command after it is applied, so wait for that
        // command too; under load the apply thread can trail the acknowledgements by more than the interval.
        long snapshotEvery = ExchangeCrash.Options(dir).SnapshotEvery;
        try
        {
            while (acks < minAcks || applied <= snapshotEvery)
            {
                int n = await stdout.ReadAsync(buffer, timeout.Token);
                if (n == 0) break;
                var chunk = Encoding.ASCII.GetString(buffer, 0, n);
                text.Append(chunk);
                acks += CountOf(chunk, "ack ");
                applied += CountOf(chunk, "applied ");
            }
        }
        finally
        {
            process.Kill(); // SIGKILL on Unix: no handlers, no flushing, no disposal
        }
        await process.WaitForExitAsync(timeout.Token);
        int m;
        while ((m = await stdout.ReadAsync(buffer, timeout.Token)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, m));
        Assert.True(acks >= minAcks && applied > snapshotEvery, $"child stopped early: {await stderr}");
        Assert.Equal(137, process.ExitCode);

        // Only whole lines count: the last one may have been cut by the kill.
        var all = text.ToString();
        var lines = all[..(all.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        long start = long.Parse(lines[0]["start ".Length..]);
        var ackList = new List<(long, string)>();
        var appliedList = new List<(long, string)>();
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split(' ');
            Assert.Equal(3, parts.Length);
            var list = parts[0] switch { "ack" => ackList, "applied" => appliedList, _ => throw new InvalidDataException(line) };
            list.Add((long.Parse(parts[1]), parts[2]));
        }
        return new Run(start, ackList, appliedList);
    }

    private static int CountOf(string s, string what)
    {
        int count = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
