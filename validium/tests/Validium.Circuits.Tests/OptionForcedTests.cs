using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// L1 forced trades of an option (CIRCUIT.md, "Forced-request slots" and "Options"): executed while the option is live
/// at the round and both sides keep the simple initial rule, a no-op otherwise, decided alike by the engine
/// (Engine.ExecuteForced), the witness builder and the circuit. The BTC call struck at 50,000 at a spot of 50,000:
/// a short lot needs max(15% × 50 − 0, 7.5% × 50) = 7.5 USD initial, a long lot at the mark of 2 USD min(2, 7.5) = 2.
/// The premium of a forced trade is its open notional, so each side's value stays its collateral.
/// </summary>
public class OptionForcedTests
{
    private static readonly BatchShape Shape = new(4, 1, 1, Forced: 3, Expiries: 2);

    /// <summary>Accounts 0 (fees), 1 and 2 with 100,000 each, 3 with 2,000, funded in batch 1 (committed unsolved).</summary>
    private static Scenario Funded()
    {
        var s = new Scenario(Shape, options: true);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 2_000);
        using (var b = s.Build()) s.Commit(b);
        return s;
    }

    /// <summary>The first data word of forced slot k: after the header, expiry, deposit, trade and withdrawal records.</summary>
    private static int ForcedWordIndex(int k) =>
        1 + BatchEncoding.ExpiryWords * Shape.Expiries + Shape.Deposits + BatchEncoding.TradeWords * Shape.Trades + BatchEncoding.WithdrawalWords * Shape.Withdrawals
        + BatchEncoding.ForcedWords * k;

    private static bool Executed(PendingBatch batch, int k) => (batch.DataWords[ForcedWordIndex(k)].ToBigInteger() >> 8 & 1) == 1;

    /// <summary>Lets the engine decide each queued request at the current round, builds the batch and returns both decisions.</summary>
    private static (List<RejectCode> Engine, PendingBatch Batch) Decide(Scenario s, params ForcedOp[] ops)
    {
        var oracle = s.Oracle;
        var codes = ops.Select(op => s.Recorder.Forced(s.Now, op, oracle, (int)s.Config.FeeAccount).Code).ToList();
        Assert.Equal(codes.Select(c => c == RejectCode.None), s.Recorder.TakeForced().Select(f => f.Executed));
        return (codes, s.Build());
    }

    /// <summary>
    /// Account 2 buys 10 calls from 1 at 2 USD a lot; account 3 (2,000 USD) may write 266 calls (1,995 of initial margin)
    /// but not 267 (2,002.50).
    /// </summary>
    [Fact]
    public void Forced_option_trades_are_executed_and_refused_alike_by_the_engine_and_the_circuit()
    {
        using var s = Funded();
        var (engine, batch) = Decide(s, s.ForceTrade(2, 1, BtcCall, 10, 2 * Usd), s.ForceTrade(3, 1, BtcCall, -267, 2 * Usd),
            s.ForceTrade(3, 1, BtcCall, -266, 2 * Usd));
        using (batch)
        {
            Assert.Equal([RejectCode.None, RejectCode.InsufficientMargin, RejectCode.None], engine);
            Assert.Equal([true, false, true], Enumerable.Range(0, 3).Select(k => Executed(batch, k)));
            var solution = s.Prove(batch);
            Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        }
        var m = s.Builder.Mirror;
        Assert.Equal((-266L, -532 * Usd), (m.Account(3)!.Positions[BtcCall].Size, m.Account(3)!.Positions[BtcCall].OpenNotional));
        Assert.Equal((10L, 20 * Usd), (m.Account(2)!.Positions[BtcCall].Size, m.Account(2)!.Positions[BtcCall].OpenNotional));
        Assert.Equal((256L, 512 * Usd), (m.Account(1)!.Positions[BtcCall].Size, m.Account(1)!.Positions[BtcCall].OpenNotional));
        s.AssertStateMatchesEngine();
    }

    /// <summary>
    /// Account 3 writing 267 calls is refused; the operator cannot claim it executed: not in the data (the commitment
    /// is over the words the circuit computes), and not by giving account 3 the collateral the rule would need.
    /// </summary>
    [Fact]
    public void A_forced_option_trade_beyond_initial_margin_claimed_as_executed_is_unsatisfiable()
    {
        using var s = Funded();
        var (engine, batch) = Decide(s, s.ForceTrade(3, 1, BtcCall, -267, 2 * Usd));
        using (batch)
        {
            Assert.Equal([RejectCode.InsufficientMargin], engine);
            Assert.False(Executed(batch, 0));
            ClaimedExecutedFailsTheCommitment(s, batch);
            Assert.Contains("forced 0/A/merkle/root", s.Unsatisfied(Tampered(batch, "forced[0].accountA.collateral", v => v + Fr.FromUInt64(3 * Usd))));
            Assert.True(s.Prove(batch).IsSatisfied);
        }
    }

    /// <summary>
    /// After the call's expiry (2,000 s) both holders are settled; a forced trade of it at the next round is refused by
    /// the engine (InstrumentExpired) and consumed as a no-op by the circuit. Claiming it executed fails the data
    /// commitment, and an earlier round time (the live flag is computed from it) fails the oracle commitment.
    /// </summary>
    [Fact]
    public void A_forced_trade_of_an_expired_option_claimed_as_executed_is_unsatisfiable()
    {
        using var s = Funded();
        s.Place(1, BtcCall, Side.Sell, 2_000 * Usd, 100 * Milli);
        s.Place(2, BtcCall, Side.Buy, 2_000 * Usd, 100 * Milli, OrderType.Ioc);
        using (var b = s.Build()) s.Commit(b);
        s.Now = CallExpiryMs;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 53_000 * Usd)).Accepted);
        using (var b = s.Build()) Assert.True(s.Prove(b).IsSatisfied);

        s.Now += 1_000;
        var (engine, batch) = Decide(s, s.ForceTrade(2, 1, BtcCall, 10, 2 * Usd));
        using (batch)
        {
            Assert.Equal([RejectCode.InstrumentExpired], engine);
            Assert.False(Executed(batch, 0));
            ClaimedExecutedFailsTheCommitment(s, batch);
            Assert.Contains("oracle", s.Unsatisfied(Tampered(batch, "oracle.timestamp", _ => Fr.FromUInt64(CallExpiryMs / 1000 - 1))));
            Assert.True(s.Prove(batch).IsSatisfied);
        }
        Assert.All(new[] { 1UL, 2UL }, id => Assert.True(s.Builder.Mirror.Account(id)!.Positions[BtcCall].IsFlat));
        s.AssertStateMatchesEngine();
    }

    /// <summary>The batch's data with forced slot 0's executed bit set, committed as the public data commitment.</summary>
    private static void ClaimedExecutedFailsTheCommitment(Scenario s, PendingBatch batch)
    {
        var words = batch.DataWords.ToArray();
        words[ForcedWordIndex(0)] = words[ForcedWordIndex(0)] + Fr.FromUInt64(1 << 8);
        Assert.Contains("data commitment", s.Unsatisfied(Tampered(batch, "dataCommitment", _ => PoseidonSponge.Commit(words))));
    }
}
