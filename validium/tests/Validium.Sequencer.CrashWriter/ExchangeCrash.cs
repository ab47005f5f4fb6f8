using System.Text;
using Validium.Exchange;
using Validium.Exchange.Simulation;

namespace Validium.Sequencer.CrashWriter;

/// <summary>
/// The exchange behind the sequencer until killed: resumes from whatever the directory holds, submits a generated
/// order flow (the setup first, on an empty journal), and prints "ack &lt;seq&gt; &lt;payload hex&gt;" once a command is
/// acknowledged and "applied &lt;seq&gt; &lt;event digest&gt;" once it has been applied. Usage: exchange &lt;dir&gt; &lt;accounts&gt; &lt;seed&gt;
/// </summary>
public static class ExchangeCrash
{
    public static SequencerOptions Options(string dir) =>
        new() { Directory = dir, SnapshotEvery = 1000, SegmentBytes = 64 << 10, PruneJournal = false };

    public static EngineConfig Config(int accounts) => new() { MaxAccounts = accounts, OrderCapacity = accounts * OrderFlow.OrdersPerAccount };

    public static async Task<int> Run(string[] args)
    {
        if (args.Length != 3 || !int.TryParse(args[1], out int accounts) || !ulong.TryParse(args[2], out ulong seed))
        {
            Console.Error.WriteLine("usage: Validium.Sequencer.CrashWriter exchange <dir> <accounts> <seed>");
            return 2;
        }
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        var writeLock = new object();
        var handler = new ExchangeHandler(Config(accounts));
        await using var sequencer = Sequencer<ExchangeApplied>.Start(Options(args[0]), handler);
        var consumer = Task.Run(async () =>
        {
            await foreach (var o in sequencer.Output.ReadAllAsync())
                if (!o.Replayed)
                    lock (writeLock) stdout.WriteLine($"applied {o.Sequence} {EventDigest.Of(o.Events)}");
        });
        await sequencer.Replayed;
        long resumed = sequencer.LastApplied;
        lock (writeLock) stdout.WriteLine($"start {resumed}");

        // The generator reads engine state, so it runs on its own copy of the sequenced engine.
        Engine generator;
        var setup = new List<Command>();
        if (resumed == 0)
        {
            generator = new Engine(Config(accounts));
            setup = OrderFlow.SetupCommands(accounts);
        }
        else generator = Engine.Restore(handler.Engine.Snapshot());
        foreach (var c in setup) generator.Execute(c);
        // Client ids never repeat across restarts: no earlier run generated more commands than the journal holds.
        var flow = new OrderFlow(generator, accounts, seed ^ (ulong)resumed, oracleEvery: 300, firstClientId: resumed + 1);
        var pending = new Queue<(Task<long> Ack, string Hex)>();
        int next = 0;
        while (true)
        {
            Command command;
            if (next < setup.Count) command = setup[next++];
            else
            {
                command = flow.Next(out _);
                generator.Execute(command);
            }
            generator.Events.Clear();
            var bytes = CommandCodec.Encode(command);
            pending.Enqueue((sequencer.SubmitAsync(bytes, command.Time), Convert.ToHexString(bytes)));
            if (pending.Count < 64) continue;
            var (ack, hex) = pending.Dequeue();
            long seq = await ack;
            lock (writeLock) stdout.WriteLine($"ack {seq} {hex}");
            if (consumer.IsCompleted) await consumer;
        }
    }
}
