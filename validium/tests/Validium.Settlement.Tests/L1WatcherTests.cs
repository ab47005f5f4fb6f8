using System.Numerics;
using Validium.Circuits.Witness;
using Validium.Crypto;

namespace Validium.Settlement.Tests;

public sealed class L1WatcherTests(ChainNode node) : IClassFixture<ChainNode>
{
    private static async Task<List<L1Event>> TakeAsync(L1Watcher w, int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var list = new List<L1Event>();
        try
        {
            while (list.Count < count) list.Add(await w.Events.ReadAsync(cts.Token));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{list.Count} of {count} events came within a minute ({string.Join(", ", list)}); the watcher: {w.Status}");
        }
        return list;
    }

    /// <summary>SPEC.md's L1-operations chain step, Poseidon(head, word, a, b, c), computed here from the formula.</summary>
    private static Fr Step(Fr head, BigInteger word, Fr a, Fr b, Fr c) => Poseidon.Hash([head, Fr.FromBigInteger(word), a, b, c]);

    [SkippableFact]
    public async Task DeliversOperationsAndRoundsInChainOrderAndResumesAfterTheLastAcknowledgement()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        var d0 = await chain.DepositAsync(1, 1_000);
        var round = await chain.PublishRoundAsync(1);
        var d1 = await chain.DepositAsync(2, 2_000);
        var forced = await chain.ForcedWithdrawalAsync(1, 300);

        // The consumer's pattern: take an event, make it its own, acknowledge it; the watcher reads a further block
        // range only once everything it handed out is acknowledged.
        var depositWord = 1 + (d0.Depositor << 72);
        var h1 = Step(Fr.Zero, depositWord, d0.Key.X, d0.Key.Y, d0.Amount);
        var h2 = Step(h1, depositWord, d1.Key.X, d1.Key.Y, d1.Amount);
        var h3 = Step(h2, forced.Word.ToBigInteger(), forced.A, forced.B, forced.C);
        L1OperationEvent unacknowledged;
        await using (var w = chain.StartWatcher())
        {
            var op0 = Assert.IsType<L1OperationEvent>(Assert.Single(await TakeAsync(w, 1)));
            Assert.Equal(0UL, op0.Index);
            Assert.True(op0.IsDeposit);
            Assert.Equal(new QueuedDeposit(d0.Key, d0.Amount, d0.Depositor), op0.ToDeposit());
            // The head the watcher hands on is the contract's chain, recomputed here from the spec's formula.
            Assert.Equal(h1, op0.Operation.Head);
            w.Acknowledge(op0);

            var price = Assert.IsType<L1PriceEvent>(Assert.Single(await TakeAsync(w, 1)));
            Assert.Equal(round.Round, price.Round.Round);
            Assert.Equal(round.Timestamp, price.Round.Timestamp);
            Assert.Equal(round.Prices.ToArray(), price.Round.Prices.ToArray());
            w.Acknowledge(price);

            unacknowledged = Assert.IsType<L1OperationEvent>(Assert.Single(await TakeAsync(w, 1)));
            Assert.Equal(1UL, unacknowledged.Index);
            Assert.Throws<InvalidOperationException>(() => w.Acknowledge(op0));
            Assert.Equal(1UL, w.NextOperation);
        }

        // A restart with operation #1 taken but not acknowledged: it comes again, and what was acknowledged does not.
        long lastBlock;
        await using (var w = chain.StartWatcher())
        {
            var op1 = Assert.IsType<L1OperationEvent>(Assert.Single(await TakeAsync(w, 1)));
            Assert.Equal(1UL, op1.Index);
            Assert.Equal(unacknowledged.TransactionHash, op1.TransactionHash);
            Assert.Equal(new QueuedDeposit(d1.Key, d1.Amount, d1.Depositor), op1.ToDeposit());
            Assert.Equal(h2, op1.Operation.Head);
            w.Acknowledge(op1);

            var op2 = Assert.IsType<L1OperationEvent>(Assert.Single(await TakeAsync(w, 1)));
            Assert.Equal(2UL, op2.Index);
            Assert.False(op2.IsDeposit);
            Assert.Equal(forced, op2.ToForced());
            Assert.Equal(h3, op2.Operation.Head);
            Assert.True(op2.Deadline > 0);
            w.Acknowledge(op2);

            var d2 = await chain.DepositAsync(3, 3_000);
            var next = Assert.IsType<L1OperationEvent>(Assert.Single(await TakeAsync(w, 1)));
            Assert.Equal(3UL, next.Index);
            Assert.Equal(d2.Amount, next.ToDeposit().Amount);
            w.Acknowledge(next);
            lastBlock = next.Block;
            await Eventually.TrueAsync(() => w.Status.DeliveredThroughBlock >= lastBlock, "the cursor to pass the last event's block");
            var s = w.Status;
            Assert.Equal(L1WatcherState.Healthy, s.State);
            Assert.Equal(4UL, s.NextOperation);
            Assert.Equal(1UL, s.LastRound);
            Assert.NotNull(s.HeadBlock);
            Assert.True(s.Lag >= 0);
        }

        // Everything acknowledged: a restart delivers nothing again.
        await using (var w = chain.StartWatcher())
        {
            await Eventually.TrueAsync(() => w.Status.State == L1WatcherState.Healthy, "the first poll");
            await Task.Delay(500);
            Assert.False(w.Events.TryRead(out var extra), $"delivered again: {extra}");
            Assert.Equal(4UL, w.NextOperation);
        }
    }

    [SkippableFact]
    public async Task AnEventIsDeliveredOnlyUnderTheConfiguredConfirmations()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        node.Mining = false;
        try
        {
            await chain.DepositAsync(1, 1_000);
            long included = await chain.Eth.BlockNumberAsync();
            await using var w = chain.StartWatcher(confirmations: 3);
            await Eventually.TrueAsync(() => w.Status.HeadBlock == included, "the watcher to see the head");
            await Task.Delay(400);
            Assert.False(w.Events.TryRead(out _));
            Assert.True(w.Status.DeliveredThroughBlock <= included - 3);

            for (int i = 0; i < 3; i++) await chain.Rpc.CallAsync("evm_mine");
            var e = Assert.IsType<L1OperationEvent>(Assert.Single(await TakeAsync(w, 1)));
            Assert.Equal(included, e.Block);
        }
        finally
        {
            node.Mining = true;
        }
    }

    [SkippableFact]
    public async Task AMissingOperationStopsTheWatcherWithAClearError()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        await chain.DepositAsync(1, 1_000);
        long after = await chain.Eth.BlockNumberAsync() + 1;
        await chain.DepositAsync(2, 2_000);

        // Reading from after operation #0's block while expecting #0 first: #1 comes with nothing before it.
        await using var w = chain.StartWatcher(startBlock: after);
        var e = await Assert.ThrowsAsync<L1WatcherException>(() => w.Completion);
        Assert.Contains("operation #0 is missing", e.Message);
        var closed = await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () => await w.Events.ReadAsync());
        Assert.IsType<L1WatcherException>(closed.InnerException);
        Assert.Equal(L1WatcherState.Faulted, w.Status.State);
        Assert.Equal(e.Message, w.Status.LastError);
    }

    [SkippableFact]
    public async Task AReorganisationThatReplacesAnAcknowledgedOperationStopsTheWatcher()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        node.Mining = false;
        try
        {
            var snapshot = (await chain.Rpc.CallAsync("evm_snapshot")).GetString();
            await chain.DepositAsync(1, 1_000);
            await using var w = chain.StartWatcher(confirmations: 0);
            var op0 = Assert.IsType<L1OperationEvent>(Assert.Single(await TakeAsync(w, 1)));
            w.Acknowledge(op0);
            await Eventually.TrueAsync(() => w.Status.DeliveredThroughBlock >= op0.Block, "the cursor to pass the deposit's block");

            // The deposit's block is replaced by one with another deposit #0 (a fresh sender: the old one's nonce state went with the chain).
            Assert.True((await chain.Rpc.CallAsync("evm_revert", [snapshot])).GetBoolean());
            await chain.DepositAsync(1, 2_000, await chain.SenderAsync(1, "user-after-reorg"));
            await chain.Rpc.CallAsync("evm_mine");

            var e = await Assert.ThrowsAsync<L1WatcherException>(() => w.Completion);
            Assert.Contains("operation #0 was acknowledged", e.Message);
            Assert.Equal(L1WatcherState.Faulted, w.Status.State);
            Assert.Equal(1UL, w.NextOperation);
        }
        finally
        {
            node.Mining = true;
        }
    }
}
