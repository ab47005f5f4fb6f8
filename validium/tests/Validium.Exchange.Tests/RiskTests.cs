using static Validium.Exchange.Tests.Fixture;

namespace Validium.Exchange.Tests;

/// <summary>Margin, funding, expiry and liquidation figures, each worked out by hand in the comments.</summary>
public class RiskTests
{
    [Fact]
    public void Perpetual_margins_and_open_order_reserve()
    {
        var f = new Fixture().Fund(1, 10_000).Fund(2, 10_000);
        f.Limit(2, Side.Sell, 50_000, 100 * Milli);
        f.Limit(1, Side.Buy, 50_000, 100 * Milli);
        var a = f.Engine.Account(1);
        // 0.1 BTC at 50,000: IM 10% = 500, MM 5% = 250 (the 5% scenario move costs the same); taker fee 0.05% = 2.5.
        Assert.Equal(500 * Usd, a.InitialMargin);
        Assert.Equal(250 * Usd, a.MaintenanceMargin);
        Assert.Equal(10_000 * Usd - 2_500_000, a.TotalValue);

        // A resting bid of 0.1 BTC at 49,000 reserves 10% of 0.1 × mark 50,000 = 500 plus a fee reserve of 0.05% × 4,900 = 2.45.
        f.Limit(1, Side.Buy, 49_000, 100 * Milli);
        Assert.Equal(1_002_450_000, f.Engine.Account(1).InitialMargin);

        f.Ok(Command.OracleIndex(f.Now, 0, 48_000 * Usd));
        a = f.Engine.Account(1);
        Assert.Equal(48_000 * Usd, f.Engine.MarkPrice(Perp));
        Assert.Equal(10_000 * Usd - 2_500_000 - 200 * Usd, a.TotalValue);
        Assert.Equal(240 * Usd, a.MaintenanceMargin);
        // The bid at 49,000 is now above the mark: it reserves the 100 it would lose on a fill, on top of 480 + 2.45.
        Assert.Equal(480 * Usd + 480 * Usd + 100 * Usd + 2_450_000, a.InitialMargin);
        Assert.Equal(a.TotalValue - a.InitialMargin, a.FreeCollateral);
    }

    [Fact]
    public void Withdrawal_needs_free_and_settled_collateral()
    {
        var f = new Fixture().Fund(1, 1_000).Fund(2, 10_000);
        f.Limit(2, Side.Sell, 50_000, 100 * Milli);
        f.Limit(1, Side.Buy, 50_000, 100 * Milli);
        // Free collateral 1,000 − 2.5 − 500 = 497.5.
        Assert.Equal(RejectCode.InsufficientCollateral, f.Run(Command.Withdraw(f.Now, 1, 498 * Usd)).Code);
        f.Ok(Command.Withdraw(f.Now, 1, 497 * Usd));
        Assert.Equal(500_000, f.Engine.Account(1).FreeCollateral);
        Assert.Equal(f.Engine.TotalDeposits - f.Engine.TotalWithdrawals, f.Conserved());
    }

    [Fact]
    public void Funding_from_the_clamped_premium_through_the_cumulative_index()
    {
        var f = new Fixture().Fund(1, 10_000).Fund(2, 10_000).Fund(3, 10_000).Fund(4, 10_000);
        f.Limit(4, Side.Sell, 50_000, 100 * Milli);
        f.Limit(3, Side.Buy, 50_000, 100 * Milli);
        f.Limit(1, Side.Buy, 50_100, Milli);
        f.Limit(2, Side.Sell, 50_200, Milli);
        f.Ok(Command.OracleIndex(f.Now, 0, 50_000 * Usd));
        // Mid 50,150 is 150 over the index (cap 0.5% = 250): mark 50,150, premium sample 0.3%, funding rate capped at 0.075%.
        Assert.Equal(50_150 * Usd, f.Engine.MarkPrice(Perp));
        var c3 = f.Engine.Account(3).Collateral;
        var c4 = f.Engine.Account(4).Collateral;
        f.Drain();
        f.Ok(Command.Funding(f.Now, Perp));
        // Per 0.001 BTC lot: 0.075% × 50,150 × 0.001 = 0.0376125 USD, kept as 37,612 micro-USD; 100 lots.
        Assert.Equal(37_612, f.Engine.FundingIndex(Perp));
        Assert.Equal(c3 - 3_761_200, f.Engine.Account(3).Collateral);
        Assert.Equal(c4 + 3_761_200, f.Engine.Account(4).Collateral);
        var ev = f.Drain();
        Assert.Equal(750, Assert.Single(ev, e => e.Kind == EventKind.Funding).Amount);
        Assert.Equal(2, ev.Count(e => e.Kind == EventKind.FundingPayment));
        // A new period with no samples since the last one pays nothing.
        f.Ok(Command.Funding(f.Now, Perp));
        Assert.Equal(37_612, f.Engine.FundingIndex(Perp));
    }

    [Fact]
    public void Option_settles_at_the_oracle_index_at_expiry()
    {
        var f = new Fixture().Fund(1, 20_000).Fund(2, 20_000);
        f.Limit(2, Side.Sell, 2_000, Btc, instrument: Call);
        f.Limit(1, Side.Buy, 2_000, Btc, instrument: Call);
        // Short call, 1 BTC at spot 50,000 and strike 50,000: maintenance 10% of spot = 5,000; initial 15% = 7,500.
        Assert.Equal(5_000 * Usd, f.Engine.Account(2).MaintenanceMargin);
        Assert.Equal(7_500 * Usd, f.Engine.Account(2).InitialMargin);
        f.Now = Expiry + 1;
        f.Drain();
        f.Ok(Command.OracleIndex(f.Now, 0, 53_000 * Usd));
        Assert.True(f.Engine.IsExpired(Call));
        Assert.True(f.Engine.IsExpired(Put));
        // Buyer paid 2,000 + 0.03% taker fee (0.60), receives 3,000; the seller keeps 2,000 and pays 3,000.
        Assert.Equal(20_000 * Usd - 2_000 * Usd - 600_000 + 3_000 * Usd, f.Engine.Account(1).Collateral);
        Assert.Equal(20_000 * Usd + 2_000 * Usd - 3_000 * Usd, f.Engine.Account(2).Collateral);
        Assert.Equal(0, f.Engine.Position(1, Call).Quantity);
        Assert.Equal(0, f.Engine.Account(2).MaintenanceMargin);
        Assert.Equal(2, f.Drain().Count(e => e.Kind == EventKind.ExpirySettlement));
    }

    [Fact]
    public void Delta_and_gamma_per_underlying()
    {
        var f = new Fixture().Fund(1, 50_000).Fund(2, 50_000);
        f.Limit(2, Side.Sell, 2_000, Btc, instrument: Call);
        f.Limit(1, Side.Buy, 2_000, Btc, instrument: Call);
        f.Limit(1, Side.Sell, 50_000, 100 * Milli);
        f.Limit(2, Side.Buy, 50_000, 100 * Milli);
        // 1 BTC of calls at delta 0.5 minus 0.1 BTC of perpetual; gamma 3% of delta per 1% move on 1 BTC.
        Assert.Equal((40_000_000, 3_000_000), f.Engine.Greeks(1, 0));
        Assert.Equal((-40_000_000, -3_000_000), f.Engine.Greeks(2, 0));
        Assert.Equal((0, 0), f.Engine.Greeks(1, 1));
    }

    [Fact]
    public void Liquidation_hands_positions_to_the_liquidator_at_mark_and_pays_the_penalty_to_insurance()
    {
        var f = new Fixture(new EngineConfig { MaxAccounts = 8, LiquidatorAccount = 0 }).Fund(0, 1_000_000).Fund(1, 1_000).Fund(2, 100_000);
        f.Limit(2, Side.Sell, 50_000, 150 * Milli);
        f.Limit(1, Side.Buy, 50_000, 150 * Milli);
        f.Limit(2, Side.Sell, 50_500, Milli);
        f.Ok(Command.OracleIndex(f.Now, 0, 47_000 * Usd));
        // Value 1,000 − 3.75 − 450 = 546.25 ≥ maintenance 352.5: a trade print or a move this size does nothing.
        Assert.Equal(150 * Milli, f.Engine.Position(1, Perp).Quantity);
        f.Drain();
        f.Ok(Command.OracleIndex(f.Now, 0, 45_000 * Usd));
        // Value 246.25 < maintenance 337.5: penalty min(246.25, 20% × 337.5) = 67.5 to the insurance fund.
        var ev = f.Drain();
        Assert.Single(ev, e => e.Kind == EventKind.Liquidation && e.Account == 1);
        var t = Assert.Single(ev, e => e.Kind == EventKind.PositionTransfer);
        Assert.Equal((1, 0, 45_000 * Usd, 150 * Milli), (t.Account, t.Counterparty, t.Price, t.Quantity));
        Assert.Equal(67_500_000, f.Engine.InsuranceFund);
        Assert.Equal(246_250_000 - 67_500_000, f.Engine.Account(1).Collateral);
        Assert.Equal((150 * Milli, 6_750 * Usd), f.Engine.Position(0, Perp));
        Assert.Equal(0, f.Engine.Account(1).OpenOrders);
        Assert.Equal(f.Engine.TotalDeposits, f.Conserved());
    }

    /// <summary>
    /// A liquidator with 500 USD cannot carry 150 lots at 45,000 (initial margin 10% of 6,750 = 675): taking them at mark
    /// leaves its value at 500, so the position is deleveraged against the short instead of handed over.
    /// </summary>
    [Fact]
    public void A_liquidator_that_cannot_carry_the_position_at_initial_margin_does_not_get_it()
    {
        var f = new Fixture(new EngineConfig { MaxAccounts = 8, LiquidatorAccount = 0 }).Fund(0, 500).Fund(1, 1_000).Fund(2, 100_000);
        f.Limit(2, Side.Sell, 50_000, 150 * Milli);
        f.Limit(1, Side.Buy, 50_000, 150 * Milli);
        f.Drain();
        f.Ok(Command.OracleIndex(f.Now, 0, 47_000 * Usd));
        f.Drain();
        f.Ok(Command.OracleIndex(f.Now, 0, 45_000 * Usd));
        var ev = f.Drain();
        Assert.DoesNotContain(ev, e => e.Kind == EventKind.PositionTransfer);
        var d = Assert.Single(ev, e => e.Kind == EventKind.Deleverage);
        Assert.Equal((1, 2, 45_000 * Usd), (d.Account, d.Counterparty, d.Price));
        Assert.Equal(0, f.Engine.Position(0, Perp).Quantity);
        Assert.Equal(f.Engine.TotalDeposits, f.Conserved());
    }

    [Fact]
    public void Bankruptcy_without_a_liquidator_deleverages_and_socialises_what_insurance_cannot_cover()
    {
        var f = new Fixture(new EngineConfig { MaxAccounts = 8 }).Fund(1, 1_000).Fund(2, 100_000);
        f.Limit(2, Side.Sell, 50_000, 150 * Milli);
        f.Limit(1, Side.Buy, 50_000, 150 * Milli);
        f.Drain();
        f.Ok(Command.OracleIndex(f.Now, 0, 40_000 * Usd));
        // Value 1,000 − 3.75 − 1,500 = −503.75: no penalty, the short (account 2) is closed against it at 40,000,
        // the empty insurance fund covers nothing and account 2, the only one with collateral, absorbs 503.75.
        var ev = f.Drain();
        var d = Assert.Single(ev, e => e.Kind == EventKind.Deleverage);
        Assert.Equal((1, 2, 40_000 * Usd), (d.Account, d.Counterparty, d.Price));
        Assert.Equal(503_750_000, Assert.Single(ev, e => e.Kind == EventKind.SocialisedLoss).Amount);
        Assert.Equal(0, f.Engine.Account(1).Collateral);
        // Account 2: 100,000 + 0.75 rebate + 1,500 gain − 503.75.
        Assert.Equal(100_997 * Usd, f.Engine.Account(2).Collateral);
        Assert.Equal(0, f.Engine.Position(2, Perp).Quantity);
        Assert.Equal(f.Engine.TotalDeposits, f.Conserved());
    }
}
