using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Exchange;
using Validium.Node.Exchange;

namespace Validium.Node.Tests;

/// <summary>
/// The node applies an oracle round to the engine as one command (CIRCUIT.md, "Liquidation slots"): with two
/// perpetuals on different underlyings, a round moving them apart liquidates only the account that is below
/// maintenance at the whole round, which is what the batch circuit decides. Figures by hand from MARGIN.md
/// (maintenance 5%, initial 10%, taker fee 0.05%; BTC lots 0.001, ETH lots 0.01).
/// </summary>
public class TwoUnderlyingRoundTests
{
    private const long Usd = 1_000_000, Btc = 100_000_000, Milli = Btc / 1000;
    private const int Liquidator = 4, Insurance = 5;

    private static readonly InstrumentSpec BtcPerp = new()
    {
        Kind = InstrumentKind.Perpetual, Underlying = 0, TickSize = Usd / 2, LotSize = Milli, QuantityDecimals = 8,
        MinQuantity = Milli, MaxQuantity = 10 * Btc, MaxPrice = 200_000 * Usd, MaxPosition = 100 * Btc,
        MakerFeePpm = -100, TakerFeePpm = 500, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
        PremiumCapPpm = 5_000, FundingCapPpm = 750,
    };

    private static readonly InstrumentSpec EthPerp = BtcPerp with
    {
        Underlying = 1, TickSize = Usd / 20, LotSize = Btc / 100, MinQuantity = Btc / 100, MaxPrice = 20_000 * Usd,
    };

    private static readonly CircuitConfig Circuit = new()
    {
        AccountDepth = 3, PositionsDepth = 1, FillDepth = 8, FeeAccount = 0, Shape = new BatchShape(2, 1, 0, Liquidations: 2),
        Instruments = [InstrumentParams.FromSpec(BtcPerp), InstrumentParams.FromSpec(EthPerp)],
        LiquidatorAccount = Liquidator, InsuranceAccount = Insurance, LiquidationPenaltyPpm = 200_000,
    };

    private static Applied Apply(ExchangeJournalHandler h, long sequence, long time, NodeCommand c) => h.Apply(sequence, time, NodeCommandCodec.Encode(c));

    /// <summary>Per lot (cash per tick-lot 500 for both): BTC and ETH at the given prices.</summary>
    private static OracleRoundCommitted Round(ulong round, ulong seconds, long btc, long eth) =>
        new(new OracleRound(round, seconds, [(ulong)(btc / 1000), (ulong)(eth / 100)]));

    /// <summary>
    /// Account 2 (310 USD) is long 30 BTC lots and 50 ETH lots, account 3 (700 USD) long the same BTC and short the same
    /// ETH, each having paid 1.50 USD in fees. At BTC 40,000 and ETH 3,600 account 2 is worth 308.50 against maintenance
    /// 150 and stays; account 3 is worth 98.50 against 150 and is the round's one liquidation (penalty 30). Committed
    /// BTC first, account 2 would have been liquidated at 8.50 against 135.
    /// </summary>
    [Fact]
    public void A_round_moving_two_underlyings_apart_liquidates_only_below_maintenance_at_the_whole_round()
    {
        // The operator's key takes the fee account 0, so the other keys get accounts 1 to 5 in deposit order.
        var h = new ExchangeJournalHandler(new EngineConfig { MaxAccounts = 8, LiquidatorAccount = Liquidator }, Circuit, Harness.PublicKey(0), new ViewBuilder(5, 5, 5));
        long seq = 0, time = 1_000_000;
        Assert.True(Apply(h, ++seq, time, new OperatorCommand(Command.List(time, BtcPerp))).Ack.Accepted);
        Assert.True(Apply(h, ++seq, time, new OperatorCommand(Command.List(time, EthPerp))).Ack.Accepted);
        var first = Apply(h, ++seq, time, Round(1, 1_000, 50_000 * Usd, 3_000 * Usd));
        Assert.True(first.Ack.Accepted, first.Ack.Message);
        foreach (var (account, usd) in new[] { (0, 1L), (1, 100_000L), (2, 310L), (3, 700L), (Liquidator, 1_000_000L), (Insurance, 1L) })
            Assert.Equal(account, Apply(h, ++seq, time, new L1Deposit((ulong)account, Harness.PublicKey(account), (ulong)(usd * Usd), Harness.Address(account))).Ack.Account);

        var nonces = new Dictionary<int, long>();
        void Place(int account, int instrument, Side side, long price, long quantity, OrderType type)
        {
            time += 10;
            long nonce = nonces[account] = nonces.GetValueOrDefault(account) + 1;
            var order = Command.Place(time, account, nonce, instrument, side, type, price, quantity, seq + 1, 0);
            var applied = Apply(h, ++seq, time, new SignedCommand(order, OrderSigning.Sign(order, Harness.PrivateKey(account))));
            Assert.True(applied.Ack.Accepted, applied.Ack.Message);
        }
        Place(1, 0, Side.Sell, 50_000 * Usd, 60 * Milli, OrderType.Limit);
        Place(2, 0, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
        Place(3, 0, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
        Place(1, 1, Side.Sell, 3_000 * Usd, Btc / 2, OrderType.Limit);
        Place(2, 1, Side.Buy, 3_000 * Usd, Btc / 2, OrderType.Ioc);
        Place(1, 1, Side.Buy, 3_000 * Usd, Btc / 2, OrderType.Limit);
        Place(3, 1, Side.Sell, 3_000 * Usd, Btc / 2, OrderType.Ioc);
        Assert.Equal((30 * Milli, -Btc / 2), (h.Engine.Position(3, 0).Quantity, h.Engine.Position(3, 1).Quantity));

        var moved = Apply(h, ++seq, time + 1_000, Round(2, 1_001, 40_000 * Usd, 3_600 * Usd));
        Assert.True(moved.Ack.Accepted, moved.Ack.Message);
        var liquidation = Assert.Single(moved.Liquidations);
        Assert.Equal((3UL, 98_500_000L, 150_000_000L, 30_000_000L), (liquidation.Account, liquidation.TotalValue, liquidation.MaintenanceMargin, liquidation.Penalty));
        Assert.Equal((30 * Milli, Btc / 2), (h.Engine.Position(2, 0).Quantity, h.Engine.Position(2, 1).Quantity));
        Assert.Equal((40_000 * Usd, 3_600 * Usd), (h.Engine.MarkPrice(0), h.Engine.MarkPrice(1)));
        Assert.True(moved.HasOperations);
    }
}
