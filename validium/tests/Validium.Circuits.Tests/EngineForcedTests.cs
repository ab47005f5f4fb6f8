using System.Numerics;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// The engine's forced-request decisions (Engine.ExecuteForced through <see cref="ExchangeRecorder.Forced"/>) against
/// the witness builder's, which is independent code checked by the circuit's solver: the same requests on the same
/// state, applied after the batch's other operations as the node cuts its batches, must be executed or refused alike
/// and leave the engine's balances and positions equal to the batch state's.
/// </summary>
public class EngineForcedTests
{
    private static readonly BatchShape Shape = new(4, 1, 1, Forced: 4);

    private static Scenario Funded()
    {
        var s = new Scenario(Shape);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 2_000);
        using (var b = s.Build()) s.Commit(b);
        return s;
    }

    /// <summary>Queues the requests on "L1", lets the engine decide each, builds and solves the batch, and compares.</summary>
    private static void EngineAgreesWithTheBatch(Scenario s, params Func<Scenario, ForcedOp>[] requests)
    {
        var oracle = s.Oracle;
        var engine = new List<bool>();
        foreach (var request in requests)
        {
            var op = request(s);
            engine.Add(s.Recorder.Forced(s.Now, op, oracle, (int)s.Config.FeeAccount).Accepted);
        }
        var recorded = s.Recorder.TakeForced();
        Assert.Equal(s.Forced, recorded.Select(r => r.Op));
        Assert.Equal(engine, recorded.Select(r => r.Executed));

        using var batch = s.Build();
        int first = 1 + Shape.Deposits + BatchEncoding.TradeWords * Shape.Trades + BatchEncoding.WithdrawalWords * Shape.Withdrawals;
        var builder = Enumerable.Range(0, requests.Length)
            .Select(k => (batch.DataWords[first + BatchEncoding.ForcedWords * k].ToBigInteger() >> 8 & 1) == 1).ToList();
        Assert.Equal(builder, engine);
        Assert.True(s.Prove(batch).IsSatisfied);

        foreach (int id in s.Engine.AccountIds())
        {
            var leaf = s.Builder.Mirror.Account((ulong)id)!;
            long collateral = s.Engine.Account(id).Collateral + (id == (int)s.Config.FeeAccount ? s.Engine.FeePool : 0);
            Assert.Equal(collateral, leaf.Collateral);
            for (int i = 0; i < s.Engine.InstrumentCount; i++)
            {
                var (quantity, cost) = s.Engine.Position(id, i);
                Assert.Equal((quantity / s.Engine.Instrument(i).LotSize, cost), (leaf.Positions[i].Size, leaf.Positions[i].OpenNotional));
            }
        }
    }

    [Fact]
    public void Forced_withdrawals_paid_and_refused_alike()
    {
        using var s = Funded();
        EngineAgreesWithTheBatch(s,
            x => x.ForceWithdrawal(2, 1_000 * Usd, KeyOf(2)),
            x => x.ForceWithdrawal(3, 2_001 * Usd, KeyOf(3)),
            x => x.ForceWithdrawal(1, 1 * Usd, KeyOf(5)),
            x => x.ForceWithdrawal(15, 1 * Usd, KeyOf(1)));
    }

    [Fact]
    public void Forced_requests_decided_on_the_state_the_batch_trades_leave()
    {
        using var s = Funded();
        // Account 2 buys 15 lots in the batch: 99,990 is then beyond its free collateral, 99,000 not. Account 3 sells
        // 15 lots to account 1 by force at 1.2 × the oracle price, closing 1's short from the batch at a loss, then
        // sells it 15 more: its 2,000 carries 30 short lots at a price above the oracle's.
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 20 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 15 * Milli, OrderType.Ioc);
        var price = s.Oracle.Prices[BtcPerp];
        EngineAgreesWithTheBatch(s,
            x => x.ForceWithdrawal(2, 99_990 * Usd, KeyOf(2)),
            x => x.ForceWithdrawal(2, 99_000 * Usd, KeyOf(2)),
            x => x.ForceTrade(3, 1, BtcPerp, -15, price * 12 / 10),
            x => x.ForceTrade(1, 3, BtcPerp, 15, price * 12 / 10));
    }

    [Fact]
    public void Forced_trades_executed_and_refused_alike()
    {
        using var s = Funded();
        var p = s.Oracle.Prices[BtcPerp];
        EngineAgreesWithTheBatch(s,
            x => x.ForceTrade(2, 1, BtcPerp, 10, p),
            x => x.ForceTrade(2, 1, BtcPerp, -15, p + 3 * (ulong)Usd),
            x => x.ForceTrade(3, 1, BtcPerp, 1000, p),
            x => x.ForceTrade(1, 2, 7, 1, p));
        using var t = Funded();
        EngineAgreesWithTheBatch(t,
            x => x.ForceTrade(1, 2, BtcPerp, long.MaxValue, p),
            x => x.ForceTrade(1, 2, BtcPerp, 1, p, keyB: KeyOf(5)),
            x => x.ForceTrade(1, 9, EthPerp, -3, t.Oracle.Prices[EthPerp]),
            x => x.ForceTrade(2, 3, EthPerp, -3, t.Oracle.Prices[EthPerp]));
    }

    [Fact]
    public void A_request_the_contract_could_not_have_queued_is_refused_before_the_engine_sees_it()
    {
        using var s = Funded();
        var bad = new ForcedOp(Fr.FromBigInteger(BatchEncoding.L1Deposit + (BigInteger.One << 72)), Fr.Zero, Fr.Zero, Fr.One);
        var e = Assert.Throws<ArgumentException>(() => s.Recorder.Forced(s.Now, bad, s.Oracle, 0));
        Assert.Contains("kind 2 or 3", e.Message);
        Assert.Equal(0, s.Recorder.PendingForced);
    }
}
