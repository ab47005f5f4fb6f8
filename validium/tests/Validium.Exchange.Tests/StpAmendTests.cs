using static Validium.Exchange.Tests.Fixture;

namespace Validium.Exchange.Tests;

public class StpAmendTests
{
    private static Fixture Funded()
    {
        var f = new Fixture();
        for (int a = 1; a <= 4; a++) f.Fund(a, 100_000);
        f.Drain();
        return f;
    }

    [Fact]
    public void Cancel_newest_cancels_the_incoming_order_and_keeps_the_resting_one()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, Milli, out long resting);
        f.Drain();
        f.Limit(1, Side.Buy, 50_000, Milli, out long incoming, stp: SelfTradePrevention.CancelNewest);
        var c = Assert.Single(f.Drain(), e => e.Kind == EventKind.Cancelled);
        Assert.Equal((byte)CancelReason.SelfTrade, c.Reason);
        Assert.Equal(incoming, c.ClientId);
        Assert.True(f.Engine.TryGetOrder(1, resting, out _));
        Assert.False(f.Engine.TryGetOrder(1, incoming, out _));
    }

    [Fact]
    public void Cancel_oldest_removes_the_resting_order_and_matching_goes_on()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, Milli, out long resting);
        f.Limit(2, Side.Sell, 50_000, Milli);
        f.Drain();
        f.Limit(1, Side.Buy, 50_000, Milli, stp: SelfTradePrevention.CancelOldest);
        var ev = f.Drain();
        Assert.Equal(resting, Assert.Single(ev, e => e.Kind == EventKind.Cancelled).ClientId);
        Assert.Equal(2, Assert.Single(ev, e => e.Kind == EventKind.Trade).Counterparty);
    }

    [Fact]
    public void Cancel_both_removes_both()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, Milli, out long resting);
        f.Limit(2, Side.Sell, 50_000, Milli);
        f.Drain();
        f.Limit(1, Side.Buy, 50_000, Milli, out long incoming, stp: SelfTradePrevention.CancelBoth);
        var ev = f.Drain();
        Assert.Equal([resting, incoming], ev.Where(e => e.Kind == EventKind.Cancelled).Select(e => e.ClientId));
        Assert.DoesNotContain(ev, e => e.Kind == EventKind.Trade);
        Assert.Equal(0, f.Engine.Account(1).OpenOrders);
    }

    [Fact]
    public void Reducing_size_at_the_same_price_keeps_priority()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, 3 * Milli, out long first);
        f.Limit(2, Side.Sell, 50_000, Milli);
        var o = f.Run(f.Amend(1, first, 50_000 * Usd, 2 * Milli));
        Assert.True(o.Accepted);
        Assert.Equal(1, Assert.Single(f.Drain(), e => e.Kind == EventKind.Amended).Reason);
        f.Limit(3, Side.Buy, 50_000, Milli);
        Assert.Equal(1, Assert.Single(f.Trades()).Counterparty);
    }

    [Fact]
    public void Growing_size_or_moving_price_loses_priority()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_000, Milli, out long first);
        f.Limit(2, Side.Sell, 50_000, Milli);
        f.Ok(f.Amend(1, first, 50_000 * Usd, 2 * Milli));
        f.Drain();
        f.Limit(3, Side.Buy, 50_000, Milli);
        Assert.Equal(2, Assert.Single(f.Trades()).Counterparty);

        f.Limit(2, Side.Sell, 50_000, Milli, out long second);
        f.Ok(f.Amend(2, second, 50_005 * Usd, Milli));
        f.Ok(f.Amend(2, second, 50_000 * Usd, Milli));
        f.Drain();
        f.Limit(3, Side.Buy, 50_000, 3 * Milli);
        Assert.Equal([1, 2], f.Trades().Select(t => t.Counterparty));
    }

    [Fact]
    public void Amending_across_the_spread_trades_and_post_only_refuses()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_010, Milli);
        f.Limit(2, Side.Buy, 50_000, Milli, out long bid);
        f.Limit(2, Side.Buy, 49_000, Milli, out long pbid, type: OrderType.PostOnly);
        f.Drain();
        Assert.Equal(RejectCode.PostOnlyWouldTake, f.Run(f.Amend(2, pbid, 50_010 * Usd, Milli)).Code);
        Assert.True(f.Engine.TryGetOrder(2, pbid, out _));
        f.Ok(f.Amend(2, bid, 50_010 * Usd, Milli));
        Assert.Equal(50_010 * Usd, Assert.Single(f.Trades()).Price);
        Assert.Equal(Milli, f.Engine.Position(2, Perp).Quantity);
    }

    [Fact]
    public void Cancel_and_cancel_all()
    {
        var f = Funded();
        f.Limit(1, Side.Sell, 50_010, Milli, out long a);
        f.Limit(1, Side.Sell, 50_020, Milli);
        Assert.True(f.Limit(1, Side.Buy, 2_000, Btc / 100, instrument: Call).Accepted);
        f.Ok(Command.Cancel(f.Now, 1, f.Nonce(1), a));
        Assert.Equal(RejectCode.UnknownOrder, f.Run(Command.Cancel(f.Now, 1, f.Nonce(1), a)).Code);
        f.Drain();
        f.Ok(Command.CancelAll(f.Now, 1, f.Nonce(1), Perp));
        Assert.Single(f.Drain(), e => e.Kind == EventKind.Cancelled);
        Assert.Equal(1, f.Engine.Account(1).OpenOrders);
        f.Ok(Command.CancelAll(f.Now, 1, f.Nonce(1)));
        Assert.Equal(0, f.Engine.Account(1).OpenOrders);
        Assert.Equal(0, f.Engine.Account(1).InitialMargin);
    }
}
