using System.Diagnostics;
using Validium.Exchange;
using Validium.Exchange.Simulation;
using Validium.Sequencer;

namespace Validium.Bench;

/// <summary>
/// Exchange commands through the whole sequencer: canonical encoding, journal group commit (fsync per batch),
/// then decode and apply on the engine's thread. One producer submits the generated stream in order (the stream's
/// nonces and client ids must reach the engine in the order generated) with up to --window commands awaiting their
/// acknowledgement. Reports acknowledged (durable) commands/s, applied commands/s, fsyncs/s and batch size; checks
/// first that the sequenced engine ends in the state a plain engine reaches on the same stream.
/// Usage: exchange-journal [--orders N] [--accounts A] [--window W] [--oracle-every K] [--dir DIR]
/// </summary>
internal static class ExchangeJournalThroughput
{
    public static async Task<int> Run(string[] args)
    {
        int orders = Arg(args, "--orders", 1_000_000), accounts = Arg(args, "--accounts", 2_000), window = Arg(args, "--window", 4096);
        int oracleEvery = Arg(args, "--oracle-every", 250_000);
        var dir = ArgText(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "vld-exchange-journal-" + Guid.NewGuid().ToString("N"));
        bool ownDir = ArgText(args, "--dir") is null;
        try
        {
            var config = new EngineConfig { MaxAccounts = accounts, OrderCapacity = accounts * OrderFlow.OrdersPerAccount };
            var reference = new Engine(config);
            var payloads = new List<(byte[] Bytes, long Time)>();
            foreach (var c in OrderFlow.SetupCommands(accounts))
            {
                reference.Execute(c);
                payloads.Add((CommandCodec.Encode(c), c.Time));
            }
            var flow = new OrderFlow(reference, accounts, 1, oracleEvery);
            while (payloads.Count < orders)
            {
                var c = flow.Next(out _);
                reference.Execute(c);
                reference.Events.Clear();
                payloads.Add((CommandCodec.Encode(c), c.Time));
            }
            long bytes = payloads.Sum(p => (long)p.Bytes.Length);

            var handler = new ExchangeHandler(config);
            var sequencer = Sequencer<ExchangeApplied>.Start(new SequencerOptions { Directory = dir, OutputCapacity = 1 << 20 }, handler);
            await sequencer.Replayed;
            long appliedCount = 0, trades = 0;
            var consumer = Task.Run(async () =>
            {
                await foreach (var o in sequencer.Output.ReadAllAsync())
                {
                    foreach (var e in o.Events.Events)
                        if (e.Kind == EventKind.Trade) trades++;
                    if (++appliedCount == payloads.Count) return;
                }
            });
            var before = sequencer.JournalStatistics;
            var pending = new Queue<Task<long>>(window);
            var sw = Stopwatch.StartNew();
            foreach (var (payload, time) in payloads)
            {
                pending.Enqueue(sequencer.SubmitAsync(payload, time));
                if (pending.Count >= window) await pending.Dequeue();
            }
            while (pending.Count > 0) await pending.Dequeue();
            var acked = sw.Elapsed;
            await consumer;
            var applied = sw.Elapsed;
            var after = sequencer.JournalStatistics;
            await sequencer.DisposeAsync();
            if (!handler.Engine.StateHash().AsSpan().SequenceEqual(reference.StateHash()))
                throw new InvalidOperationException("the sequenced engine's state differs from the plain engine's on the same stream");

            long fsyncs = after.Fsyncs - before.Fsyncs, batches = after.Batches - before.Batches;
            Console.WriteLine($"{payloads.Count:N0} exchange commands ({bytes / (double)payloads.Count:F1} bytes each encoded, {trades:N0} trades), " +
                $"{accounts:N0} accounts, window {window:N0}, dir {dir}");
            Console.WriteLine($"acknowledged (durable) commands/s  {payloads.Count / acked.TotalSeconds,12:N0}");
            Console.WriteLine($"applied commands/s                 {payloads.Count / applied.TotalSeconds,12:N0}");
            Console.WriteLine($"fsyncs/s                           {fsyncs / acked.TotalSeconds,12:N0}");
            Console.WriteLine($"mean batch (records)               {(double)(after.Records - before.Records) / batches,12:N1}");
            Console.WriteLine("state hash equals a plain engine's on the same stream");
            return 0;
        }
        finally
        {
            if (ownDir && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static int Arg(string[] args, string name, int fallback) =>
        ArgText(args, name) is { } v ? int.TryParse(v, out int n) && n >= 0 ? n : throw new ArgumentException($"{name} needs a non-negative integer") : fallback;

    private static string? ArgText(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
