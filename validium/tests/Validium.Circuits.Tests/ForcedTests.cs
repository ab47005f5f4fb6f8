using System.Numerics;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// L1 forced withdrawals and forced trades (SPEC.md): consumed in queue order after the deposits, executed exactly
/// when the state allows them, consumed as a visible no-op when not; an operator who refuses a valid request or skips
/// one leaves the circuit unsatisfied.
/// </summary>
public class ForcedTests
{
    private static readonly BatchShape Shape = new(4, 1, 1, Forced: 4);

    /// <summary>Accounts 0 (fees), 1 and 2 with 100,000 each, 3 with 2,000, funded in batch 1 (committed unsolved: BatchTests proves such batches).</summary>
    private static Scenario Funded()
    {
        var s = new Scenario(Shape);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 2_000);
        using (var b = s.Build()) s.Commit(b);
        return s;
    }

    /// <summary>The forced record's first data word, spelled out from CIRCUIT.md rather than through BatchEncoding.</summary>
    private static Fr ForcedWord(int kind, bool executed, ulong account, ulong amountOrPrice, ulong lots = 0, bool aSells = false) =>
        Fr.FromBigInteger(kind + ((executed ? BigInteger.One : 0) << 8) + ((BigInteger)account << 16) + ((BigInteger)amountOrPrice << 80)
            + ((BigInteger)lots << 144) + ((aSells ? BigInteger.One : 0) << 208));

    /// <summary>The first data word of forced slot k: after the header, deposit, trade and withdrawal records.</summary>
    private static int ForcedWordIndex(int k) => 1 + Shape.Deposits + 4 * Shape.Trades + 2 * Shape.Withdrawals + 2 * k;

    [Fact]
    public void ForcedWithdrawalWithinFreeCollateralIsPaid()
    {
        using var s = Funded();
        s.ForceWithdrawal(2, 1_000 * Usd, KeyOf(2));
        using var batch = s.Build();
        Assert.Equal(s.OpsHead, batch.NewOpsHead);
        Assert.Equal([(Address(2), (ulong)(1_000 * Usd))], batch.Withdrawals);
        Assert.Equal(ForcedWord(4, true, 2, 1_000 * Usd), batch.DataWords[ForcedWordIndex(0)]);
        Assert.Equal(Fr.FromBigInteger(Address(2)), batch.DataWords[ForcedWordIndex(0) + 1]);
        Assert.True(s.Prove(batch).IsSatisfied);
        Assert.Equal(99_000 * Usd, s.Builder.Mirror.Account(2)!.Collateral);
    }

    [Fact]
    public void RefusedForcedWithdrawalsAreConsumedAsNoOps()
    {
        using var s = Funded();
        s.ForceWithdrawal(3, 2_001 * Usd, KeyOf(3)); // more than the account holds: below the margin rule
        s.ForceWithdrawal(2, 1 * Usd, KeyOf(5));     // signed by a key that is not the account's
        s.ForceWithdrawal(7, 1 * Usd, KeyOf(7));     // an empty account
        s.ForceWithdrawal(15, 1 * Usd, KeyOf(1));    // the reserved index that holds the order-fill root
        using var batch = s.Build();
        Assert.Equal(s.OpsHead, batch.NewOpsHead);
        Assert.Empty(batch.Withdrawals);
        Assert.Equal(batch.PublicInputs[0], batch.NewStateRoot);
        Assert.Equal(ForcedWord(4, false, 3, 2_001 * Usd), batch.DataWords[ForcedWordIndex(0)]);
        Assert.Equal(ForcedWord(4, false, 15, 1 * Usd), batch.DataWords[ForcedWordIndex(3)]);
        Assert.True(s.Prove(batch).IsSatisfied);
    }

    [Fact]
    public void ForcedWithdrawalIsDecidedOnTheStateTheBatchLeaves()
    {
        using var s = Funded();
        // Without the trade, 99,990 of account 2's 100,000 would be free; long 15 lots (75 of initial margin) after it, not.
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 20 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 15 * Milli, OrderType.Ioc);
        s.ForceWithdrawal(2, 99_990 * Usd, KeyOf(2));
        using var batch = s.Build();
        Assert.Empty(batch.Withdrawals);
        Assert.Equal(ForcedWord(4, false, 2, 99_990 * Usd), batch.DataWords[ForcedWordIndex(0)]);
        Assert.True(s.Prove(batch).IsSatisfied);
    }

    [Fact]
    public void ForcedTradeWithinMarginMovesBothPositions()
    {
        using var s = Funded();
        var price = s.Oracle.Prices[BtcPerp];
        s.ForceTrade(2, 1, BtcPerp, 10, price);
        using var batch = s.Build();
        Assert.Equal(ForcedWord(5, true, 2, price, 10), batch.DataWords[ForcedWordIndex(0)]);
        Assert.True(s.Prove(batch).IsSatisfied);
        var notional = 10 * (long)price;
        Assert.Equal(new PositionLeafView(10, notional), PositionLeafView.Of(s.Builder.Mirror.Account(2)!, BtcPerp));
        Assert.Equal(new PositionLeafView(-10, -notional), PositionLeafView.Of(s.Builder.Mirror.Account(1)!, BtcPerp));
        Assert.Equal(100_000 * Usd, s.Builder.Mirror.Account(2)!.Collateral);
    }

    [Fact]
    public void ForcedTradeAcrossZeroRealisesTheClosedPart()
    {
        using var s = Funded();
        var p = s.Oracle.Prices[BtcPerp];
        var q = p + 3 * (ulong)Usd;
        s.ForceTrade(2, 1, BtcPerp, 10, p);   // 2 long 10 at p, 1 short 10
        s.ForceTrade(2, 1, BtcPerp, -15, q);  // 2 sells 15 at q: closes its 10 (gain 10·(q − p)) and opens 5 short at q
        using var batch = s.Build();
        Assert.Equal(ForcedWord(5, true, 2, q, 15, aSells: true), batch.DataWords[ForcedWordIndex(1)]);
        Assert.True(s.Prove(batch).IsSatisfied);
        long gain = 10 * (long)(q - p);
        var a2 = s.Builder.Mirror.Account(2)!;
        var a1 = s.Builder.Mirror.Account(1)!;
        Assert.Equal(new PositionLeafView(-5, -5 * (long)q), PositionLeafView.Of(a2, BtcPerp));
        Assert.Equal(new PositionLeafView(5, 5 * (long)q), PositionLeafView.Of(a1, BtcPerp));
        Assert.Equal(100_000 * Usd + gain, a2.Collateral);
        Assert.Equal(100_000 * Usd - gain, a1.Collateral);
    }

    [Fact]
    public void RefusedForcedTradesAreConsumedAsNoOps()
    {
        using var s = Funded();
        var price = s.Oracle.Prices[BtcPerp];
        s.ForceTrade(3, 1, BtcPerp, 1000, price);  // 1 BTC needs 5,000 initial margin; account 3 has 2,000
        s.ForceTrade(1, 2, 7, 1, price);           // an instrument outside the circuit's table
        s.ForceTrade(1, 2, BtcPerp, long.MaxValue, price); // a notional far beyond 64 bits
        s.ForceTrade(1, 2, BtcPerp, 1, price, keyB: KeyOf(5)); // B's key is not account 2's
        using var batch = s.Build();
        Assert.Equal(s.OpsHead, batch.NewOpsHead);
        Assert.Equal(batch.PublicInputs[0], batch.NewStateRoot);
        Assert.Equal(ForcedWord(5, false, 3, price, 1000), batch.DataWords[ForcedWordIndex(0)]);
        Assert.True(s.Prove(batch).IsSatisfied);
    }

    [Fact]
    public void RefusingAValidForcedWithdrawalIsUnsatisfiable()
    {
        using var s = Funded();
        s.ForceWithdrawal(2, 1_000 * Usd, KeyOf(2));
        using var batch = s.Build();
        // The operator claims the account holds nothing (so the margin rule would refuse), or that its leaf is empty.
        Assert.Contains("forced 0/A/merkle/root", s.Unsatisfied(Tampered(batch, "forced[0].accountA.collateral", _ => Fr.Zero)));
        Assert.Contains("forced 0/A/merkle/root", s.Unsatisfied(Tampered(batch, "forced[0].emptyA", _ => Fr.One)));
        // Or it executes it but leaves the payment out of the withdrawals the contract credits.
        Assert.StartsWith("withdrawals commitment", s.Unsatisfied(Tampered(batch, "withdrawalsCommitment", _ => Fr.Zero)));
    }

    [Fact]
    public void SkippedForcedRequestIsUnsatisfiable()
    {
        using var s = Funded();
        s.ForceWithdrawal(2, 1_000 * Usd, KeyOf(2));
        var queueHead = s.OpsHead;
        s.Forced.Clear();
        using var batch = s.Build();
        Assert.StartsWith("L1 operations: assert equal", s.Unsatisfied(Tampered(batch, "opsHeadAfter", _ => queueHead)));
    }

    [Fact]
    public void ForcedTradeOnAForgedCounterpartyIsUnsatisfiable()
    {
        using var s = Funded();
        s.ForceTrade(2, 1, BtcPerp, 10, s.Oracle.Prices[BtcPerp]);
        using var batch = s.Build();
        Assert.Contains("forced 0/B/merkle/root", s.Unsatisfied(Tampered(batch, "forced[0].accountB.collateral", v => v + Fr.One)));
    }

    private readonly record struct PositionLeafView(long Size, long Notional)
    {
        public static PositionLeafView Of(AccountData a, int instrument) => new(a.Positions[instrument].Size, a.Positions[instrument].OpenNotional);
    }
}
