using static Validium.Exchange.Tests.Fixture;

namespace Validium.Exchange.Tests;

public class OrderTypeTests
{
    private static Fixture Funded()
    {
        var f = new Fixture();
        for (int a = 1; a <= 6; a++) f.Fund(a, 100_000);
        f.Drain();
        return f;
    }

    [Fact]
    public void Price_then_time_priority_with_partial_fills()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_010, 2 * Milli);
        f.Limit(2, Side.Sell, 50_010, 1 * Milli);
        f.Limit(3, Side.Sell, 50_005, 1 * Milli);
        f.Drain();
        Assert.Equal((-1, 50_005 * Usd), f.Engine.BestPrices(Perp));

        var o = f.Limit(4, Side.Buy, 50_010, 3 * Milli, type: OrderType.Ioc);
        Assert.True(o.Accepted);
        var trades = f.Trades().ToList();
        Assert.Equal([3, 1], trades.Select(t => t.Counterparty));
        Assert.Equal([50_005 * Usd, 50_010 * Usd], trades.Select(t => t.Price));
        Assert.Equal([Milli, 2 * Milli], trades.Select(t => t.Quantity));
        Assert.True(trades[1].Seq == trades[0].Seq + 1);
        Assert.Equal(3 * Milli, f.Engine.Position(4, Perp).Quantity);
        Assert.Equal(-2 * Milli, f.Engine.Position(1, Perp).Quantity);
        Assert.Equal(0, f.Engine.Position(2, Perp).Quantity);
        Assert.Equal((-1, 50_010 * Usd), f.Engine.BestPrices(Perp));
    }

    [Fact]
    public void Fees_taker_pays_and_negative_maker_fee_is_a_rebate()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_010, 2 * Milli);
        f.Limit(2, Side.Buy, 50_010, 2 * Milli);
        var t = Assert.Single(f.Trades());
        // Trade value 50,010 USD × 0.002 = 100.02 USD; taker 0.05% = 0.05001 USD; maker −0.01% = −0.010002 USD.
        Assert.Equal(50_010, t.Amount);
        Assert.Equal(-10_002, t.Amount2);
        Assert.Equal(100_000 * Usd - 50_010, f.Engine.Account(2).Collateral);
        Assert.Equal(100_000 * Usd + 10_002, f.Engine.Account(1).Collateral);
        Assert.Equal(50_010 - 10_002, f.Engine.FeePool);
        Assert.Equal(600_000 * Usd, f.Conserved());
    }

    [Fact]
    public void Limit_remainder_rests_and_market_remainder_is_cancelled()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, Milli);
        f.Limit(2, Side.Buy, 50_000, 3 * Milli, out long cid);
        Assert.True(f.Engine.TryGetOrder(2, cid, out var rest));
        Assert.Equal(2 * Milli, rest.Quantity);
        Assert.Equal(Milli, rest.Filled);

        f.Limit(3, Side.Sell, 50_100, Milli);
        f.Drain();
        var o = f.Run(Command.Place(f.Now, 4, f.Nonce(4), Perp, Side.Buy, OrderType.Market, 0, 5 * Milli, f.ClientId()));
        Assert.True(o.Accepted);
        var ev = f.Drain();
        Assert.Single(ev, e => e.Kind == EventKind.Trade);
        var c = Assert.Single(ev, e => e.Kind == EventKind.Cancelled);
        Assert.Equal((byte)CancelReason.ImmediateRemainder, c.Reason);
        Assert.Equal(4 * Milli, c.Quantity);
        Assert.Equal(0, f.Engine.Account(4).OpenOrders);
    }

    [Fact]
    public void Ioc_never_rests()
    {
        var f = Funded();
        f.Limit(4, Side.Buy, 49_000, Milli, out long cid, type: OrderType.Ioc);
        Assert.False(f.Engine.TryGetOrder(4, cid, out _));
        Assert.Equal((-1, -1), f.Engine.BestPrices(Perp));
    }

    [Fact]
    public void Fok_fills_completely_or_not_at_all()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, Milli);
        f.Limit(2, Side.Sell, 50_005, Milli);
        f.Drain();
        Assert.Equal(RejectCode.FokNotFillable, f.Limit(3, Side.Buy, 50_005, 3 * Milli, type: OrderType.Fok).Code);
        Assert.Empty(f.Trades());
        Assert.Equal(RejectCode.FokNotFillable, f.Limit(3, Side.Buy, 50_000, 2 * Milli, type: OrderType.Fok).Code);
        Assert.True(f.Limit(3, Side.Buy, 50_005, 2 * Milli, type: OrderType.Fok).Accepted);
        Assert.Equal(2, f.Trades().Count());
        // Own orders do not count towards a FOK unless self-trade prevention cancels them out of the way.
        f.Limit(3, Side.Sell, 50_000, Milli);
        f.Limit(1, Side.Sell, 50_000, Milli);
        Assert.Equal(RejectCode.FokNotFillable, f.Limit(3, Side.Buy, 50_000, Milli, type: OrderType.Fok).Code);
        Assert.True(f.Limit(3, Side.Buy, 50_000, Milli, type: OrderType.Fok, stp: SelfTradePrevention.CancelOldest).Accepted);
    }

    [Fact]
    public void Post_only_rests_or_is_refused_when_it_would_take()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, Milli);
        Assert.Equal(RejectCode.PostOnlyWouldTake, f.Limit(2, Side.Buy, 50_000, Milli, type: OrderType.PostOnly).Code);
        Assert.True(f.Limit(2, Side.Buy, 49_999, Milli, type: OrderType.PostOnly).Accepted);
        Assert.Equal((49_999 * Usd, 50_000 * Usd), f.Engine.BestPrices(Perp));
    }

    [Fact]
    public void Reduce_only_may_only_shrink_a_position_and_never_rests()
    {
        var f = Funded();
        Assert.Equal(RejectCode.ReduceOnlyWouldIncrease, f.Limit(2, Side.Sell, 50_000, Milli, type: OrderType.Ioc, reduceOnly: true).Code);
        f.Limit(1, Side.Sell, 50_000, 2 * Milli);
        f.Limit(2, Side.Buy, 50_000, 2 * Milli);
        Assert.Equal(RejectCode.BadOrderType, f.Limit(2, Side.Sell, 50_000, Milli, reduceOnly: true).Code);
        Assert.Equal(RejectCode.ReduceOnlyWouldIncrease, f.Limit(2, Side.Sell, 49_000, 3 * Milli, type: OrderType.Ioc, reduceOnly: true).Code);
        Assert.Equal(RejectCode.ReduceOnlyWouldIncrease, f.Limit(2, Side.Buy, 50_000, Milli, type: OrderType.Ioc, reduceOnly: true).Code);
        f.Limit(3, Side.Buy, 49_990, 5 * Milli);
        Assert.True(f.Limit(2, Side.Sell, 49_990, 2 * Milli, type: OrderType.Ioc, reduceOnly: true).Accepted);
        Assert.Equal(0, f.Engine.Position(2, Perp).Quantity);
    }

    [Fact]
    public void Expired_orders_are_skipped_and_cancelled()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, Milli, out long cid, expiresAt: f.Now + 10);
        f.Limit(2, Side.Sell, 50_001, Milli);
        Assert.Equal(RejectCode.Expired, f.Limit(3, Side.Sell, 50_001, Milli, out _, expiresAt: f.Now).Code);
        f.Now += 10;
        f.Drain();
        f.Limit(3, Side.Buy, 50_001, Milli);
        var ev = f.Drain();
        var c = Assert.Single(ev, e => e.Kind == EventKind.Cancelled);
        Assert.Equal((byte)CancelReason.Expired, c.Reason);
        Assert.Equal(2, Assert.Single(ev, e => e.Kind == EventKind.Trade).Counterparty);
        Assert.False(f.Engine.TryGetOrder(1, cid, out _));
    }

    [Fact]
    public void Sweep_removes_expired_orders_at_the_next_oracle_commit()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, Milli, out long cid, expiresAt: f.Now + 10);
        f.Now += 20;
        f.Ok(Command.OracleIndex(f.Now, 0, 50_000 * Usd));
        Assert.False(f.Engine.TryGetOrder(1, cid, out _));
        Assert.Equal(0, f.Engine.Account(1).InitialMargin);
    }
}
