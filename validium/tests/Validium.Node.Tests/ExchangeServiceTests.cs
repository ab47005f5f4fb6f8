using Validium.Batcher;
using Validium.Exchange;
using Validium.Node.Exchange;
using Validium.State;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests;

public class ExchangeServiceTests
{
    [Fact]
    public async Task SignedOrdersTradeAndThePipelineProvesTheBatchesTheyMake()
    {
        await using var h = await Harness.StartAsync();
        await h.OpenAsync();
        var sell = Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 50_000, 15));
        var buy = Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 50_010, 15, OrderType.Ioc));
        Assert.True(buy.Sequence > sell.Sequence);

        // The trade fills the circuit's one trade slot: batch 1 is cut by size with the three deposits before it.
        var first = Assert.Single(await h.ReleasedAsync(1));
        AssertVerifies(first);
        Assert.Equal(CutReason.Size, first.Reason);
        Assert.Equal([0UL, 1UL, 2UL], first.Deposits.Select(d => d.Account));
        var trade = Assert.Single(first.Trades);
        Assert.Equal(Side.Buy, trade.Taker.Order.Side);
        Assert.Equal(2, trade.Taker.Order.Account);
        Assert.Equal(1, trade.Maker.Order.Account);
        Assert.Equal(15, trade.Lots);
        Assert.Equal(50_000 * Usd / Btc.TickSize, trade.PriceTicks);

        // Maker's price; notional 0.015 BTC x 50,000 = 750 USD: the taker pays 500 ppm, the maker gets 100 ppm back.
        var view = h.Exchange.View;
        Assert.Equal(100_000 * Usd - 375_000, view.Accounts[2].Summary.Collateral);
        Assert.Equal(100_000 * Usd + 75_000, view.Accounts[1].Summary.Collateral);
        Assert.Equal(new PositionView(0, 15 * Btc.LotSize, 750 * Usd), Assert.Single(view.Accounts[2].Positions));
        Assert.Equal(-15 * Btc.LotSize, Assert.Single(view.Accounts[1].Positions).Quantity);
        Assert.Equal(new GreeksView(0, 15 * Btc.LotSize, 0), Assert.Single(view.Accounts[2].Greeks));
        var tape = Assert.Single(view.RecentTrades);
        Assert.Equal((50_000 * Usd, 15 * Btc.LotSize, 2, 1), (tape.Price, tape.Quantity, tape.Taker, tape.Maker));
        Assert.True(Assert.Single(view.Accounts[1].Fills).Maker);

        var withdrawal = Accepted(await h.Exchange.WithdrawAsync(Withdrawal(1, 1, 1_000, signer: 1)));
        var second = Assert.Single(await h.ReleasedAsync(1));
        AssertVerifies(second);
        var w = Assert.Single(second.Withdrawals);
        Assert.Equal((1UL, 1UL, (ulong)(1_000 * Usd)), (w.Account, w.Nonce, w.Amount));
        Assert.Equal(first.PublicInputs[1], second.PublicInputs[0]);
        Assert.Equal(new StreamPosition(withdrawal.Sequence, 0), second.Through);
        Assert.Equal(1UL, h.Exchange.View.Accounts[1].WithdrawalNonce);
    }

    [Fact]
    public async Task AnAmendedOrderTradesAtItsNewPriceAndTheBatchIsProvenFromTheAmend()
    {
        await using var h = await Harness.StartAsync();
        await h.OpenAsync();
        var placed = Order(1, 1, Side.Sell, 50_000, 15);
        Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 50_000, 15));

        // An amend must carry the order as it rests: another side is journaled and refused.
        var wrong = Command.AmendOf(placed, 0, 2, 49_990 * Usd, 10 * Btc.LotSize) with { Side = Side.Buy };
        Assert.Equal(nameof(RejectCode.AmendMismatch), (await h.Exchange.AmendAsync(wrong, OrderSigning.Sign(wrong, PrivateKey(1)))).Code);

        // Below the place's limit of 50,000: a trade only the amend allows.
        var amend = Command.AmendOf(placed, 0, 3, 49_990 * Usd, 10 * Btc.LotSize);
        Accepted(await h.Exchange.AmendAsync(amend, OrderSigning.Sign(amend, PrivateKey(1))));
        var open = Assert.Single(h.Exchange.View.Accounts[1].OpenOrders);
        Assert.Equal((49_990 * Usd, 10 * Btc.LotSize), (open.Price, open.Quantity));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 49_990, 10, OrderType.Ioc));

        var batch = Assert.Single(await h.ReleasedAsync(1));
        AssertVerifies(batch);
        var trade = Assert.Single(batch.Trades);
        Assert.Equal(CommandKind.Amend, trade.Maker.Order.Kind);
        Assert.Equal(OrderSigning.Hash(amend with { Time = trade.Maker.Order.Time }), trade.Maker.Hash);
        Assert.Equal((10, 49_990 * Usd / Btc.TickSize), (trade.Lots, trade.PriceTicks));
    }

    [Fact]
    public async Task AnOrderCancelledWithoutTradingFreesItsFillSlotAndAnOrderThatTradedKeepsIt()
    {
        await using var h = await Harness.StartAsync();
        await h.OpenAsync();
        // 300 quotes placed and cancelled in turn over 2^8 fill slots: some share a slot with an earlier one.
        var slots = new HashSet<ulong>();
        int shared = 0;
        for (long n = 1; n <= 300; n++)
        {
            if (!slots.Add(OrderFillLeaf.Slot(OrderSigning.Hash(Order(1, 2 * n - 1, Side.Sell, 50_500, 1)), Config.FillDepth))) shared++;
            Accepted(await h.PlaceSignedAsync(1, 2 * n - 1, Side.Sell, 50_500, 1));
            var cancel = Command.Cancel(0, 1, 2 * n, 2 * n - 1);
            Accepted(await h.Exchange.CancelAsync(cancel, OrderSigning.Sign(cancel, PrivateKey(1))));
        }
        Assert.True(shared > 40, $"only {shared} quotes shared a slot");

        // A maker partly filled, then cancelled, keeps its slot: its leaf holds its hash and fill.
        var maker = Order(1, 1_001, Side.Sell, 50_000, 15);
        Accepted(await h.PlaceSignedAsync(1, 1_001, Side.Sell, 50_000, 15));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 50_010, 5, OrderType.Ioc));
        var cancelMaker = Command.Cancel(0, 1, 1_002, 1_001);
        Accepted(await h.Exchange.CancelAsync(cancelMaker, OrderSigning.Sign(cancelMaker, PrivateKey(1))));
        ulong makerSlot = OrderFillLeaf.Slot(OrderSigning.Hash(maker), Config.FillDepth);
        long nonce = 2;
        while (OrderFillLeaf.Slot(OrderSigning.Hash(Order(2, nonce, Side.Buy, 49_000, 1)), Config.FillDepth) != makerSlot) nonce++;
        var refused = await h.PlaceSignedAsync(2, nonce, Side.Buy, 49_000, 1);
        Assert.Equal(AckCodes.FillSlotTaken, refused.Code);
    }

    [Fact]
    public async Task ARestartReplaysToTheSameStateAndBatchesAndACleanReplayMakesTheSameBatches()
    {
        await using var h = await Harness.StartAsync();
        await h.OpenAsync();
        Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 50_000, 15));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 50_010, 15, OrderType.Ioc));
        Accepted(await h.PlaceSignedAsync(1, 2, Side.Sell, 51_000, 5));
        var last = Accepted(await h.Exchange.WithdrawAsync(Withdrawal(2, 7, 500, signer: 2)));
        await h.Exchange.WaitFedAsync(last.Sequence);
        await h.Pipeline.FlushAsync();
        var hash = h.Exchange.StateHash();
        var before = h.Exchange.View;
        var batches = h.Store.List();
        Assert.Equal([1UL, 2UL], batches);

        await h.RestartAsync();
        Assert.Equal(hash, h.Exchange.StateHash());
        var after = h.Exchange.View;
        Assert.Equal(before.Sequence, after.Sequence);
        foreach (var (id, account) in before.Accounts)
        {
            Assert.Equal(account.Summary, after.Accounts[id].Summary);
            Assert.Equal(account.OpenOrders.ToArray(), after.Accounts[id].OpenOrders.ToArray());
            Assert.Equal(account.WithdrawalNonce, after.Accounts[id].WithdrawalNonce);
        }
        Assert.Equal(before.Books[0].Asks.ToArray(), after.Books[0].Asks.ToArray());
        Assert.Equal(before.Books[0].Bids.ToArray(), after.Books[0].Bids.ToArray());
        Assert.Equal(new StreamPosition(last.Sequence, 0), h.Pipeline.ResumeAfter);
        await h.Pipeline.FlushAsync();
        Assert.Equal(batches, h.Store.List());

        // The node goes on where it stopped: nonces, L1 operation indexes and batch numbers continue.
        Assert.Equal(AckCodes.Duplicate, (await h.Exchange.DepositAsync(new L1Deposit(2, PublicKey(2), Usd, Address(2)))).Code);
        Assert.Equal(nameof(RejectCode.BadNonce), (await h.PlaceSignedAsync(1, 2, Side.Sell, 52_000, 1)).Code);
        var deposit = Accepted(await h.Exchange.DepositAsync(new L1Deposit(3, PublicKey(3), 10_000 * Usd, Address(3))));
        Assert.Equal(3, deposit.Account);
        await h.Exchange.WaitFedAsync(deposit.Sequence);
        await h.Pipeline.FlushAsync();
        Assert.Equal([1UL, 2UL, 3UL], h.Store.List());
        var records = h.Store.List().Select(h.Store.Read).ToList();
        Assert.Equal(records[1].PublicInputs[1], records[2].PublicInputs[0]);
        var finalHash = h.Exchange.StateHash();
        await h.StopAsync();

        // A clean replay: the same journal on a fresh batch directory cuts batches with the same public inputs.
        await using var replay = await Harness.StartAsync(Copy(h.SequencerDir));
        Assert.Equal(finalHash, replay.Exchange.StateHash());
        await replay.Pipeline.FlushAsync();
        var replayed = replay.Store.List().Select(replay.Store.Read).ToList();
        Assert.Equal(records.Select(r => r.Number), replayed.Select(r => r.Number));
        for (int i = 0; i < records.Count; i++) Assert.Equal(records[i].PublicInputs.ToArray(), replayed[i].PublicInputs.ToArray());
    }

    /// <summary>A new harness directory holding a copy of a journal.</summary>
    private static string Copy(string sequencerDir)
    {
        var dir = Directory.CreateTempSubdirectory("validium-node-replay-").FullName;
        var journal = Path.Combine(dir, "sequencer", "journal");
        Directory.CreateDirectory(journal);
        foreach (var f in Directory.GetFiles(Path.Combine(sequencerDir, "journal"))) File.Copy(f, Path.Combine(journal, Path.GetFileName(f)));
        return dir;
    }

    [Fact]
    public async Task BadSignaturesAndMalformedCommandsAreRefusedWithAReasonAndLoseNothing()
    {
        await using var h = await Harness.StartAsync();
        await h.OpenAsync();
        var good = Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 50_000, 3));
        long applied = h.Exchange.LastApplied;

        var order = Order(1, 2, Side.Sell, 50_100, 1);
        var forged = await h.Exchange.PlaceAsync(order, Validium.Exchange.OrderSigning.Sign(order, PrivateKey(2)));
        Assert.Equal((0L, false, AckCodes.BadSignature), (forged.Sequence, forged.Accepted, forged.Code));
        Assert.Contains("account 1", forged.Message);

        var badSide = order with { Side = (Side)9 };
        var malformed = await h.Exchange.PlaceAsync(badSide, Validium.Exchange.OrderSigning.Sign(badSide, PrivateKey(1)));
        Assert.Equal((0L, AckCodes.Malformed), (malformed.Sequence, malformed.Code));
        Assert.Contains("side", malformed.Message, StringComparison.OrdinalIgnoreCase);

        var amend = Command.AmendOf(Order(1, 1, Side.Sell, 50_000, 3), 0, 3, 50_200 * Usd, 2 * Btc.LotSize);
        Assert.Equal(AckCodes.BadSignature, (await h.Exchange.AmendAsync(amend, Validium.Exchange.OrderSigning.Sign(amend, PrivateKey(2)))).Code);
        Assert.Equal(AckCodes.BadSignature, (await h.Exchange.WithdrawAsync(Withdrawal(1, 1, 10, signer: 2))).Code);
        Assert.Equal(AckCodes.BadNonce, (await h.Exchange.WithdrawAsync(Withdrawal(1, 0, 10, signer: 1))).Code);
        Assert.Equal(applied, h.Exchange.LastApplied);

        // What can only be judged in order is journaled and refused when applied, the same way on every replay.
        var unknown = await h.PlaceSignedAsync(9, 1, Side.Buy, 50_000, 1);
        Assert.Equal((false, nameof(RejectCode.UnknownAccount)), (unknown.Accepted, unknown.Code));
        Assert.True(unknown.Sequence > applied);
        var cancelForged = Command.Cancel(0, 1, 5, 1);
        Assert.Equal(AckCodes.BadSignature, (await h.Exchange.CancelAsync(cancelForged, Validium.Exchange.OrderSigning.Sign(cancelForged, PrivateKey(1)) with { S = 1 })).Code);

        var next = Accepted(await h.PlaceSignedAsync(1, 2, Side.Sell, 50_100, 1));
        await h.RestartAsync();
        var orders = h.Exchange.View.Accounts[1].OpenOrders;
        Assert.Equal([good.OrderId, next.OrderId], orders.Select(o => o.OrderId));
        Assert.Equal(2, h.Exchange.View.Accounts[1].Summary.Nonce);
        Assert.False(h.Exchange.View.Accounts.ContainsKey(9));
    }

    [Fact]
    public void AJournalRecordThatIsNotACommandIsRefusedWhenAppliedAndChangesNothing()
    {
        var view = new ViewBuilder(5, 5, 5);
        var handler = new ExchangeJournalHandler(new EngineConfig { MaxAccounts = 15 }, Config, null, view);
        var before = handler.Engine.StateHash();
        foreach (var (payload, reason) in new (byte[], string)[]
        {
            ([], "header"), ([2, 1], "version 2"), ([NodeCommandCodec.Version, 99], "unknown command kind 99"), ([NodeCommandCodec.Version, 3, 1, 2], "truncated"),
        })
        {
            var applied = handler.Apply(1, 1_000, payload);
            Assert.Equal((false, AckCodes.Malformed), (applied.Ack.Accepted, applied.Ack.Code));
            Assert.Contains(reason, applied.Ack.Message);
            Assert.False(applied.HasOperations);
        }
        Assert.Equal(before, handler.Engine.StateHash());
    }

    [Fact]
    public async Task ReadsAndSubscriptionsFollowTheBookTradesAndAccounts()
    {
        await using var h = await Harness.StartAsync();
        using var book = h.Exchange.SubscribeBook(0);
        using var trades = h.Exchange.SubscribeTrades();
        using var account = h.Exchange.SubscribeAccount(1);
        await h.OpenAsync();
        Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 50_000, 2));
        Accepted(await h.PlaceSignedAsync(1, 2, Side.Sell, 50_100, 3));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 49_000, 4));
        var depth = h.Exchange.View.Books[0];
        Assert.Equal([new DepthLevel(50_000 * Usd, 2 * Btc.LotSize, 1), new DepthLevel(50_100 * Usd, 3 * Btc.LotSize, 1)], depth.Asks.ToArray());
        Assert.Equal([new DepthLevel(49_000 * Usd, 4 * Btc.LotSize, 1)], depth.Bids.ToArray());
        Assert.Equal(2, h.Exchange.View.Accounts[1].OpenOrders.Length);
        Assert.Equal((49_000 * Usd, 50_000 * Usd), (h.Exchange.View.Instruments[0].BestBid, h.Exchange.View.Instruments[0].BestAsk));

        Accepted(await h.PlaceSignedAsync(2, 2, Side.Buy, 50_000, 1, OrderType.Ioc));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var t = await trades.Reader.ReadAsync(cts.Token);
        Assert.Equal((50_000 * Usd, Btc.LotSize, Side.Buy, 2, 1), (t.Price, t.Quantity, t.TakerSide, t.Taker, t.Maker));
        BookDepth update;
        do update = await book.Reader.ReadAsync(cts.Token);
        while (update.Asks.Length == 0 || update.Asks[0].Quantity != Btc.LotSize);
        Assert.Equal(new DepthLevel(50_000 * Usd, Btc.LotSize, 1), update.Asks[0]);
        AccountUpdate a;
        do a = await account.Reader.ReadAsync(cts.Token);
        while (a.Fills.Length == 0);
        var fill = Assert.Single(a.Fills);
        Assert.True(fill.Maker);
        // One lot is 0.001 BTC: 50 USD notional, of which the maker gets 100 ppm back.
        Assert.Equal((Side.Sell, 1L, -5_000L), (fill.Side, fill.ClientId, fill.Fee));
        Assert.Equal(a.State!.Summary, h.Exchange.View.Accounts[1].Summary);
    }

    [Fact]
    public async Task ASubscriberThatFallsBehindIsDroppedWithAReasonAndTheExchangeGoesOn()
    {
        await using var h = await Harness.StartAsync(subscriberCapacity: 2);
        using var slow = h.Exchange.SubscribeBook(0);
        await h.OpenAsync();
        for (int i = 0; i < 4; i++) Accepted(await h.PlaceSignedAsync(1, i + 1, Side.Sell, 50_000 + 100 * i, 1));
        var received = new List<BookDepth>();
        var dropped = await Assert.ThrowsAsync<SubscriptionDroppedException>(async () =>
        {
            await foreach (var b in slow.Reader.ReadAllAsync()) received.Add(b);
        });
        Assert.Equal(2, received.Count);
        Assert.Equal(slow.DropReason, dropped.Message);
        var closed = await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () => await slow.Reader.ReadAsync());
        Assert.IsType<SubscriptionDroppedException>(closed.InnerException);
        Assert.Contains("fell 2 updates behind", slow.DropReason);
        Assert.Equal(4, h.Exchange.View.Books[0].Asks.Length);
    }
}
