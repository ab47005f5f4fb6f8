using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.State;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>Batches the engine produced, proven satisfiable, and the state they leave checked against the engine's own.</summary>
public class BatchTests
{
    [Fact]
    public void DepositsTradesAndAWithdrawalMakeASatisfiedBatchWhoseStateIsTheEngines()
    {
        using var s = new Scenario(new BatchShape(4, 2, 1));
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 5_000);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 20 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_010 * Usd, 15 * Milli, OrderType.Ioc);
        s.Withdraw(3, 1, 1_000 * Usd);
        Assert.Equal(1, s.Recorder.PendingTrades);

        using var batch = s.Build();
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());

        // Genesis is the contract's: the empty account tree.
        Assert.Equal(ZeroHashes.EmptyRoot(s.Config.AccountDepth), batch.PublicInputs[0]);
        Assert.Equal(s.Builder.StateRoot, batch.PublicInputs[1]);
        // The account tree's last leaf carries the order-fill tree's root; an account leaf proves against the root as in an escape.
        var accountsTree = s.Store.Tree(TreeId.Accounts, s.Config.AccountDepth);
        var fillsRoot = s.Store.Tree(TreeId.OrderFills, s.Config.FillDepth).Root;
        Assert.NotEqual(ZeroHashes.EmptyRoot(s.Config.FillDepth), fillsRoot);
        Assert.Equal(fillsRoot, accountsTree.Get(BatchCircuit.FillRootIndex(s.Config.AccountDepth)));
        var leaf = s.Builder.Mirror.Account(2)!.Leaf(s.Config.PositionsDepth).Hash();
        Assert.True(MerkleProof.Verify(batch.PublicInputs[1], 2, leaf, accountsTree.Prove(2).Siblings));
        Assert.Equal(s.OpsHead, batch.PublicInputs[4]);
        Assert.Equal(BatchEncoding.WithdrawalsCommitment([(Address(3), 1_000UL * Usd)]), batch.PublicInputs[6]);
        Assert.Equal((Fr)1UL, batch.PublicInputs[7]);
        // The public signals a verifier sees are the contract's eight, in its order.
        Assert.Equal(batch.PublicInputs, solution.PublicSignals.ToArray());
        s.AssertStateMatchesEngine();
    }

    /// <summary>
    /// Positions that grow, shrink, close and cross zero, takers on both sides, a maker rebate (BTC) and a maker fee
    /// (ETH), over two batches: after each, the tree's accounts equal the engine's.
    /// </summary>
    [Fact]
    public void EveryWayAFillMovesAPositionMatchesTheEngine()
    {
        using var s = new Scenario(new BatchShape(4, 8, 0));
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 100_000);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 15 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_010 * Usd, 15 * Milli, OrderType.Ioc);
        using (var b = s.Build()) Assert.True(s.Prove(b).IsSatisfied);
        s.AssertStateMatchesEngine();

        s.Place(2, BtcPerp, Side.Sell, 49_990 * Usd, 10 * Milli);                      // 2 will shrink 15 -> 5
        s.Place(1, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);        // 1 shrinks -15 -> -5
        s.Place(3, BtcPerp, Side.Buy, 49_980 * Usd, 12 * Milli);
        s.Place(2, BtcPerp, Side.Sell, 49_900 * Usd, 12 * Milli, OrderType.Ioc);       // 2 crosses 5 -> -7, 3 grows 0 -> 12
        s.Place(3, BtcPerp, Side.Sell, 50_000 * Usd, 7 * Milli);
        s.Place(1, BtcPerp, Side.Buy, 50_000 * Usd, 5 * Milli, OrderType.Ioc);         // 1 closes -5 -> 0, 3 shrinks 12 -> 7
        s.Place(1, EthPerp, Side.Buy, 3_000 * Usd, 300 * Btc / 100);
        s.Place(2, EthPerp, Side.Sell, 2_990 * Usd, 200 * Btc / 100, OrderType.Ioc);   // ETH: maker pays a positive fee
        Assert.Equal(4, s.Recorder.PendingTrades);
        using (var b = s.Build())
        {
            var solution = s.Prove(b);
            Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        }
        s.AssertStateMatchesEngine();
        Assert.Equal(0, s.Engine.Position(1, BtcPerp).Quantity);
        Assert.Equal(-7 * Milli, s.Engine.Position(2, BtcPerp).Quantity);
        Assert.True(s.Engine.FeePool > 0);
    }
}
