using System.Text.Json.Nodes;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Groth16;
using Validium.State;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// Options in the batch circuit (CIRCUIT.md, "Options"): a BTC call struck at 50,000 (0.001 BTC lots, 0.5 USD ticks, so
/// 500 micro-units per tick-lot; maintenance 10% and initial 15% of the spot), traded, margined and expired. Expected
/// figures are worked by hand from MARGIN.md, not taken from the builder.
/// </summary>
public class OptionTests
{
    private static readonly BatchShape Shape = new(4, 2, 1, Expiries: 2);

    /// <summary>Batch 1 funds the fee account 0, accounts 1 and 2 (100,000 each) and 3 (2,000); committed unsolved.</summary>
    private static Scenario Funded(BatchShape? shape = null)
    {
        var s = new Scenario(shape ?? Shape, options: true);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 2_000);
        using (var b = s.Build()) s.Commit(b);
        return s;
    }

    /// <summary>Account 1 rests a sell of 0.1 BTC of calls at 2,000; account 2 takes it: 100 lots at 4,000 ticks.</summary>
    private static void TradeCalls(Scenario s)
    {
        s.Place(1, BtcCall, Side.Sell, 2_000 * Usd, 100 * Milli);
        s.Place(2, BtcCall, Side.Buy, 2_000 * Usd, 100 * Milli, OrderType.Ioc);
        Assert.Equal(1, s.Recorder.PendingTrades);
    }

    /// <summary>The index moves to 53,000 at the call's expiry: the engine settles both holders at 3,000 intrinsic.</summary>
    private static void Expire(Scenario s)
    {
        s.Now = CallExpiryMs;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, 0, 53_000 * Usd)).Accepted);
        Assert.Equal(2, s.Recorder.PendingExpiries);
    }

    [Fact]
    public void The_round_carries_each_options_spot_after_the_instrument_prices()
    {
        using var s = new Scenario(Shape, options: true);
        Assert.Equal(InstrumentKind.Call, s.Config.Instruments[BtcCall].Kind);
        Assert.Equal(100_000, s.Config.Instruments[BtcCall].StrikeTicks);
        Assert.Equal(4, s.Config.PriceCount);
        // Marks per lot: BTC 50,000 is 100,000 ticks × 500, ETH 3,000 is 60,000 ticks × 500, the call at 2,000 is 4,000
        // ticks × 500; then the call's spot slot, the index in the call's ticks: 50,000 / 0.5.
        Assert.Equal([50 * Usd, 30 * Usd, 2 * Usd, 100_000UL], s.Oracle.Prices.ToArray());
    }

    [Fact]
    public void An_option_trade_the_engine_made_is_a_satisfied_batch_whose_state_is_the_engines()
    {
        using var s = Funded();
        TradeCalls(s);
        using var batch = s.Build();
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        // Cash 100 lots × 4,000 ticks × 500 = 200 USD: the taker pays 0.05% (0.10), the maker gets 0.01% (0.02) back.
        var buyer = s.Builder.Mirror.Account(2)!;
        var seller = s.Builder.Mirror.Account(1)!;
        Assert.Equal((100_000 * Usd - 100_000, 100L, 200 * Usd), (buyer.Collateral, buyer.Positions[BtcCall].Size, buyer.Positions[BtcCall].OpenNotional));
        Assert.Equal((100_000 * Usd + 20_000, -100L, -200 * Usd), (seller.Collateral, seller.Positions[BtcCall].Size, seller.Positions[BtcCall].OpenNotional));
        s.AssertStateMatchesEngine();
    }

    [Fact]
    public void A_short_option_beyond_the_option_margin_rule_is_unsatisfiable()
    {
        using var s = Funded();
        // Account 3 (2,000) writes 1 BTC of at-the-money calls at 2,000: its value stays about 2,000, but a short lot needs
        // max(10% × 50 − 0, 5% × 50) = 5 USD, 5,000 in all. The perpetual rule (|size| × price × 10% = 200) would pass it.
        var buy = s.Sign(1, BtcCall, Side.Buy, 2_000 * Usd, 1000 * Milli);
        var sell = s.Sign(3, BtcCall, Side.Sell, 2_000 * Usd, 1000 * Milli);
        var label = s.Refused("account 3 would be below maintenance margin", (_, t, _) => t.Add(new TradeOp(buy, sell, 4_000, 1000)));
        Assert.Contains("trade 0/maker/margin (maintenance)", label);
    }

    [Fact]
    public void Expiry_pays_each_holder_the_intrinsic_value_and_closes_the_position()
    {
        using var s = Funded();
        TradeCalls(s);
        using (var b = s.Build()) Assert.True(s.Prove(b).IsSatisfied);
        Expire(s);
        using var batch = s.Build();
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        // Intrinsic 53,000 − 50,000 = 3,000 per BTC, 3 USD per lot: the long gets 300 for its 200 of cost, the short pays 300 for its 200 received.
        Assert.Equal(100_000 * Usd - 100_000 + 100 * Usd, s.Builder.Mirror.Account(2)!.Collateral);
        Assert.Equal(100_000 * Usd + 20_000 - 100 * Usd, s.Builder.Mirror.Account(1)!.Collateral);
        Assert.All(new[] { 1UL, 2UL }, id => Assert.True(s.Builder.Mirror.Account(id)!.Positions[BtcCall].IsFlat));
        var data = BatchData.Decode(s.Config, batch.DataWords.ToArray());
        Assert.Equal([new ExpiryRecord(1, BtcCall, -300 * Usd), new ExpiryRecord(2, BtcCall, 300 * Usd)], data.Expiries.OrderBy(e => e.Account));
        s.AssertStateMatchesEngine();
    }

    [Fact]
    public void A_wrong_intrinsic_payout_is_unsatisfiable()
    {
        using var s = Funded();
        TradeCalls(s);
        using (var b = s.Build()) s.Commit(b);
        Expire(s);
        var label = s.RefusedExpiry("is not size × intrinsic value per lot", x => x[0] = x[0] with { Payout = x[0].Payout + 1 });
        Assert.Contains("expiry 0/payout", label);
    }

    [Fact]
    public void An_expiry_before_the_expiry_time_is_unsatisfiable()
    {
        using var s = Funded();
        TradeCalls(s);
        using (var b = s.Build()) s.Commit(b);
        // Still 1,000 s: the call expires at 2,000 s. At the money, its payout would be 0.
        var label = s.RefusedExpiry("after the round's time", x => x.Add(new ExpiryOp(2, BtcCall, 0)));
        Assert.Contains("expiry 0/expired", label);
    }

    [Fact]
    public void Trading_an_expired_option_is_unsatisfiable()
    {
        using var s = Funded();
        TradeCalls(s);
        using (var b = s.Build()) s.Commit(b);
        Expire(s);
        using (var b = s.Build()) s.Commit(b);
        // The engine no longer trades the call; the operator brings two signed orders for it anyway.
        var buy = s.Sign(2, BtcCall, Side.Buy, 2_000 * Usd, 10 * Milli);
        var sell = s.Sign(1, BtcCall, Side.Sell, 2_000 * Usd, 10 * Milli);
        var label = s.Refused("expired", (_, t, _) => t.Add(new TradeOp(buy, sell, 4_000, 10)));
        Assert.Contains("trade 0/option live", label);
    }

    [Fact]
    public void A_forged_spot_breaks_the_oracle_commitment()
    {
        using var s = Funded();
        TradeCalls(s);
        using var batch = s.Build();
        var label = s.Unsatisfied(Tampered(batch, $"oracle.price[{s.Config.SpotSlot(BtcCall)}]", v => v + Fr.FromUInt64(1_000)));
        Assert.Contains("oracle: assert equal", label);
    }

    /// <summary>
    /// Forced requests beside options, decided by the engine (Engine.ExecuteForced) and by the builder and circuit alike:
    /// a forced trade of 10 calls from account 1 to 2 at 2 USD per lot executes (the call is live); account 1, then short
    /// 110 calls, may withdraw 99,000 but not 99,500, since a short lot needs 15% × 50 = 7.5 USD initial (825 in all) and
    /// its value is its collateral (the premium it received is its open notional). The perpetual rule (110 × 2 × 15% = 33)
    /// would have let it take 99,900.
    /// </summary>
    [Fact]
    public void Forced_requests_next_to_options_are_decided_alike_by_the_engine_and_the_circuit()
    {
        var shape = new BatchShape(4, 2, 1, Forced: 3, Expiries: 1);
        using var s = Funded(shape);
        TradeCalls(s);
        using (var b = s.Build()) Assert.True(s.Prove(b).IsSatisfied);
        var oracle = s.Oracle;
        var engine = new[]
        {
            s.ForceTrade(2, 1, BtcCall, 10, 2 * Usd), s.ForceWithdrawal(1, 99_500 * Usd, KeyOf(1)), s.ForceWithdrawal(1, 99_000 * Usd, KeyOf(1)),
        }.Select(op => s.Recorder.Forced(s.Now, op, oracle, 0)).ToList();
        Assert.Equal([RejectCode.None, RejectCode.InsufficientMargin, RejectCode.None], engine.Select(o => o.Code));
        Assert.Equal(engine.Select(o => o.Accepted), s.Recorder.TakeForced().Select(f => f.Executed));

        using var batch = s.Build();
        int first = 1 + BatchEncoding.ExpiryWords * shape.Expiries + shape.Deposits + BatchEncoding.TradeWords * shape.Trades + BatchEncoding.WithdrawalWords * shape.Withdrawals;
        var executed = Enumerable.Range(0, 3).Select(k => (batch.DataWords[first + BatchEncoding.ForcedWords * k].ToBigInteger() >> 8 & 1) == 1);
        Assert.Equal([true, false, true], executed);
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        s.AssertStateMatchesEngine();
    }

    [Fact]
    public void Option_batches_replay_from_their_data_to_the_same_roots()
    {
        using var s = new Scenario(Shape, options: true);
        var built = new List<(Fr[] Words, OracleRound Oracle, Fr Head, QueuedDeposit[] Queued, Fr[] Public)>();
        void BuildAndProve()
        {
            var oracle = s.Oracle;
            List<DepositOp> deposits = [];
            using var batch = s.Build((d, _, _) => deposits = [.. d]);
            var head = batch.PublicInputs[3];
            Assert.True(s.Prove(batch).IsSatisfied);
            built.Add(([.. batch.DataWords], oracle, head, [.. deposits.Select(d => new QueuedDeposit(d.Key, d.Amount, d.Depositor))], [.. batch.PublicInputs]));
        }
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000);
        BuildAndProve();
        TradeCalls(s);
        BuildAndProve();
        Expire(s);
        BuildAndProve();

        var dir = Path.Combine(Path.GetTempPath(), "validium-replay-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = StateStore.Open(dir, Cpu, new StateStoreOptions { SyncWrites = false });
            var replayer = new BatchBuilder(s.Config, store);
            foreach (var b in built)
            {
                using var pending = replayer.Replay(b.Words, b.Oracle, b.Head, b.Queued);
                Assert.Equal(b.Public, pending.PublicInputs);
                pending.Commit();
            }
            Assert.Equal(s.Builder.StateRoot, replayer.StateRoot);

            // A payout record that is not what the state and the round give is refused by name.
            var last = built[^1];
            var words = (Fr[])last.Words.Clone();
            words[2] = words[2] + Fr.One;
            using var fresh = StateStore.Open(dir + "-2", Cpu, new StateStoreOptions { SyncWrites = false });
            var again = new BatchBuilder(s.Config, fresh);
            foreach (var b in built[..^1]) using (var p = again.Replay(b.Words, b.Oracle, b.Head, b.Queued)) p.Commit();
            Assert.Contains("the state and round give", Assert.Throws<InvalidOperationException>(() => again.Replay(words, last.Oracle, last.Head, last.Queued)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            if (Directory.Exists(dir + "-2")) Directory.Delete(dir + "-2", recursive: true);
        }
    }

    [Fact]
    public void An_option_trade_batch_has_a_Groth16_proof_that_verifies()
    {
        using var s = Funded(new BatchShape(4, 1, 0, Expiries: 1));
        TradeCalls(s);
        using var batch = s.Build();
        var solution = s.Circuit.Solve(batch.Assignment).ThrowIfUnsatisfied();
        var pk = Setup.Run(s.Circuit.Compile().R1cs, devSeed: 7);
        var proof = new Prover(Cpu).Prove(pk, solution.Witness);
        Assert.True(Verifier.Verify(pk.VerifyingKey, proof, batch.PublicInputs.ToArray(), out var reason), reason);
        var forged = batch.PublicInputs.ToArray();
        forged[5] = forged[5] + Fr.One;
        Assert.False(Verifier.Verify(pk.VerifyingKey, proof, forged, out _));
    }

    [Fact]
    public void Option_configurations_are_checked_and_round_trip_through_the_circuit_file()
    {
        using var s = new Scenario(Shape, options: true);
        var read = StateSnapshot.ReadConfig(JsonNode.Parse(StateSnapshot.ConfigJson(s.Config).ToJsonString()));
        Assert.Equal(s.Config.Instruments.ToArray(), read.Instruments.ToArray());
        Assert.Equal(Shape, read.Shape);
        Assert.Null((s.Config with { Shape = Shape with { Liquidations = 1 }, LiquidatorAccount = 4, InsuranceAccount = 5 }).Validate());
        Assert.Contains("whole second", Assert.Throws<ArgumentException>(() => InstrumentParams.FromSpec(BtcCallSpec with { Expiry = CallExpiryMs + 1 })).Message);
        var perpetualsOnly = s.Config with { Instruments = [.. s.Config.Instruments.Take(2)] };
        Assert.Contains("expiry slots need an option", perpetualsOnly.Validate());
        // A table without options compiles the circuit it compiled before options existed: no spot slots, no option constraints.
        Assert.Equal(2, (perpetualsOnly with { Shape = new BatchShape(4, 2, 1) }).PriceCount);
    }
}
