using System.Numerics;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// One cheating operator per rule. Each batch is built twice: the builder's own check refuses it with a reason, and
/// built without that check the witness leaves the circuit unsatisfied at the rule's constraints, so no proof of it
/// can exist. The failing constraint's label (scope, operation, call site) shows which rule caught it.
/// </summary>
public class NegativeTests
{
    private static readonly BatchShape Shape = new(4, 1, 1);

    /// <summary>Accounts 0 (fees), 1, 2 and 3 funded in batch 1 (committed unsolved: BatchTests proves such batches); account 1 rests a 20-lot sell at 50,000.</summary>
    private static Scenario Funded()
    {
        var s = new Scenario(Shape);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 2_000);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 20 * Milli);
        return s;
    }

    /// <summary>Account 2 takes 15 lots of account 1's resting sell: one engine trade, recorded but not yet built.</summary>
    private static Scenario WithTrade()
    {
        var s = Funded();
        s.Place(2, BtcPerp, Side.Buy, 50_010 * Usd, 15 * Milli, OrderType.Ioc);
        Assert.Equal(1, s.Recorder.PendingTrades);
        return s;
    }

    [Fact]
    public void BadSignature()
    {
        using var s = WithTrade();
        var label = s.Refused("signature is not account 2's", (_, t, _) =>
        {
            var sig = t[0].Taker.Signature;
            t[0] = t[0] with { Taker = t[0].Taker with { Signature = sig with { S = sig.S + 1 } } };
        });
        Assert.Contains("trade 0/taker/signature/eddsa", label);
    }

    [Fact]
    public void Overfill()
    {
        using var s = WithTrade();
        // The IOC buy was for 15 lots; the operator books 16.
        var label = s.Refused("take the order to 1600000 of 1500000", (_, t, _) => t[0] = t[0] with { Lots = 16 });
        Assert.Contains("trade 0/taker/fill tree", label);
        Assert.EndsWith("(Fill)", label);
    }

    [Fact]
    public void ReplayedOrder()
    {
        using var s = WithTrade();
        TradeOp? settled = null;
        using (var b = s.Build((_, t, _) => settled = t[0])) s.Commit(b);
        // The same two signed orders settled again: the taker's fill leaf already holds its whole quantity.
        var label = s.Refused("take the order to 3000000 of 1500000", (_, t, _) => t.Add(settled!));
        Assert.Contains("trade 0/taker/fill tree", label);
    }

    [Fact]
    public void PriceBeyondLimit()
    {
        using var s = WithTrade();
        // The buyer's limit is 50,010 (100,020 ticks of 0.5); the operator prints the trade one tick above it.
        var label = s.Refused("beyond the order's limit", (_, t, _) => t[0] = t[0] with { PriceTicks = 100_021 });
        Assert.Contains("trade 0/taker/price limit", label);
    }

    [Fact]
    public void InsufficientMargin()
    {
        using var s = Funded();
        // Account 3 holds 2,000: a 1 BTC long (50,000 notional) needs 2,500 maintenance. The engine would refuse the
        // order, so the operator brings the signed orders itself.
        var buy = s.Sign(3, BtcPerp, Side.Buy, 50_000 * Usd, 1000 * Milli);
        var sell = s.Sign(1, BtcPerp, Side.Sell, 50_000 * Usd, 1000 * Milli);
        var label = s.Refused("account 3 would be below maintenance margin", (_, t, _) => t.Add(new TradeOp(buy, sell, 100_000, 1000)));
        Assert.Contains("trade 0/taker/margin (maintenance)", label);
    }

    [Fact]
    public void WrongMerklePath()
    {
        using var s = WithTrade();
        using var batch = s.Build();
        var label = s.Unsatisfied(Tampered(batch, "trade[0].makerAccount.siblings[1]", v => v + Fr.One));
        Assert.Contains("trade 0/maker/merkle/root", label);
    }

    [Fact]
    public void WithdrawalBeyondFreeCollateral()
    {
        using var s = WithTrade();
        using (var b = s.Build()) s.Commit(b);
        // Account 2 is long 0.015 BTC (750 notional, 75 initial margin) on about 99,999 of collateral: it may not take out 99,950.
        var label = s.Refused("more than account 2's free collateral", (_, _, w) => w.Add(s.SignWithdrawal(2, 1, 99_950 * Usd)));
        Assert.Contains("withdrawal 0/margin (initial)", label);
    }

    [Fact]
    public void ForgedOraclePrice()
    {
        using var s = WithTrade();
        using var batch = s.Build();
        var label = s.Unsatisfied(Tampered(batch, "oracle.price[0]", v => v + Fr.One));
        Assert.Contains("oracle: assert equal", label);
    }

    [Fact]
    public void TamperedDataCommitment()
    {
        using var s = WithTrade();
        using var batch = s.Build();
        var label = s.Unsatisfied(Tampered(batch, "dataCommitment", v => v + Fr.One));
        Assert.Contains("data commitment", label);
    }

    [Fact]
    public void SkippedL1Deposit()
    {
        using var s = Funded();
        s.Deposit(4, 1_000).Deposit(5, 1_000);
        var queueHead = s.OpsHead;
        // The operator consumes the second deposit but not the first; the contract's head after both is public.
        using var batch = s.Build((d, _, _) => d.RemoveAt(0));
        var label = s.Unsatisfied(Tampered(batch, "opsHeadAfter", _ => queueHead));
        Assert.StartsWith("L1 operations: assert equal", label);
    }
}
