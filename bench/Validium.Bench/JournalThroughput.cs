using System.Diagnostics;
using Validium.Sequencer.Journal;

namespace Validium.Bench;

/// <summary>
/// Acknowledged appends per second through the journal's group commit on this machine's disk, with many concurrent
/// producers each waiting for its own acknowledgement before the next append (so throughput comes only from
/// batching, not from a producer running ahead of the disk). Reports fsyncs/s, mean batch size and the
/// acknowledgement latency percentiles. A console measurement rather than BenchmarkDotNet: the figures that matter
/// are rates and a latency distribution over a sustained run, not the mean time of one call.
/// Usage: journal [--producers N] [--seconds S] [--payload BYTES] [--dir DIR]
/// </summary>
internal static class JournalThroughput
{
    public static async Task<int> Run(string[] args)
    {
        int producers = Arg(args, "--producers", 1024);
        int seconds = Arg(args, "--seconds", 10);
        int payloadBytes = Arg(args, "--payload", 100);
        var dir = ArgText(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "vld-journal-bench-" + Guid.NewGuid().ToString("N"));
        bool ownDir = ArgText(args, "--dir") is null;
        try
        {
            using var journal = Journal.Open(new JournalOptions { Directory = dir });
            var payload = new byte[payloadBytes];
            Random.Shared.NextBytes(payload);

            // Correctness before timing: what is acknowledged reads back.
            long first = await journal.AppendAsync(payload, 0);
            if (!journal.ReadFrom(first - 1).Single().Payload.Span.SequenceEqual(payload))
                throw new InvalidOperationException("journal did not read back what it acknowledged");

            await Measure(journal, payload, producers, 2); // warm-up: JIT, file growth
            var before = journal.Statistics;
            var (elapsed, latencies) = await Measure(journal, payload, producers, seconds);
            var after = journal.Statistics;

            long records = after.Records - before.Records;
            long fsyncs = after.Fsyncs - before.Fsyncs;
            long batches = after.Batches - before.Batches;
            Array.Sort(latencies);
            Console.WriteLine($"producers {producers}, payload {payloadBytes} B, {elapsed.TotalSeconds:F1} s, dir {dir}");
            Console.WriteLine($"acknowledged appends/s  {records / elapsed.TotalSeconds,12:N0}");
            Console.WriteLine($"fsyncs/s                {fsyncs / elapsed.TotalSeconds,12:N0}");
            Console.WriteLine($"mean batch (records)    {(double)records / batches,12:N1}");
            Console.WriteLine($"MB/s written            {(after.Bytes - before.Bytes) / elapsed.TotalSeconds / 1e6,12:N1}");
            Console.WriteLine($"ack latency p50/p99/max  {Pct(latencies, 0.50):F2} / {Pct(latencies, 0.99):F2} / {latencies[^1]:F2} ms");
            return 0;
        }
        finally
        {
            if (ownDir && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(TimeSpan Elapsed, double[] LatenciesMs)> Measure(Journal journal, byte[] payload, int producers, int seconds)
    {
        var until = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        var perProducer = new List<double>[producers];
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var mine = perProducer[p] = new List<double>(1 << 12);
            long t;
            while ((t = Stopwatch.GetTimestamp()) < until)
            {
                await journal.AppendAsync(payload, t);
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        })));
        sw.Stop();
        return (sw.Elapsed, [.. perProducer.SelectMany(l => l)]);
    }

    private static double Pct(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static int Arg(string[] args, string name, int fallback) =>
        ArgText(args, name) is { } v ? int.TryParse(v, out int n) && n > 0 ? n : throw new ArgumentException($"{name} needs a positive integer") : fallback;

    private static string? ArgText(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
