using static Validium.Exchange.Tests.Fixture;

namespace Validium.Exchange.Tests;

/// <summary>
/// The whole-round oracle command: every index and option mark first, then one liquidation pass at the whole round.
/// Expected figures are worked by hand from MARGIN.md (perpetuals: maintenance 5%, initial 10%, taker fee 0.05%,
/// penalty 20% of maintenance; BTC lots 0.001, ETH lots 0.01).
/// </summary>
public class OracleRoundTests
{
    private static readonly EngineConfig WithLiquidator = new() { MaxAccounts = 8, LiquidatorAccount = 0 };

    /// <summary>
    /// Account 1 (310 USD) is long 30 BTC lots at 50,000 and long 50 ETH lots at 3,000; account 3 (700 USD) is long the
    /// same BTC and short the same ETH. Each paid 1.50 USD in taker fees; account 2 made both books and kept nothing resting.
    /// </summary>
    private static Fixture Hedged()
    {
        var f = new Fixture(WithLiquidator, options: false).Fund(0, 1_000_000).Fund(1, 310).Fund(2, 100_000).Fund(3, 700);
        Assert.True(f.Limit(2, Side.Sell, 50_000, 60 * Milli).Accepted);
        Assert.True(f.Limit(1, Side.Buy, 50_000, 30 * Milli, type: OrderType.Ioc).Accepted);
        Assert.True(f.Limit(3, Side.Buy, 50_000, 30 * Milli, type: OrderType.Ioc).Accepted);
        Assert.True(f.Limit(2, Side.Sell, 3_000, Btc / 2, instrument: EthPerp).Accepted);
        Assert.True(f.Limit(1, Side.Buy, 3_000, Btc / 2, instrument: EthPerp, type: OrderType.Ioc).Accepted);
        Assert.True(f.Limit(2, Side.Buy, 3_000, Btc / 2, instrument: EthPerp).Accepted);
        Assert.True(f.Limit(3, Side.Sell, 3_000, Btc / 2, instrument: EthPerp, type: OrderType.Ioc).Accepted);
        Assert.Equal(0, f.Engine.OpenOrders);
        Assert.Equal((30 * Milli, -Btc / 2), (f.Engine.Position(3, Perp).Quantity, f.Engine.Position(3, EthPerp).Quantity));
        f.Drain();
        return f;
    }

    private static Command BtcDownEthUp(long now) => Command.OracleRound(now, [new(0, 40_000 * Usd), new(1, 3_600 * Usd)], []);

    /// <summary>
    /// BTC falls to 40,000 and ETH rises to 3,600. At the whole round account 1 is worth 310 − 1.5 − 300 + 300 = 308.50
    /// against maintenance 5% × (1,200 + 1,800) = 150: sound. Account 3 is worth 700 − 1.5 − 300 − 300 = 98.50 against
    /// 150: liquidated once, paying min(98.50, 20% × 150) = 30. Committed BTC first, account 1 is worth 8.50 against
    /// 5% × (1,200 + 1,500) = 135 on the mix of BTC's new mark and ETH's old one, and is liquidated although the round finds it sound.
    /// </summary>
    [Fact]
    public void A_round_liquidates_at_the_whole_rounds_marks_where_per_underlying_commits_would_not()
    {
        var round = Hedged();
        round.Ok(BtcDownEthUp(round.Now));
        var events = round.Drain();
        var liquidation = Assert.Single(events, e => e.Kind == EventKind.Liquidation);
        Assert.Equal((3, 98_500_000, 150_000_000), (liquidation.Account, liquidation.Amount, liquidation.Amount2));
        Assert.Equal(30 * Usd, round.Engine.InsuranceFund);
        Assert.Equal(68_500_000, round.Engine.Account(3).Collateral);
        // Quantities are the liquidated account's signed positions.
        var transfers = events.Where(e => e.Kind == EventKind.PositionTransfer).Select(e => (e.Account, e.Counterparty, e.Instrument, e.Price, e.Quantity));
        Assert.Equal([(3, 0, Perp, 40_000 * Usd, 30 * Milli), (3, 0, EthPerp, 3_600 * Usd, -Btc / 2)], transfers);
        Assert.Equal(308_500_000, round.Engine.Account(1).TotalValue);
        Assert.Equal(150 * Usd, round.Engine.Account(1).MaintenanceMargin);
        Assert.Equal((30 * Milli, Btc / 2), (round.Engine.Position(1, Perp).Quantity, round.Engine.Position(1, EthPerp).Quantity));
        // Each part's event as the per-underlying commands emit it, every part before the liquidation.
        Assert.Equal([EventKind.OracleIndex, EventKind.OracleIndex, EventKind.Liquidation], events
            .Where(e => e.Kind is EventKind.OracleIndex or EventKind.Liquidation).Select(e => e.Kind));
        Assert.Null(round.Engine.FindDrift());
        Assert.Equal(round.Engine.TotalDeposits, round.Conserved());

        var split = Hedged();
        split.Ok(Command.OracleIndex(split.Now, 0, 40_000 * Usd));
        var first = Assert.Single(split.Drain(), e => e.Kind == EventKind.Liquidation);
        Assert.Equal((1, 8_500_000, 135_000_000), (first.Account, first.Amount, first.Amount2));
        split.Ok(Command.OracleIndex(split.Now, 1, 3_600 * Usd));
        Assert.Equal(3, Assert.Single(split.Drain(), e => e.Kind == EventKind.Liquidation).Account);
        Assert.Equal(0, split.Engine.Position(1, Perp).Quantity);
    }

    /// <summary>
    /// Account 5 (7,600 USD) sold 1 BTC of calls at 2,000 (fee 0.60). The round takes BTC to 53,000 and the call's mark to
    /// 4,500: the account is worth 7,600 − 0.60 − 2,500 = 5,099.40 against the short call's maintenance 10% × 53,000 =
    /// 5,300 (in the money: no out-of-the-money relief; the scenario loss, at most 1,861.25 at +5%, is smaller), so it is
    /// liquidated once, and the call goes to the liquidator at the round's mark, not the 2,000 it had before the round.
    /// </summary>
    [Fact]
    public void An_option_holder_is_liquidated_at_the_rounds_option_mark()
    {
        var f = new Fixture(WithLiquidator).Fund(0, 1_000_000).Fund(5, 7_600).Fund(6, 100_000);
        Assert.True(f.Limit(6, Side.Buy, 2_000, Btc, instrument: Call).Accepted);
        Assert.True(f.Limit(5, Side.Sell, 2_000, Btc, instrument: Call, type: OrderType.Ioc).Accepted);
        f.Drain();
        f.Ok(Command.OracleRound(f.Now, [new(0, 53_000 * Usd)], [new(Call, 4_500 * Usd, 700_000, 30_000)]));
        var events = f.Drain();
        var liquidation = Assert.Single(events, e => e.Kind == EventKind.Liquidation);
        Assert.Equal((5, 5_099_400_000, 5_300 * Usd), (liquidation.Account, liquidation.Amount, liquidation.Amount2));
        var t = Assert.Single(events, e => e.Kind == EventKind.PositionTransfer);
        Assert.Equal((5, 0, Call, 4_500 * Usd, -Btc), (t.Account, t.Counterparty, t.Instrument, t.Price, t.Quantity));
        Assert.Equal(4_500 * Usd, f.Engine.MarkPrice(Call));
        Assert.Equal(1_060 * Usd, f.Engine.InsuranceFund);
        Assert.Equal([EventKind.OracleIndex, EventKind.OracleOption, EventKind.Liquidation], events
            .Where(e => e.Kind is EventKind.OracleIndex or EventKind.OracleOption or EventKind.Liquidation).Select(e => e.Kind));
        Assert.Null(f.Engine.FindDrift());
    }

    /// <summary>An option the round's index expires is settled by it, before any liquidation, and cannot also be marked by it.</summary>
    [Fact]
    public void A_round_expires_due_options_before_it_liquidates()
    {
        var f = new Fixture(WithLiquidator).Fund(0, 1_000_000).Fund(1, 20_000).Fund(2, 20_000);
        Assert.True(f.Limit(2, Side.Sell, 2_000, Btc, instrument: Call).Accepted);
        Assert.True(f.Limit(1, Side.Buy, 2_000, Btc, instrument: Call).Accepted);
        f.Now = Expiry + 1;
        f.Drain();
        Assert.Equal(RejectCode.InstrumentExpired, f.Run(Command.OracleRound(f.Now, [new(0, 53_000 * Usd)], [new(Call, 3_000 * Usd, 0, 0)])).Code);
        Assert.False(f.Engine.IsExpired(Call));
        f.Ok(Command.OracleRound(f.Now, [new(0, 53_000 * Usd)], []));
        Assert.True(f.Engine.IsExpired(Call));
        // As RiskTests' per-underlying expiry: the seller keeps 2,000 and pays 3,000.
        Assert.Equal(19_000 * Usd, f.Engine.Account(2).Collateral);
        Assert.Equal(2, f.Drain().Count(e => e.Kind == EventKind.ExpirySettlement));
    }

    /// <summary>A round of one index is the per-underlying command: the same events and the same state.</summary>
    [Fact]
    public void A_round_of_one_index_is_the_index_command()
    {
        var a = Hedged();
        var b = Hedged();
        a.Ok(Command.OracleIndex(a.Now, 0, 47_000 * Usd));
        b.Ok(Command.OracleRound(b.Now, [new(0, 47_000 * Usd)], []));
        Assert.Equal(a.Drain(), b.Drain());
        Assert.Equal(a.Engine.StateHash(), b.Engine.StateHash());
    }

    public static TheoryData<string, RejectCode> BadRounds => new()
    {
        { "no payload", RejectCode.BadOracleRound },
        { "empty", RejectCode.BadOracleRound },
        { "underlyings out of order", RejectCode.BadOracleRound },
        { "an underlying twice", RejectCode.BadOracleRound },
        { "underlying past the limit", RejectCode.UnknownInstrument },
        { "zero index", RejectCode.BadOraclePrice },
        { "options out of order", RejectCode.BadOracleRound },
        { "unlisted option", RejectCode.UnknownInstrument },
        { "a perpetual as an option", RejectCode.NotAnOption },
        { "delta past 100%", RejectCode.BadOraclePrice },
        { "negative gamma", RejectCode.BadOraclePrice },
        { "mark past the maximum price", RejectCode.BadOraclePrice },
    };

    /// <summary>Every bad round is refused with its code and changes nothing, even when its first parts are good.</summary>
    [Theory]
    [MemberData(nameof(BadRounds))]
    public void A_bad_round_is_refused_with_nothing_changed(string what, RejectCode code)
    {
        IndexMark btc = new(0, 40_000 * Usd), eth = new(1, 3_600 * Usd);
        OptionMark call = new(Call, 1_000 * Usd, 400_000, 20_000), put = new(Put, 3_000 * Usd, -600_000, 20_000);
        var f = new Fixture(WithLiquidator).Fund(0, 1_000_000).Fund(1, 310).Fund(2, 100_000);
        Assert.True(f.Limit(2, Side.Sell, 50_000, 30 * Milli).Accepted);
        Assert.True(f.Limit(1, Side.Buy, 50_000, 30 * Milli, type: OrderType.Ioc).Accepted);
        f.Drain();
        // The twin refuses a command too (a rejection takes an event number, which the state counts), but no round.
        var twin = Engine.Restore(f.Engine.Snapshot());
        Assert.False(twin.Execute(Command.Funding(f.Now, 99)).Accepted);
        var command = what switch
        {
            "no payload" => new Command { Kind = CommandKind.OracleRound, Time = f.Now },
            "empty" => Command.OracleRound(f.Now, [], []),
            "underlyings out of order" => Command.OracleRound(f.Now, [eth, btc], []),
            "an underlying twice" => Command.OracleRound(f.Now, [btc, btc with { Price = 41_000 * Usd }], []),
            "underlying past the limit" => Command.OracleRound(f.Now, [btc, new(Limits.MaxUnderlyings, Usd)], []),
            "zero index" => Command.OracleRound(f.Now, [btc, eth with { Price = 0 }], []),
            "options out of order" => Command.OracleRound(f.Now, [btc, eth], [put, call]),
            "unlisted option" => Command.OracleRound(f.Now, [btc, eth], [call, put with { Instrument = 99 }]),
            "a perpetual as an option" => Command.OracleRound(f.Now, [btc, eth], [call, put with { Instrument = EthPerp }]),
            "delta past 100%" => Command.OracleRound(f.Now, [btc, eth], [call, put with { DeltaPpm = -1_000_001 }]),
            "negative gamma" => Command.OracleRound(f.Now, [btc, eth], [call, put with { GammaPpm = -1 }]),
            _ => Command.OracleRound(f.Now, [btc, eth], [call, put with { Mark = PutSpec.MaxPrice + 1 }]),
        };
        Assert.Equal(code, f.Run(command).Code);
        var rejected = Assert.Single(f.Drain());
        Assert.Equal((EventKind.Rejected, (byte)code, (long)CommandKind.OracleRound), (rejected.Kind, rejected.Reason, rejected.Amount));
        Assert.Equal(twin.StateHash(), f.Engine.StateHash());
        Assert.Equal(50_000 * Usd, f.Engine.MarkPrice(Perp));
    }
}
