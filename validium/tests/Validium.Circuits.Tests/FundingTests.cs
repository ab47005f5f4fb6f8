using System.Text.Json.Nodes;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Groth16;
using Validium.State;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// The engine's funding (Oracle.cs) built from its events into the funding section. Expected figures are worked by
/// hand from the specs (BTC perpetual: tick 0.5 USD, 0.001 BTC lots, so 500 micro-units per tick-lot; premium cap
/// 5,000 ppm, funding cap 750 ppm), not taken from the builder.
/// </summary>
public class FundingTests
{
    private static readonly BatchShape Shape = new(4, 3, 0, Funding: 4);

    /// <summary>A long-minus-short funding step of 37,650 per lot: 750 ppm of the 50,200 USD mark's 50,200,000 per lot.</summary>
    private const long Step = 37_650;

    /// <summary>
    /// Batch 1 funds the fee account 0 and accounts 1–3; batch 2 has 2 and 3 buy 20 and 10 lots from 1 at 50,000. Then 1
    /// quotes 50,100 / 50,300 (mid 50,200: a premium of 400 ticks on the 100,000-tick index, under the 500-tick cap), an
    /// hour later the round at 50,000 samples 4,000 ppm; with the empty book's sample of 0 at listing the average is
    /// 2,000 ppm, clamped to 750.
    /// </summary>
    private static Scenario Holders(BatchShape? shape = null)
    {
        var s = new Scenario(shape ?? Shape);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 10_000).Deposit(3, 10_000);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 30 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 20 * Milli, OrderType.Ioc);
        s.Place(3, BtcPerp, Side.Buy, 50_000 * Usd, 10 * Milli, OrderType.Ioc);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Buy, 50_100 * Usd, Milli);
        s.Place(1, BtcPerp, Side.Sell, 50_300 * Usd, Milli);
        Tick(s, FundingPeriodSeconds * 1000);
        return s;
    }

    private static void Tick(Scenario s, long afterMs)
    {
        s.Now += afterMs;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 50_000 * Usd)).Accepted);
        Assert.True(s.Recorder.Execute(Command.Funding(s.Now, BtcPerp)).Accepted);
    }

    [Fact]
    public void The_engines_funding_is_settled_in_the_batch_and_leaves_the_engines_state()
    {
        using var s = Holders();
        Assert.Equal(1, s.Recorder.PendingFundingTicks);
        var before = new ulong[] { 1, 2, 3 }.ToDictionary(id => id, id => s.Builder.Mirror.Account(id)!.Collateral);

        using var batch = s.Build();
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());

        var m = s.Builder.Mirror;
        Assert.Equal(30 * Step, m.Account(1)!.Collateral - before[1]);
        Assert.Equal(-20 * Step, m.Account(2)!.Collateral - before[2]);
        Assert.Equal(-10 * Step, m.Account(3)!.Collateral - before[3]);
        Assert.Equal(Step, m.Funding!.Index[BtcPerp]);
        Assert.Equal((ulong)(s.Now / 1000), m.Funding.LastTick[BtcPerp]);
        Assert.Equal(0, m.Funding.Index[EthPerp]);
        foreach (var id in new[] { 1, 2, 3 })
        {
            Assert.Equal(s.Engine.Account(id).Collateral, m.Account((ulong)id)!.Collateral);
            Assert.Equal(s.Engine.FundingIndex(BtcPerp), m.Account((ulong)id)!.Positions[BtcPerp].FundingIndex);
        }
        Assert.Equal(s.Engine.FundingIndex(BtcPerp), m.Funding.Index[BtcPerp]);

        // Header, then the BTC tick at 750 ppm, no ETH tick, the three holders in order, an unused settlement slot.
        Assert.Equal(BatchEncoding.FundingDataWord(BtcPerp, 750, 50_200_000), batch.DataWords[1]);
        Assert.Equal(Fr.Zero, batch.DataWords[2]);
        Assert.Equal(new[] { BatchEncoding.SettlementDataWord(1), BatchEncoding.SettlementDataWord(2), BatchEncoding.SettlementDataWord(3), Fr.Zero }, batch.DataWords.Skip(3).Take(4));

        // The reserved leaf now commits to the fill root, the funding state and the open interest: 2 and 3 hold 30 lots long.
        var reserved = s.Store.Tree(TreeId.Accounts, s.Config.AccountDepth).Get(BatchCircuit.FillRootIndex(s.Config.AccountDepth));
        var fills = s.Store.Tree(TreeId.OrderFills, s.Config.FillDepth).Root;
        Assert.Equal(Poseidon.Hash([BatchCircuit.FundingLeafTag, fills, PoseidonSponge.Commit([(ulong)(s.Now / 1000), Step, 30, 0, 0, 0])]), reserved);
    }

    [Fact]
    public void A_rate_beyond_the_cap_is_unsatisfiable()
    {
        using var s = Holders();
        var label = s.RefusedFunding("rate 751 ppm is beyond its cap of 750 ppm", f => f with { Ticks = [f.Ticks[0] with { RatePpm = 751 }] });
        Assert.StartsWith("funding tick 0/rate cap", label);
    }

    /// <summary>The round's 50,200,000 per lot ± 5,000 ppm allows marks within 251,000 of it.</summary>
    [Fact]
    public void A_mark_outside_the_premium_band_is_unsatisfiable()
    {
        using var s = Holders();
        var label = s.RefusedFunding("is outside the round's price 50200000 ± its premium cap of 5000 ppm",
            f => f with { Ticks = [f.Ticks[0] with { MarkPerLot = 50_200_000 + 251_001 }] });
        Assert.StartsWith("funding tick 0/mark band", label);
    }

    [Fact]
    public void A_wrong_index_step_is_unsatisfiable()
    {
        using var s = Holders();
        var label = s.RefusedFunding($"the engine's index {Step + 1} is not the state's {Step}", f => f with { Ticks = [f.Ticks[0] with { Index = Step + 1 }] });
        Assert.StartsWith("funding tick 0/index step", label);
    }

    /// <summary>The state written with one more micro-unit for account 2 than the circuit pays it: the next path under the circuit's root fails.</summary>
    [Fact]
    public void A_wrong_payment_to_one_account_is_unsatisfiable()
    {
        using var s = Holders();
        var label = s.RefusedFunding($"account 2: the engine paid {-20 * Step + 1}, the state's rule pays {-20 * Step}",
            f => f with { Payments = [.. f.Payments.Select(p => p.Account == 2 ? p with { Amount = p.Amount + 1 } : p)] });
        Assert.StartsWith("settlement 2/merkle/root", label);
    }

    [Fact]
    public void Skipping_a_holders_settlement_is_unsatisfiable()
    {
        using var s = Holders();
        var label = s.RefusedFunding("account 3: the engine paid 0", f => f with { Payments = [.. f.Payments.Where(p => p.Account != 3)] });
        Assert.StartsWith("funding zero sum", label);
    }

    /// <summary>Account 2 settled twice, in account 3's place: the increasing order fails before the sums are compared.</summary>
    [Fact]
    public void Settling_an_account_twice_is_unsatisfiable()
    {
        using var s = Holders();
        var label = s.RefusedFunding("account 2: the engine paid", f => f with
        {
            Payments = [.. f.Payments.Select(p => p.Account == 3 ? f.Payments.Single(q => q.Account == 2) : p)],
        });
        Assert.StartsWith("settlement 2/order", label);
    }

    [Fact]
    public void A_second_tick_within_the_funding_period_is_unsatisfiable()
    {
        using var s = Holders();
        using (var b = s.Build()) Assert.True(s.Prove(b).IsSatisfied);
        Tick(s, (FundingPeriodSeconds - 1) * 1000);
        var label = s.RefusedFunding("comes before the period since its last tick", f => f);
        Assert.StartsWith("funding tick 0/period", label);
    }

    [Fact]
    public void A_tampered_funding_record_fails_the_data_commitment()
    {
        using var s = Holders();
        using var batch = s.Build();
        var words = batch.DataWords.ToArray();
        words[1] = BatchEncoding.FundingDataWord(BtcPerp, 700, 50_200_000);
        Assert.Contains("data commitment", s.Unsatisfied(Tampered(batch, "dataCommitment", _ => PoseidonSponge.Commit(words))));
        words[1] = BatchEncoding.FundingDataWord(BtcPerp, 750, 50_200_000);
        words[5] = BatchEncoding.SettlementDataWord(4);
        Assert.Contains("data commitment", s.Unsatisfied(Tampered(batch, "dataCommitment", _ => PoseidonSponge.Commit(words))));
    }

    [Fact]
    public void A_circuit_without_funding_slots_refuses_a_tick()
    {
        using var s = Holders(new BatchShape(4, 3, 0));
        Assert.Contains("no funding slots", Assert.Throws<ArgumentException>(() => s.Build()).Message);
    }

    /// <summary>Recovery replays the three batches from their data alone to the same roots and funding state; a record naming another order is refused.</summary>
    [Fact]
    public void Replaying_a_funding_batch_reaches_the_same_roots()
    {
        using var s = new Scenario(Shape);
        var built = new List<(Fr[] Words, OracleRound Oracle, Fr Head, QueuedDeposit[] Queued, Fr[] Public)>();
        void Take()
        {
            List<DepositOp> deposits = [];
            var oracle = s.Oracle;
            using var b = s.Build((d, _, _) => deposits = [.. d]);
            built.Add(([.. b.DataWords], oracle, b.PublicInputs[3], [.. deposits.Select(d => new QueuedDeposit(d.Key, d.Amount, d.Depositor))], [.. b.PublicInputs]));
            s.Commit(b);
        }
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 10_000).Deposit(3, 10_000);
        Take();
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 30 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 20 * Milli, OrderType.Ioc);
        s.Place(3, BtcPerp, Side.Buy, 50_000 * Usd, 10 * Milli, OrderType.Ioc);
        Take();
        s.Place(1, BtcPerp, Side.Buy, 50_100 * Usd, Milli);
        s.Place(1, BtcPerp, Side.Sell, 50_300 * Usd, Milli);
        Tick(s, FundingPeriodSeconds * 1000);
        Take();

        var dir = Path.Combine(Path.GetTempPath(), "validium-funding-replay-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = StateStore.Open(dir, Cpu, new StateStoreOptions { SyncWrites = false });
            var replayer = new BatchBuilder(s.Config, store);
            for (int k = 0; k < built.Count; k++)
            {
                var b = built[k];
                if (k == 2)
                {
                    var swapped = (Fr[])b.Words.Clone();
                    (swapped[4], swapped[5]) = (swapped[5], swapped[4]);
                    Assert.Contains("increasing order", Assert.Throws<InvalidOperationException>(() => replayer.Replay(swapped, b.Oracle, b.Head, b.Queued)).Message);
                }
                using var pending = replayer.Replay(b.Words, b.Oracle, b.Head, b.Queued);
                Assert.Equal(b.Public, pending.PublicInputs);
                pending.Commit();
            }
            Assert.Equal(s.Builder.StateRoot, replayer.StateRoot);
            Assert.Equal(s.Builder.Mirror.Funding!.Index.ToArray(), replayer.Mirror.Funding!.Index.ToArray());
            Assert.Equal(s.Builder.Mirror.Funding.LastTick.ToArray(), replayer.Mirror.Funding.LastTick.ToArray());
            Assert.Equal([30, 0], replayer.Mirror.OpenInterest(s.Config.InstrumentCount));
            Assert.Equal(s.Engine.Account(2).Collateral, replayer.Mirror.Account(2)!.Collateral);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_snapshot_keeps_the_funding_state_and_settings()
    {
        using var s = Holders();
        using (var b = s.Build()) s.Commit(b);
        var snapshot = new StateSnapshot(s.Config, s.Builder.Mirror, 3, s.Builder.StateRoot, 0, Fr.Zero, 1);
        var read = StateSnapshot.FromJson(snapshot.ToJson());
        Assert.Equal(s.Builder.Mirror.Funding!.Index.ToArray(), read.Mirror.Funding!.Index.ToArray());
        Assert.Equal(s.Builder.Mirror.Funding.LastTick.ToArray(), read.Mirror.Funding.LastTick.ToArray());
        Assert.Equal((Shape, FundingPeriodSeconds, 750), (read.Config.Shape, read.Config.FundingPeriodSeconds, read.Config.FundingCapsPpm[BtcPerp]));
        var json = StateSnapshot.ConfigJson(s.Config with { Shape = new BatchShape(1, 1, 1) });
        Assert.Null(json["fundingPeriodSeconds"]);
        Assert.Contains("funding period", (s.Config with { FundingPeriodSeconds = 0 }).Validate());
        Assert.Contains("funding cap for each", (s.Config with { FundingCapsPpm = [750] }).Validate());
        Assert.Null(JsonNode.Parse(StateSnapshot.ConfigJson(s.Config with { Shape = new BatchShape(1, 1, 1) }).ToJsonString())!["shape"]!["funding"]);
    }

    /// <summary>A small circuit (two settlement slots): a Groth16 proof of the funding batch verifies, and not with another new root.</summary>
    [Fact]
    public void A_funding_batch_has_a_Groth16_proof_that_verifies()
    {
        using var s = new Scenario(new BatchShape(3, 1, 0, Funding: 2));
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 10_000);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 20 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 20 * Milli, OrderType.Ioc);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Buy, 50_100 * Usd, Milli);
        s.Place(1, BtcPerp, Side.Sell, 50_300 * Usd, Milli);
        Tick(s, FundingPeriodSeconds * 1000);

        using var batch = s.Build();
        var solution = s.Circuit.Solve(batch.Assignment).ThrowIfUnsatisfied();
        var pk = Setup.Run(s.Circuit.Compile().R1cs, devSeed: 7);
        var proof = new Prover(Cpu).Prove(pk, solution.Witness);
        Assert.True(Verifier.Verify(pk.VerifyingKey, proof, batch.PublicInputs.ToArray(), out var reason), reason);
        var forged = batch.PublicInputs.ToArray();
        forged[1] = forged[1] + Fr.One;
        Assert.False(Verifier.Verify(pk.VerifyingKey, proof, forged, out _));
    }
}
