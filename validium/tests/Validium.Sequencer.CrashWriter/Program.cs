using System.Text;
using Validium.Sequencer.CrashWriter;
using Validium.Sequencer.Journal;

if (args.Length > 0 && args[0] == "exchange") return await ExchangeCrash.Run(args[1..]);

// Appends from many producers until killed, printing "ack <seq> <payload>" only after each append is acknowledged,
// so the kill -9 test can check that every acknowledged record survives. Usage: <dir> <producers> <segment bytes>
// (or "exchange ...": the exchange behind the sequencer, see ExchangeCrash).
if (args.Length != 3 || !int.TryParse(args[1], out int producers) || !long.TryParse(args[2], out long segmentBytes))
{
    Console.Error.WriteLine("usage: Validium.Sequencer.CrashWriter <dir> <producers> <segment bytes>");
    return 2;
}
using var journal = Journal.Open(new JournalOptions { Directory = args[0], SegmentBytes = segmentBytes });
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
var writeLock = new object();
lock (writeLock) stdout.WriteLine($"start {journal.LastDurableSequence}");
var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
{
    for (long i = 0; ; i++)
    {
        var payload = $"producer {p} command {i} ".PadRight(100, '.');
        long seq = await journal.AppendAsync(Encoding.ASCII.GetBytes(payload), i);
        lock (writeLock) stdout.WriteLine($"ack {seq} {payload}");
    }
})).ToArray();
await Task.WhenAll(tasks);
return 0;
