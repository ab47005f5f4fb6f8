using Validium.Circuits.Witness;
using Validium.Exchange;
using Validium.State;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// A round moving the two underlyings of the table's perpetuals in opposite directions (BTC down, ETH up), committed
/// with the engine's whole-round command as the node does: the liquidation it makes is the one the circuit decides at
/// that round, so the batch is proven. Committed one underlying at a time, the engine liquidates on a mix of marks and
/// the builder refuses the batch, which would stop the batcher. Figures by hand from MARGIN.md (maintenance 5%,
/// penalty 20% of maintenance, taker fee 0.05%; BTC lots 0.001, ETH lots 0.01).
/// </summary>
public class OracleRoundLiquidationTests
{
    private static readonly BatchShape Shape = new(6, 2, 0, Liquidations: 2);

    /// <summary>
    /// Batch 1 funds the fee account 0, the maker 1, account 2 (310 USD), account 3 (700 USD), the liquidator 4 and the
    /// insurance fund 5 (1 USD). Batches 2 and 3: 2 and 3 each buy 30 BTC lots at 50,000 from 1; 2 buys and 3 sells 50 ETH
    /// lots at 3,000 against 1. Each pays 1.50 USD in taker fees and nothing is left resting.
    /// </summary>
    private static Scenario Opposite()
    {
        var s = new Scenario(Shape, liquidator: LiquidatorId);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 310).Deposit(3, 700).Deposit(LiquidatorId, 1_000_000).Deposit(InsuranceId, 1);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 60 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
        s.Place(3, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, EthPerp, Side.Sell, 3_000 * Usd, Btc / 2);
        s.Place(2, EthPerp, Side.Buy, 3_000 * Usd, Btc / 2, OrderType.Ioc);
        s.Place(1, EthPerp, Side.Buy, 3_000 * Usd, Btc / 2);
        s.Place(3, EthPerp, Side.Sell, 3_000 * Usd, Btc / 2, OrderType.Ioc);
        using (var b = s.Build()) s.Commit(b);
        Assert.Equal(0, s.Engine.OpenOrders);
        s.Now += 1_000;
        return s;
    }

    /// <summary>
    /// At BTC 40,000 and ETH 3,600 account 2 is worth 308.50 against maintenance 150 (sound) and account 3 98.50 against
    /// 150: it pays 30 and keeps 68.50, its 30 BTC lots and 50 short ETH lots go to the liquidator at the round's prices.
    /// </summary>
    [Fact]
    public void A_round_moving_two_underlyings_apart_liquidates_at_the_whole_round_and_is_proven()
    {
        using var s = Opposite();
        Assert.True(s.Recorder.Execute(Command.OracleRound(s.Now, [new(0, 40_000 * Usd), new(1, 3_600 * Usd)], [])).Accepted);
        Assert.Equal(1, s.Recorder.PendingLiquidations);

        using var batch = s.Build();
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        Assert.Equal(BatchEncoding.LiquidationDataWord(3, 30 * Usd, 0), batch.DataWords[1]);
        var m = s.Builder.Mirror;
        Assert.Equal(68_500_000, m.Account(3)!.Collateral);
        Assert.All(m.Account(3)!.Positions, p => Assert.True(p.IsFlat));
        Assert.Equal(new PositionLeaf(30, 30 * 40_000_000L, 0), m.Account(LiquidatorId)!.Positions[BtcPerp]);
        Assert.Equal(new PositionLeaf(-50, -50 * 36_000_000L, 0), m.Account(LiquidatorId)!.Positions[EthPerp]);
        Assert.Equal(new PositionLeaf(30, 30 * 50_000_000L, 0), m.Account(2)!.Positions[BtcPerp]);
        Assert.Equal(Usd + 30 * Usd, m.Account(InsuranceId)!.Collateral);
        // The engine agrees; it keeps its insurance fund as a number, which the state keeps in account 5 beside its deposit.
        foreach (var id in new[] { 1, 2, 3, LiquidatorId })
        {
            Assert.Equal(s.Engine.Account(id).Collateral, m.Account((ulong)id)!.Collateral);
            foreach (var i in new[] { BtcPerp, EthPerp })
            {
                Assert.Equal(s.Engine.Position(id, i).Quantity, m.Account((ulong)id)!.Positions[i].Size * s.Engine.Instrument(i).LotSize);
                Assert.Equal(s.Engine.Position(id, i).Cost, m.Account((ulong)id)!.Positions[i].OpenNotional);
            }
        }
        Assert.Equal(s.Engine.InsuranceFund + Usd, m.Account(InsuranceId)!.Collateral);
    }

    /// <summary>
    /// The same move committed BTC first: on BTC's new mark and ETH's old one account 2 is worth 8.50 against 135 and the
    /// engine liquidates it, but at the round the batch is proven against it is sound, so the builder refuses the batch.
    /// </summary>
    [Fact]
    public void Per_underlying_commits_liquidate_on_mixed_marks_and_the_builder_refuses_the_batch()
    {
        using var s = Opposite();
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, 0, 40_000 * Usd)).Accepted);
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, 1, 3_600 * Usd)).Accepted);
        Assert.Equal(2, s.Recorder.PendingLiquidations);
        var e = Assert.Throws<InvalidOperationException>(() => s.Build());
        Assert.Contains("not below maintenance margin at the batch's prices (value 308500000, maintenance 150000000)", e.Message);
    }
}
