using System.Collections.Immutable;
using Validium.Crypto;
using static Validium.Exchange.Tests.Fixture;

namespace Validium.Exchange.Tests;

/// <summary>
/// L1 forced requests applied by the circuit's rule (CIRCUIT.md, "Forced-request slots"): the simple initial margin
/// at the batch's oracle prices per lot, on the state as it is, never the engine's own risk model. Figures are worked
/// out by hand in the comments; Validium.Circuits.Tests checks the same decisions against the witness builder.
/// </summary>
public class ForcedRequestTests
{
    /// <summary>Per lot (0.001 BTC): 50 USD at 50,000 per BTC. Options and ETH hold no positions here; any non-zero price does.</summary>
    private static ImmutableArray<ulong> Prices(long btcUsd = 50_000) => [(ulong)(btcUsd * Usd / 1000), 1, 1, 1];

    /// <summary>The round's timestamp in seconds: long before the options' expiry (10,000 s).</summary>
    private const ulong Round = 1;

    private static ForcedRequest Withdrawal(int account, long usd, int keyOf = -1) =>
        ForcedRequest.Withdrawal((ulong)account, CachedKey(keyOf < 0 ? account : keyOf), (ulong)(usd * Usd));

    private static ForcedRequest Trade(int a, int b, long lots, long usdPerLot, int instrument = Perp, int keyOfB = -1) =>
        ForcedRequest.Trade((ulong)a, (ulong)b, (uint)instrument, lots, (ulong)(usdPerLot * Usd),
            Poseidon.Hash([CachedKey(a).X, CachedKey(a).Y, CachedKey(keyOfB < 0 ? b : keyOfB).X, CachedKey(keyOfB < 0 ? b : keyOfB).Y]));

    private static Event Only(Fixture f, EventKind kind) => Assert.Single(f.Drain(), e => e.Kind == kind);

    [Fact]
    public void A_withdrawal_of_everything_an_account_without_positions_holds_is_paid()
    {
        var f = new Fixture().Fund(1, 10_000);
        f.Drain();
        Assert.True(f.Engine.ExecuteForced(f.Now, Withdrawal(1, 10_000), Round, Prices()).Accepted);
        var e = Only(f, EventKind.ForcedWithdrawal);
        Assert.Equal((1, (byte)0, 10_000 * Usd), (e.Account, e.Reason, e.Amount));
        Assert.Equal(0, f.Engine.Account(1).Collateral);
        Assert.Equal(10_000 * Usd, f.Engine.TotalWithdrawals);
        Assert.Equal(f.Engine.TotalDeposits - f.Engine.TotalWithdrawals, f.Conserved());
    }

    [Fact]
    public void Refused_withdrawals_are_reported_and_change_nothing()
    {
        var f = new Fixture().Fund(1, 10_000);
        var before = f.Engine.Account(1);
        (ForcedRequest Request, RejectCode Code)[] refused =
        [
            (Withdrawal(1, 10_001), RejectCode.InsufficientMargin),  // 1 more than it holds
            (Withdrawal(1, 1, keyOf: 2), RejectCode.KeyMismatch),     // signed by another key
            (Withdrawal(5, 1), RejectCode.UnknownAccount),            // no such account
            (ForcedRequest.Withdrawal(1UL << 40, CachedKey(1), 1), RejectCode.UnknownAccount),
        ];
        foreach (var (request, code) in refused)
        {
            f.Drain();
            Assert.Equal(code, f.Engine.ExecuteForced(f.Now, request, Round, Prices()).Code);
            Assert.Equal((byte)code, Only(f, EventKind.ForcedWithdrawal).Reason);
        }
        Assert.Equal(before, f.Engine.Account(1));
        Assert.Equal(0, f.Engine.TotalWithdrawals);
    }

    [Fact]
    public void A_withdrawal_is_decided_at_the_batch_prices_and_may_leave_collateral_negative()
    {
        var f = new Fixture(options: false).Fund(1, 10_000).Fund(2, 10_000);
        f.Limit(2, Side.Sell, 50_000, 100 * Milli);
        f.Limit(1, Side.Buy, 50_000, 100 * Milli);
        // Account 1: long 100 lots at 50 per lot (notional 5,000), collateral 10,000 − 2.5 taker fee.
        // At 50,000: value 9,997.5, requirement 100 × 50 × 10% = 500, so 9,497.5 is the most it may take.
        Assert.Equal(RejectCode.InsufficientMargin, f.Engine.ExecuteForced(f.Now, ForcedRequest.Withdrawal(1, CachedKey(1), 9_497_500_001), Round, Prices()).Code);
        // At 60,000 (the round the batch is proven against, whatever the engine's mark): value 9,997.5 + 100 × 10 = 10,997.5,
        // requirement 600: 10,397.5 may go, 400 more than the collateral, the rest of it backed by the unrealised gain.
        Assert.Equal(RejectCode.InsufficientMargin, f.Engine.ExecuteForced(f.Now, ForcedRequest.Withdrawal(1, CachedKey(1), 10_397_500_001), Round, Prices(60_000)).Code);
        Assert.True(f.Engine.ExecuteForced(f.Now, ForcedRequest.Withdrawal(1, CachedKey(1), 10_397_500_000), Round, Prices(60_000)).Accepted);
        Assert.Equal(-400 * Usd, f.Engine.Account(1).Collateral);
        Assert.Equal(f.Engine.TotalDeposits - f.Engine.TotalWithdrawals, f.Conserved());
    }

    [Fact]
    public void The_fee_account_counts_the_fee_pool_the_batch_credits_to_it()
    {
        var f = new Fixture(options: false).Fund(0, 1).Fund(1, 10_000).Fund(2, 10_000);
        f.Limit(2, Side.Sell, 50_000, 100 * Milli);
        f.Limit(1, Side.Buy, 50_000, 100 * Milli);
        // Fees: taker 2.5, maker rebate −0.5: the pool holds 2, the batch state's fee account 1 + 2.
        Assert.Equal(2 * Usd, f.Engine.FeePool);
        Assert.Equal(RejectCode.InsufficientMargin, f.Engine.ExecuteForced(f.Now, Withdrawal(0, 3), Round, Prices()).Code);
        Assert.True(f.Engine.ExecuteForced(f.Now, Withdrawal(0, 3), Round, Prices(), feeAccount: 0).Accepted);
        Assert.Equal(-2 * Usd, f.Engine.Account(0).Collateral);
    }

    [Fact]
    public void An_executed_trade_moves_both_positions_at_the_stated_price_without_fees()
    {
        var f = new Fixture().Fund(1, 10_000).Fund(2, 10_000);
        f.Drain();
        Assert.True(f.Engine.ExecuteForced(f.Now, Trade(1, 2, 10, 53), Round, Prices()).Accepted);
        var e = Only(f, EventKind.ForcedTrade);
        Assert.Equal((1, 2, Perp, Side.Buy, 10L, 53 * Usd, (byte)0), (e.Account, e.Counterparty, e.Instrument, e.Side, e.Quantity, e.Price, e.Reason));
        Assert.Equal((10 * Milli, 530 * Usd), f.Engine.Position(1, Perp));
        Assert.Equal((-10 * Milli, -530 * Usd), f.Engine.Position(2, Perp));
        Assert.Equal(10_000 * Usd, f.Engine.Account(1).Collateral);

        // Account 1 sells 15 at 56: it closes its 10 (gain 10 × 3 = 30) and opens 5 short at 56; account 2 the reverse.
        Assert.True(f.Engine.ExecuteForced(f.Now, Trade(1, 2, -15, 56), Round, Prices()).Accepted);
        Assert.Equal((-5 * Milli, -280 * Usd), f.Engine.Position(1, Perp));
        Assert.Equal((5 * Milli, 280 * Usd), f.Engine.Position(2, Perp));
        Assert.Equal(10_030 * Usd, f.Engine.Account(1).Collateral);
        Assert.Equal(9_970 * Usd, f.Engine.Account(2).Collateral);
        Assert.Equal(f.Engine.TotalDeposits, f.Conserved());
    }

    [Fact]
    public void Refused_trades_are_reported_and_change_nothing()
    {
        var f = new Fixture().Fund(1, 10_000).Fund(2, 10_000).Fund(3, 20);
        (ForcedRequest Request, RejectCode Code)[] refused =
        [
            (Trade(3, 1, 10, 50), RejectCode.InsufficientMargin),          // 10 lots need 10 × 50 × 10% = 50; account 3 has 20
            (Trade(1, 3, 10, 50), RejectCode.InsufficientMargin),          // the same shortfall on B's side
            (Trade(1, 2, 1, 50, keyOfB: 3), RejectCode.KeyMismatch),       // B's key is not account 2's
            (Trade(1, 2, 1, 50, instrument: 7), RejectCode.UnknownInstrument),
            (Trade(1, 2, long.MaxValue, 1), RejectCode.InsufficientMargin), // the notional leaves 64 bits
            (Trade(1, 9, 1, 50), RejectCode.UnknownAccount),
        ];
        foreach (var (request, code) in refused)
        {
            f.Drain();
            Assert.Equal(code, f.Engine.ExecuteForced(f.Now, request, Round, Prices()).Code);
            Assert.Equal((byte)code, Only(f, EventKind.ForcedTrade).Reason);
        }
        foreach (int id in (int[])[1, 2, 3]) Assert.Equal((0L, 0L), f.Engine.Position(id, Perp));
        Assert.Equal(10_000 * Usd, f.Engine.Account(1).Collateral);
    }

    [Fact]
    public void Size_past_64_bits_is_refused_before_any_fill()
    {
        var f = new Fixture().Fund(1, 10_000).Fund(2, 10_000);
        Assert.True(f.Engine.ExecuteForced(f.Now, Trade(1, 2, 1, 1), Round, Prices()).Accepted);
        Assert.Equal(RejectCode.PositionLimit, f.Engine.ExecuteForced(f.Now, Trade(1, 2, long.MaxValue, 1), Round, Prices()).Code);
    }

    [Fact]
    public void Open_orders_the_account_can_no_longer_carry_are_cancelled()
    {
        var f = new Fixture(options: false).Fund(1, 1_000);
        f.Limit(1, Side.Buy, 49_000, 100 * Milli, out long kept);
        Assert.True(f.Engine.TryGetOrder(1, kept, out _));
        f.Drain();
        // The bid reserves about 490; the account may still withdraw everything by the circuit's rule (no positions).
        Assert.True(f.Engine.ExecuteForced(f.Now, Withdrawal(1, 900), Round, Prices()).Accepted);
        var cancel = Assert.Single(f.Drain(), e => e.Kind == EventKind.Cancelled);
        Assert.Equal((byte)CancelReason.ForcedRequest, cancel.Reason);
        Assert.False(f.Engine.TryGetOrder(1, kept, out _));
        Assert.Equal(0, f.Engine.Account(1).OpenOrders);
    }

    [Fact]
    public void A_snapshot_after_forced_requests_restores_the_same_engine()
    {
        var f = new Fixture(options: false).Fund(1, 10_000).Fund(2, 10_000);
        Assert.True(f.Engine.ExecuteForced(f.Now, Trade(1, 2, -7, 51), Round, Prices()).Accepted);
        Assert.True(f.Engine.ExecuteForced(f.Now, Withdrawal(2, 100), Round, Prices()).Accepted);
        var restored = Engine.Restore(f.Engine.Snapshot());
        Assert.Equal(f.Engine.StateHash(), restored.StateHash());
        Assert.Equal(f.Engine.Account(1), restored.Account(1));
        Assert.Equal(f.Engine.Account(2), restored.Account(2));
    }

    [Fact]
    public void The_price_table_must_cover_every_listed_instrument()
    {
        var f = new Fixture().Fund(1, 10);
        Assert.Throws<ArgumentException>(() => f.Engine.ExecuteForced(f.Now, Withdrawal(1, 1), Round, [1UL]));
    }

    /// <summary>
    /// Forced trades of the call by the circuit's simple option rule (MARGIN.md): spot 10,000 ticks of 5 USD, 0.05 USD per
    /// tick-lot, mark 2,000 USD = 20 USD per lot. A short lot needs max(15% × 10,000 − 0, 7.5% × 10,000) = 1,500 ticks =
    /// 75 USD initial, a long lot min(20, 75) = 20 USD; the premium paid or received is the open notional, so each side's
    /// value is its collateral. Two short lots need 150 USD, one long lot 20.
    /// </summary>
    [Fact]
    public void A_forced_trade_of_a_live_option_is_decided_by_the_simple_option_rule()
    {
        var f = new Fixture().Fund(1, 150).Fund(2, 20).Fund(3, 149).Fund(4, 19).Fund(5, 10_000);
        ImmutableArray<ulong> prices = [50 * (ulong)Usd, 20 * (ulong)Usd, 20 * (ulong)Usd, 1];
        Assert.Equal(RejectCode.InsufficientMargin, f.Engine.ExecuteForced(f.Now, Trade(3, 5, -2, 20, Call), Round, prices).Code);
        Assert.Equal(RejectCode.InsufficientMargin, f.Engine.ExecuteForced(f.Now, Trade(4, 5, 1, 20, Call), Round, prices).Code);
        Assert.True(f.Engine.ExecuteForced(f.Now, Trade(1, 5, -2, 20, Call), Round, prices).Accepted);
        Assert.True(f.Engine.ExecuteForced(f.Now, Trade(2, 5, 1, 20, Put), Round, prices).Accepted);
        Assert.Equal((-2 * Btc / 100, -40 * Usd), f.Engine.Position(1, Call));
        Assert.Equal((Btc / 100, 20 * Usd), f.Engine.Position(2, Put));
        Assert.Equal((2 * Btc / 100, 40 * Usd), f.Engine.Position(5, Call));
        Assert.Equal(f.Engine.TotalDeposits, f.Conserved());
    }

    /// <summary>The call expires at 10,000 s: a round at 9,999 s still trades it, one at 10,000 s does not, whatever the margin.</summary>
    [Fact]
    public void A_forced_trade_of_an_option_at_or_after_its_expiry_is_refused()
    {
        var f = new Fixture().Fund(1, 10_000).Fund(2, 10_000);
        ImmutableArray<ulong> prices = [50 * (ulong)Usd, 20 * (ulong)Usd, 20 * (ulong)Usd, 1];
        f.Drain();
        Assert.Equal(RejectCode.InstrumentExpired, f.Engine.ExecuteForced(f.Now, Trade(1, 2, 1, 20, Call), 10_000, prices).Code);
        Assert.Equal((byte)RejectCode.InstrumentExpired, Only(f, EventKind.ForcedTrade).Reason);
        Assert.Equal((0L, 0L), f.Engine.Position(1, Call));
        Assert.True(f.Engine.ExecuteForced(f.Now, Trade(1, 2, 1, 20, Call), 9_999, prices).Accepted);
    }
}
