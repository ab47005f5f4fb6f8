using System.Diagnostics;

namespace Validium.Bench;

/// <summary>
/// How much time the machine itself takes from a busy thread: a loop that only reads the clock, counting the gaps
/// between reads. It is the floor under any latency percentile measured on this host (the exchange's p99 at an
/// offered rate cannot be lower than the stalls this loop sees).
///   dotnet bench/Validium.Bench/bin/Release/net10.0/Validium.Bench.dll jitter [--seconds 3]
/// </summary>
internal static class Jitter
{
    public static int Run(string[] args)
    {
        int seconds = 3;
        if (args is ["--seconds", var text] && int.TryParse(text, out var v) && v > 0) seconds = v;
        else if (args.Length != 0)
        {
            Console.Error.WriteLine("usage: jitter [--seconds N]   (N a positive whole number)");
            return 2;
        }
        long f = Stopwatch.Frequency, start = Stopwatch.GetTimestamp(), end = start + seconds * f, prev = start;
        long over2 = 0, over5 = 0, over20 = 0, lost20 = 0, max = 0;
        long t2 = f * 2 / 1_000_000, t5 = f * 5 / 1_000_000, t20 = f * 20 / 1_000_000;
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            if (now > end) break;
            long d = now - prev;
            prev = now;
            if (d > t2) over2++;
            if (d > t5) over5++;
            if (d > t20)
            {
                over20++;
                lost20 += d;
            }
            if (d > max) max = d;
        }
        Console.WriteLine($"{seconds} s of clock reads: gaps over 2 µs {over2}, over 5 µs {over5}, over 20 µs {over20} " +
            $"({lost20 * 1e3 / f:F1} ms in them, {over20 / (double)seconds:F0}/s), longest {max * 1e6 / f:F0} µs");
        return 0;
    }
}
