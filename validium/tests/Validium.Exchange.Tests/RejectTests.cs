using static Validium.Exchange.Tests.Fixture;

namespace Validium.Exchange.Tests;

/// <summary>Each way a command can be refused: a reject code and an event, never an exception, and nothing changed.</summary>
public class RejectTests
{
    private readonly Fixture f = new();

    public RejectTests()
    {
        f.Fund(1, 10_000).Fund(2, 10_000);
    }

    private void Rejects(RejectCode code, Command c)
    {
        var before = Fingerprint();
        f.Drain();
        Assert.Equal(code, f.Run(c).Code);
        var e = Assert.Single(f.Drain());
        Assert.Equal(EventKind.Rejected, e.Kind);
        Assert.Equal((byte)code, e.Reason);
        Assert.Equal(before, Fingerprint());
    }

    /// <summary>Balances, margins, positions and books: what a refused command must leave alone (the nonce and event sequence do move).</summary>
    private string Fingerprint()
    {
        var e = f.Engine;
        var parts = e.AccountIds().Select(a => (e.Account(a) with { Nonce = 0 }).ToString()).ToList();
        for (int i = 0; i < e.InstrumentCount; i++)
        {
            parts.Add(e.BestPrices(i).ToString());
            parts.AddRange(e.AccountIds().Select(a => e.Position(a, i).ToString()));
        }
        parts.Add($"{e.FeePool} {e.InsuranceFund} {e.OpenOrders} {e.InstrumentCount}");
        return string.Join('\n', parts);
    }

    private Command Order(int account = 1, int instrument = Perp, Side side = Side.Buy, OrderType type = OrderType.Limit, long usd = 50_000,
        long qty = Milli, long clientId = 99, long expiresAt = 0, bool reduceOnly = false) =>
        Command.Place(f.Now, account, f.Nonce(account), instrument, side, type, usd * Usd, qty, clientId, expiresAt, reduceOnly);

    [Fact]
    public void Orders()
    {
        Rejects(RejectCode.UnknownAccount, Order(account: 9));
        Rejects(RejectCode.BadNonce, Command.Place(f.Now, 1, 0, Perp, Side.Buy, OrderType.Limit, 50_000 * Usd, Milli, 1));
        Rejects(RejectCode.Expired, Order(expiresAt: f.Now));
        Rejects(RejectCode.UnknownInstrument, Order(instrument: 40));
        Rejects(RejectCode.BadSide, Order(side: (Side)7));
        Rejects(RejectCode.BadOrderType, Order(type: (OrderType)9));
        Rejects(RejectCode.BadPrice, Order(usd: 0));
        Rejects(RejectCode.BadPrice, Order(usd: 300_000));
        Rejects(RejectCode.PriceNotOnTick, Command.Place(f.Now, 1, f.Nonce(1), Perp, Side.Buy, OrderType.Limit, 50_000 * Usd + 1, Milli, 1));
        Rejects(RejectCode.QuantityNotOnLot, Order(qty: Milli + 1));
        Rejects(RejectCode.QuantityNotOnLot, Order(qty: -Milli));
        Rejects(RejectCode.AboveMaximumSize, Order(qty: 11 * Btc));
        Rejects(RejectCode.PriceOutOfBand, Order(usd: 56_000));
        Rejects(RejectCode.PriceOutOfBand, Order(usd: 44_000));
        Rejects(RejectCode.InsufficientMargin, Order(qty: 3 * Btc));
        Rejects(RejectCode.ReduceOnlyWouldIncrease, Order(type: OrderType.Ioc, reduceOnly: true));
        Rejects(RejectCode.BadOrderType, Order(reduceOnly: true));
        f.Ok(Order(clientId: 5, usd: 49_000));
        Rejects(RejectCode.DuplicateClientOrderId, Order(clientId: 5, usd: 48_000));
        f.Ok(Order(account: 2, side: Side.Sell, usd: 51_000));
        Rejects(RejectCode.PostOnlyWouldTake, Order(type: OrderType.PostOnly, usd: 51_000));
        Rejects(RejectCode.FokNotFillable, Order(type: OrderType.Fok, usd: 51_000, qty: 2 * Milli));
    }

    [Fact]
    public void Below_minimum_and_position_limit_with_a_tight_instrument()
    {
        var spec = PerpSpec with { Underlying = 2, MinQuantity = 2 * Milli, MaxQuantity = 5 * Milli, MaxPosition = 6 * Milli };
        f.Ok(Command.List(f.Now, spec));
        f.Ok(Command.OracleIndex(f.Now, 2, 50_000 * Usd));
        Rejects(RejectCode.BelowMinimumSize, Order(instrument: 4));
        f.Ok(Order(instrument: 4, qty: 5 * Milli, usd: 49_000, clientId: 1));
        Rejects(RejectCode.PositionLimit, Order(instrument: 4, qty: 2 * Milli, usd: 49_000, clientId: 2));
    }

    [Fact]
    public void Without_a_mark_nothing_trades()
    {
        var spec = PerpSpec with { Underlying = 3 };
        f.Ok(Command.List(f.Now, spec));
        Rejects(RejectCode.NoMarkPrice, Order(instrument: 4));
        Rejects(RejectCode.NoMarkPrice, Command.Funding(f.Now, 4));
    }

    [Fact]
    public void Cancels_and_amends()
    {
        Rejects(RejectCode.UnknownOrder, Command.Cancel(f.Now, 1, f.Nonce(1), 77));
        Rejects(RejectCode.UnknownOrder, Command.Amend(f.Now, 1, f.Nonce(1), 77, 50_000 * Usd, Milli, Perp, Side.Buy));
        Rejects(RejectCode.UnknownInstrument, Command.CancelAll(f.Now, 1, f.Nonce(1), 40));
        f.Ok(Order(clientId: 3, usd: 49_000));
        Rejects(RejectCode.NothingToAmend, f.Amend(1, 3, 49_000 * Usd, Milli));
        Rejects(RejectCode.PriceOutOfBand, f.Amend(1, 3, 40_000 * Usd, Milli));
        Rejects(RejectCode.QuantityNotOnLot, f.Amend(1, 3, 49_000 * Usd, 5));
        Rejects(RejectCode.InsufficientMargin, f.Amend(1, 3, 49_000 * Usd, 5 * Btc));
        // An amend must carry the order's unchanged fields: its signature covers a whole order (ORDERS.md, "Amend").
        Rejects(RejectCode.AmendMismatch, f.Amend(1, 3, 49_500 * Usd, Milli) with { Side = Side.Sell });
        Rejects(RejectCode.AmendMismatch, f.Amend(1, 3, 49_500 * Usd, Milli) with { Instrument = EthPerp });
        Rejects(RejectCode.AmendMismatch, f.Amend(1, 3, 49_500 * Usd, Milli) with { Type = OrderType.PostOnly });
        Rejects(RejectCode.AmendMismatch, f.Amend(1, 3, 49_500 * Usd, Milli) with { ExpiresAt = f.Now + 60_000 });
        Rejects(RejectCode.AmendMismatch, f.Amend(1, 3, 49_500 * Usd, Milli) with { Stp = SelfTradePrevention.CancelBoth });
        Assert.True(f.Engine.TryGetOrder(1, 3, out var o));
        Assert.Equal(Milli, o.Quantity);
        Assert.Equal(49_000 * Usd, o.Price);
    }

    [Fact]
    public void Money_and_oracle()
    {
        Rejects(RejectCode.AccountLimit, Command.Deposit(f.Now, 1_000, CachedKey(1), Usd));
        Rejects(RejectCode.BadAmount, Command.Deposit(f.Now, 1, CachedKey(1), 0));
        Rejects(RejectCode.KeyMismatch, Command.Deposit(f.Now, 5, new Validium.Crypto.BabyJubjubPoint(1, 2), Usd));
        Rejects(RejectCode.UnknownAccount, Command.Withdraw(f.Now, 9, Usd));
        Rejects(RejectCode.BadAmount, Command.Withdraw(f.Now, 1, -1));
        Rejects(RejectCode.InsufficientCollateral, Command.Withdraw(f.Now, 1, 10_001 * Usd));
        Rejects(RejectCode.BadOraclePrice, Command.OracleIndex(f.Now, 0, 0));
        Rejects(RejectCode.UnknownInstrument, Command.OracleIndex(f.Now, 99, Usd));
        Rejects(RejectCode.NotAnOption, Command.OracleOption(f.Now, Perp, Usd, 0, 0));
        Rejects(RejectCode.BadOraclePrice, Command.OracleOption(f.Now, Call, Usd, 2_000_000, 0));
        Rejects(RejectCode.NotAPerpetual, Command.Funding(f.Now, Call));
        Rejects(RejectCode.BadInstrumentSpec, Command.List(f.Now, PerpSpec with { TickSize = 3 }));
        Rejects(RejectCode.TimeWentBackwards, Command.Withdraw(f.Now - 1, 1, Usd));
    }

    [Fact]
    public void Expired_option_takes_no_orders()
    {
        f.Now = Expiry;
        f.Ok(Command.OracleIndex(f.Now, 0, 50_000 * Usd));
        Rejects(RejectCode.InstrumentExpired, Order(instrument: Call, usd: 1_000, qty: Btc / 100));
        Rejects(RejectCode.InstrumentExpired, Command.OracleOption(f.Now, Call, Usd, 0, 0));
    }
}
