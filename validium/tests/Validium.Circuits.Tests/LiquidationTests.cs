using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Groth16;
using Validium.State;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// Liquidations the engine made after an oracle commit, built from its events into liquidation slots. Expected
/// figures are worked by hand from MARGIN.md (BTC perpetual: 0.001 BTC lots, maintenance 5%, penalty 20% of
/// maintenance, taker fee 0.05%), not taken from the builder.
/// </summary>
public class LiquidationTests
{
    private static readonly BatchShape Shape = new(6, 2, 0, Liquidations: 2);

    /// <summary>
    /// Batch 1 funds the fee account 0, the maker 1, the longs 2 (200 USD) and 3 (165 USD), the liquidator 4 and the
    /// insurance fund 5 (1 USD); batch 2 has 2 and 3 each buy 30 lots (0.03 BTC) from 1 at 50,000, paying 0.75 USD fee.
    /// Both batches are committed unsolved (BatchTests proves such batches).
    /// </summary>
    private static Scenario Leveraged(long liquidatorUsd = 1_000_000)
    {
        var s = new Scenario(Shape, liquidator: LiquidatorId);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 200).Deposit(3, 165).Deposit(LiquidatorId, liquidatorUsd).Deposit(InsuranceId, 1);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 60 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
        s.Place(3, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
        using (var b = s.Build()) s.Commit(b);
        return s;
    }

    private static void Commit(Scenario s, long btcUsd)
    {
        s.Now += 1_000;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, btcUsd * Usd)).Accepted);
    }

    /// <summary>
    /// At 44,500: account 2's value is 199.25 + 30·44.5 − 1,500 = 34.25 USD against maintenance 30·2.225 = 66.75, so it
    /// pays min(34.25, 13.35) and keeps 20.90; account 3's value is −0.75: no penalty, the fund covers 0.75.
    /// </summary>
    [Fact]
    public void An_oracle_drop_liquidates_two_accounts_and_the_batch_leaves_the_engines_state()
    {
        using var s = Leveraged();
        Commit(s, 44_500);
        Assert.Equal(2, s.Recorder.PendingLiquidations);

        using var batch = s.Build();
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());

        var m = s.Builder.Mirror;
        Assert.Equal(20_900_000, m.Account(2)!.Collateral);
        Assert.Equal(0, m.Account(3)!.Collateral);
        Assert.All(new[] { 2UL, 3UL }, id => Assert.All(m.Account(id)!.Positions, p => Assert.True(p.IsFlat)));
        Assert.Equal(1_000_000 * Usd, m.Account(LiquidatorId)!.Collateral);
        Assert.Equal(new PositionLeaf(60, 60 * 44_500_000L, 0), m.Account(LiquidatorId)!.Positions[BtcPerp]);
        Assert.Equal(Usd + 13_350_000 - 750_000, m.Account(InsuranceId)!.Collateral);
        Assert.Equal(BatchEncoding.LiquidationDataWord(2, 13_350_000, 0), batch.DataWords[1]);
        Assert.Equal(BatchEncoding.LiquidationDataWord(3, 0, 750_000), batch.DataWords[2]);

        // The engine agrees: the same collateral and positions, and its insurance fund is the account's less its deposit.
        foreach (var id in new[] { 2, 3, LiquidatorId })
        {
            Assert.Equal(s.Engine.Account(id).Collateral, m.Account((ulong)id)!.Collateral);
            Assert.Equal(s.Engine.Position(id, BtcPerp).Quantity, m.Account((ulong)id)!.Positions[BtcPerp].Size * Milli);
            Assert.Equal(s.Engine.Position(id, BtcPerp).Cost, m.Account((ulong)id)!.Positions[BtcPerp].OpenNotional);
        }
        Assert.Equal(s.Engine.InsuranceFund + Usd, m.Account(InsuranceId)!.Collateral);
    }

    [Fact]
    public void Liquidating_an_account_above_maintenance_is_unsatisfiable()
    {
        using var s = Leveraged();
        Commit(s, 44_500);
        // Account 1 is short 60 lots from 50,000 with 100,000 USD: far above maintenance.
        var label = s.RefusedLiquidation("(account 1): the account is not below maintenance margin", l =>
        {
            l.Clear();
            l.Add(new LiquidationOp(1, 0, 0, 0, [new PositionMove(LiquidatorId, BtcPerp, -60, 89_000)], 0, [], 0));
        });
        Assert.Contains("liquidation 0/below maintenance", label);
    }

    [Fact]
    public void A_transfer_at_a_price_other_than_the_rounds_is_unsatisfiable()
    {
        using var s = Leveraged();
        Commit(s, 44_500);
        var label = s.RefusedLiquidation("at the round's price", l =>
            l[0] = l[0] with { Transfers = [l[0].Transfers[0] with { PriceTicks = l[0].Transfers[0].PriceTicks + 1 }] });
        // The circuit books the transfer at the round's price: account 2's leaf is not the one the operator wrote, so the
        // next account proven under the circuit's root no longer opens.
        Assert.StartsWith("liquidation 1/merkle/root", label);
    }

    [Fact]
    public void A_wrong_penalty_is_unsatisfiable()
    {
        using var s = Leveraged();
        Commit(s, 44_500);
        var label = s.RefusedLiquidation("penalty 13350001 is not the circuit's 13350000", l => l[0] = l[0] with { Penalty = l[0].Penalty + 1 });
        Assert.Contains("liquidation 0/penalty", label);
    }

    /// <summary>
    /// A liquidator with 100 USD cannot carry 30 lots at 44,500 (initial margin 133.50): the engine auto-deleverages
    /// against account 1, which the builder refuses to prove; an operator moving the lots to the liquidator anyway breaks
    /// the liquidator's margin rule.
    /// </summary>
    [Fact]
    public void Deleveraging_is_refused_and_a_liquidator_past_its_margin_is_unsatisfiable()
    {
        using var s = Leveraged(liquidatorUsd: 100);
        Commit(s, 44_500);
        var ops = s.Recorder.TakeLiquidations();
        Assert.Equal(new[] { 1UL }, ops[0].Deleveraged.Select(d => d.To).Distinct());
        Assert.Contains("auto-deleveraged 1 position(s)", Assert.Throws<InvalidOperationException>(() =>
            s.Builder.Build(3, s.Oracle, s.OpsHead, [], [], [], [], ops)).Message);

        var label = s.RefusedLiquidation("cannot carry the positions within initial margin", l =>
        {
            l.AddRange(ops.Select(o => o with { Transfers = [.. o.Deleveraged.Select(d => d with { To = LiquidatorId })], Deleveraged = [] }));
        });
        Assert.StartsWith("liquidator/margin (initial)", label);
    }

    /// <summary>At 43,000 both values are negative (−10.75 and −45.75 USD): no penalty reaches the engine's empty fund, so it socialises.</summary>
    [Fact]
    public void A_socialised_loss_is_refused_with_the_reason()
    {
        using var s = Leveraged();
        Commit(s, 43_000);
        var e = Assert.Throws<InvalidOperationException>(() => s.Build());
        Assert.Contains("socialised a loss of 10750000", e.Message);
    }

    /// <summary>An operator claiming the fund covered both deficits in full (56.50 USD) when it holds 1 USD: the fund would go negative.</summary>
    [Fact]
    public void Covering_more_than_the_insurance_fund_holds_is_unsatisfiable()
    {
        using var s = Leveraged();
        Commit(s, 43_000);
        var label = s.RefusedLiquidation("the circuit does not socialise losses", l =>
        {
            l[0] = l[0] with { Cover = 10_750_000, Socialised = 0 };
            // The engine charged account 3 part of account 2's loss before liquidating it; the operator claims it had not.
            l[1] = l[1] with { TotalValue = -45_750_000, Penalty = 0, Cover = 45_750_000, Socialised = 0 };
        });
        Assert.StartsWith("insurance fund", label);
    }

    [Fact]
    public void A_tampered_liquidation_record_fails_the_data_commitment_and_replay()
    {
        using var s = Leveraged();
        Commit(s, 44_500);
        using var batch = s.Build();
        var words = batch.DataWords.ToArray();
        words[1] = BatchEncoding.LiquidationDataWord(2, 13_350_001, 0);
        var label = s.Unsatisfied(Tampered(batch, "dataCommitment", _ => PoseidonSponge.Commit(words)));
        Assert.Contains("data commitment", label);
    }

    /// <summary>Recovery replays the three batches from their data alone to the same roots; a tampered record is refused.</summary>
    [Fact]
    public void Replaying_a_batch_with_liquidations_reaches_the_same_roots()
    {
        var s = new Scenario(Shape, liquidator: LiquidatorId);
        var built = new List<(Fr[] Words, OracleRound Oracle, Fr Head, QueuedDeposit[] Queued, Fr[] Public)>();
        void Take()
        {
            List<DepositOp> deposits = [];
            var oracle = s.Oracle;
            using var b = s.Build((d, _, _) => deposits = [.. d]);
            built.Add(([.. b.DataWords], oracle, b.PublicInputs[3], [.. deposits.Select(d => new QueuedDeposit(d.Key, d.Amount, d.Depositor))], [.. b.PublicInputs]));
            s.Commit(b);
        }
        using (s)
        {
            s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 200).Deposit(3, 165).Deposit(LiquidatorId, 1_000_000).Deposit(InsuranceId, 1);
            Take();
            s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 60 * Milli);
            s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
            s.Place(3, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
            Take();
            Commit(s, 44_500);
            Take();

            var dir = Path.Combine(Path.GetTempPath(), "validium-replay-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var store = StateStore.Open(dir, Cpu, new StateStoreOptions { SyncWrites = false });
                var replayer = new BatchBuilder(s.Config, store);
                for (int k = 0; k < built.Count; k++)
                {
                    var b = built[k];
                    if (k == 2)
                    {
                        var tampered = (Fr[])b.Words.Clone();
                        tampered[1] = BatchEncoding.LiquidationDataWord(2, 13_350_001, 0);
                        Assert.Contains("word 1", Assert.Throws<FormatException>(() => replayer.Replay(tampered, b.Oracle, b.Head, b.Queued)).Message);
                    }
                    using var pending = replayer.Replay(b.Words, b.Oracle, b.Head, b.Queued);
                    Assert.Equal(b.Public, pending.PublicInputs);
                    pending.Commit();
                }
                Assert.Equal(s.Builder.StateRoot, replayer.StateRoot);
                Assert.Equal(s.Builder.Mirror.Account(LiquidatorId)!.Leaf(s.Config.PositionsDepth), replayer.Mirror.Account(LiquidatorId)!.Leaf(s.Config.PositionsDepth));
                Assert.Equal(60, replayer.Mirror.Account(LiquidatorId)!.Positions[BtcPerp].Size);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void The_circuit_file_keeps_the_liquidation_settings()
    {
        using var s = new Scenario(Shape, liquidator: LiquidatorId);
        var json = StateSnapshot.ConfigJson(s.Config);
        var read = StateSnapshot.ReadConfig(System.Text.Json.Nodes.JsonNode.Parse(json.ToJsonString()));
        Assert.Equal((Shape, (ulong)LiquidatorId, (ulong)InsuranceId, 200_000L), (read.Shape, read.LiquidatorAccount, read.InsuranceAccount, read.LiquidationPenaltyPpm));
        Assert.Contains("must be different accounts", (s.Config with { InsuranceAccount = LiquidatorId }).Validate());
        Assert.Contains("order-fill root", (s.Config with { LiquidatorAccount = 15 }).Validate());
    }

    /// <summary>One liquidation slot in a small circuit: a Groth16 proof of the liquidation batch verifies, and not with another new root.</summary>
    [Fact]
    public void A_liquidation_batch_has_a_Groth16_proof_that_verifies()
    {
        using var s = new Scenario(new BatchShape(3, 1, 0, Liquidations: 1), liquidator: LiquidatorId);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 200);
        using (var b = s.Build()) s.Commit(b);
        s.Deposit(LiquidatorId, 1_000_000).Deposit(InsuranceId, 1);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 30 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
        using (var b = s.Build()) s.Commit(b);
        Commit(s, 44_500);

        using var batch = s.Build();
        var solution = s.Circuit.Solve(batch.Assignment).ThrowIfUnsatisfied();
        var pk = Setup.Run(s.Circuit.Compile().R1cs, devSeed: 5);
        var proof = new Prover(Cpu).Prove(pk, solution.Witness);
        Assert.True(Verifier.Verify(pk.VerifyingKey, proof, batch.PublicInputs.ToArray(), out var reason), reason);
        var forged = batch.PublicInputs.ToArray();
        forged[1] = forged[1] + Fr.One;
        Assert.False(Verifier.Verify(pk.VerifyingKey, proof, forged, out _));
    }
}
