using System.Threading.Channels;
using Validium.Exchange;
using Validium.Exchange.Simulation;

namespace Validium.Sequencer.Tests;

/// <summary>A generated exchange stream: setup, the book fill, then the mix with oracle commits; and what a plain engine makes of it.</summary>
internal sealed class ExchangeStream
{
    public readonly EngineConfig Config;
    public readonly List<Command> Commands = [];

    public ExchangeStream(int accounts, ulong seed, int count, int oracleEvery)
    {
        Config = new EngineConfig { MaxAccounts = accounts, OrderCapacity = accounts * OrderFlow.OrdersPerAccount };
        Commands.AddRange(OrderFlow.SetupCommands(accounts));
        var generator = OrderFlow.CreateMarket(accounts, Config.OrderCapacity, new EventLog());
        var flow = new OrderFlow(generator, accounts, seed, oracleEvery);
        while (Commands.Count < count)
        {
            var c = flow.Next(out _);
            generator.Execute(c);
            generator.Events.Clear();
            Commands.Add(c);
        }
    }

    /// <summary>The reference: each command executed directly on an engine, its outcome and events, and the state hash after each.</summary>
    public (List<ExchangeApplied> Applied, byte[] Hash) Reference(int count)
    {
        var engine = new Engine(Config);
        var applied = new List<ExchangeApplied>();
        foreach (var c in Commands.Take(count))
        {
            engine.Events.Clear();
            var o = engine.Execute(c);
            applied.Add(new ExchangeApplied(o, engine.Events.Events.ToArray()));
        }
        return (applied, engine.StateHash());
    }
}

public class ExchangeSequencerTests
{
    private static SequencerOptions Options(TempDir dir) => new() { Directory = dir.Path, SnapshotEvery = 1500, SegmentBytes = 64 << 10 };

    private static async Task<List<SequencedOutput<ExchangeApplied>>> Take(ChannelReader<SequencedOutput<ExchangeApplied>> reader, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var list = new List<SequencedOutput<ExchangeApplied>>();
        while (list.Count < count) list.Add(await reader.ReadAsync(timeout.Token));
        return list;
    }

    private static void SameAsReference(IEnumerable<SequencedOutput<ExchangeApplied>> outputs, List<ExchangeApplied> reference, bool replayed)
    {
        foreach (var o in outputs)
        {
            var expected = reference[(int)o.Sequence - 1];
            Assert.Equal(replayed, o.Replayed);
            Assert.Null(o.Events.Malformed);
            Assert.Equal(expected.Outcome, o.Events.Outcome);
            Assert.Equal(expected.Events, o.Events.Events);
        }
    }

    [Fact]
    public async Task A_restart_from_snapshot_and_journal_gives_the_same_state_and_the_same_events()
    {
        var stream = new ExchangeStream(accounts: 40, seed: 11, count: 7000, oracleEvery: 400);
        int first = 5000;
        var (reference, _) = stream.Reference(stream.Commands.Count);
        using var dir = new TempDir();

        var handler = new ExchangeHandler(stream.Config);
        await using (var sequencer = Sequencer<ExchangeApplied>.Start(Options(dir), handler))
        {
            await sequencer.Replayed;
            var acks = stream.Commands.Take(first).Select(c => sequencer.SubmitAsync(c)).ToList();
            Assert.Equal(Enumerable.Range(1, first).Select(i => (long)i), await Task.WhenAll(acks));
            SameAsReference(await Take(sequencer.Output, first), reference, replayed: false);
        }
        var (_, hashAtFirst) = stream.Reference(first);
        Assert.Equal(hashAtFirst, handler.Engine.StateHash());
        Assert.Contains(reference.Take(first), r => r.Events.Any(e => e.Kind == EventKind.Trade));
        Assert.Contains(reference.Take(first), r => r.Events.Any(e => e.Kind == EventKind.FundingPayment));

        var restarted = new ExchangeHandler(stream.Config);
        await using (var sequencer = Sequencer<ExchangeApplied>.Start(Options(dir), restarted))
        {
            await sequencer.Replayed;
            // The newest snapshot is at 4500: the 500 commands after it come back replayed, with the events they had.
            var replayed = await Take(sequencer.Output, first - 4500);
            Assert.Equal(4501, replayed[0].Sequence);
            SameAsReference(replayed, reference, replayed: true);
            Assert.Equal(hashAtFirst, restarted.Engine.StateHash());

            var rest = stream.Commands.Skip(first).Select(c => sequencer.SubmitAsync(c)).ToList();
            await Task.WhenAll(rest);
            SameAsReference(await Take(sequencer.Output, rest.Count), reference, replayed: false);
        }
        Assert.Equal(stream.Reference(stream.Commands.Count).Hash, restarted.Engine.StateHash());
    }

    [Fact]
    public async Task A_round_longer_than_the_stack_buffer_is_journaled_whole()
    {
        var stream = new ExchangeStream(accounts: 4, seed: 3, count: 50, oracleEvery: 0);
        using var dir = new TempDir();
        var handler = new ExchangeHandler(stream.Config);
        var round = Command.OracleRound(0, [new IndexMark(0, 1)], [.. Enumerable.Range(100, 12).Select(i => new OptionMark(i, 1, 0, 0))]);
        Assert.True(CommandCodec.Length(round) > 256);
        await using var sequencer = Sequencer<ExchangeApplied>.Start(Options(dir), handler);
        await sequencer.SubmitAsync(round with { Time = 1 });
        var applied = Assert.Single(await Take(sequencer.Output, 1));
        Assert.Null(applied.Events.Malformed);
        Assert.Equal(RejectCode.UnknownInstrument, applied.Events.Outcome.Code);
    }

    [Fact]
    public async Task Malformed_payloads_change_nothing_and_say_why_also_on_replay()
    {
        var stream = new ExchangeStream(accounts: 10, seed: 2, count: 600, oracleEvery: 0);
        using var dir = new TempDir();
        var handler = new ExchangeHandler(stream.Config);
        byte[] hash;
        await using (var sequencer = Sequencer<ExchangeApplied>.Start(Options(dir), handler))
        {
            await Task.WhenAll(stream.Commands.Select(c => sequencer.SubmitAsync(c)));
            await Take(sequencer.Output, stream.Commands.Count);
            hash = handler.Engine.StateHash();
            var good = CommandCodec.Encode(stream.Commands[^1] with { Time = handler.Engine.Time });
            await sequencer.SubmitAsync(new byte[] { 1, 2, 3 }, handler.Engine.Time);
            await sequencer.SubmitAsync(good, handler.Engine.Time + 5);
            var bad = await Take(sequencer.Output, 2);
            Assert.All(bad, o => Assert.Equal(RejectCode.MalformedCommand, o.Events.Outcome.Code));
            Assert.All(bad, o => Assert.Empty(o.Events.Events));
            Assert.Contains("shorter than any command", bad[0].Events.Malformed);
            Assert.Contains("differs from its journal timestamp", bad[1].Events.Malformed);
            Assert.Equal(hash, handler.Engine.StateHash());
        }
        var restarted = new ExchangeHandler(stream.Config);
        await using (var sequencer = Sequencer<ExchangeApplied>.Start(new SequencerOptions { Directory = dir.Path }, restarted))
        {
            await sequencer.Replayed;
            var all = await Take(sequencer.Output, stream.Commands.Count + 2);
            Assert.Equal(2, all.Count(o => o.Events.Malformed is not null));
            Assert.Equal(hash, restarted.Engine.StateHash());
        }
    }
}
