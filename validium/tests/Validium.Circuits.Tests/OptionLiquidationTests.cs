using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Groth16;
using Validium.State;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// Liquidation of option holders (CIRCUIT.md, "Liquidation slots" and "Options"). The BTC call and put struck at
/// 50,000 (0.001 BTC lots, 0.5 USD ticks: 500 micro-units per tick-lot, maintenance 10%, initial 15% of the spot).
/// Account 3 deposits 1,600 USD, writes 100 calls to account 2 and buys 100 puts from account 1, both at 2 USD per lot
/// (2,000 per BTC), so its collateral is 1,600 + 0.02 rebate − 0.10 fee = 1,599.92 and its premiums are its open
/// notionals. At the spot of 50,000 its simple maintenance margin (MARGIN.md) is 100 × max(10% × 50 − 0, 5% × 50) = 500
/// for the short calls plus 100 × min(2, 10% × 50) = 200 for the long puts: 700 USD. Figures are worked by hand, not
/// taken from the builder.
/// </summary>
public class OptionLiquidationTests
{
    private static readonly BatchShape Shape = new(3, 1, 1, Liquidations: 1);

    private static Scenario Holding(List<Built>? built = null)
    {
        var s = new Scenario(Shape, liquidator: LiquidatorId, options: true, put: true);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000);
        Take(s, built);
        s.Deposit(3, 1_600).Deposit(LiquidatorId, 1_000_000).Deposit(InsuranceId, 1);
        Take(s, built);
        s.Place(3, BtcCall, Side.Sell, 2_000 * Usd, 100 * Milli);
        s.Place(2, BtcCall, Side.Buy, 2_000 * Usd, 100 * Milli, OrderType.Ioc);
        Take(s, built);
        s.Place(1, BtcPut, Side.Sell, 2_000 * Usd, 100 * Milli);
        s.Place(3, BtcPut, Side.Buy, 2_000 * Usd, 100 * Milli, OrderType.Ioc);
        Take(s, built);
        Assert.Equal(1_599_920_000, s.Engine.Account(3).Collateral);
        return s;
    }

    internal sealed record Built(Fr[] Words, OracleRound Oracle, Fr Head, QueuedDeposit[] Queued, Fr[] Public);

    /// <summary>Builds and commits the next batch unsolved, keeping what a replay needs when <paramref name="built"/> is given.</summary>
    private static Built Take(Scenario s, List<Built>? built)
    {
        List<DepositOp> deposits = [];
        var oracle = s.Oracle;
        using var b = s.Build((d, _, _) => deposits = [.. d]);
        var r = new Built([.. b.DataWords], oracle, b.PublicInputs[3], [.. deposits.Select(d => new QueuedDeposit(d.Key, d.Amount, d.Depositor))], [.. b.PublicInputs]);
        built?.Add(r);
        s.Commit(b);
        return r;
    }

    /// <summary>A new mark for the call (no greeks, as the node's rounds): the engine re-marks and liquidates at this commit.</summary>
    private static void MarkCall(Scenario s, long usd)
    {
        s.Now += 1_000;
        Assert.True(s.Recorder.Execute(Command.OracleOption(s.Now, BtcCall, usd * Usd, 0, 0)).Accepted);
    }

    /// <summary>
    /// The call marked at 12,000 (12 USD per lot): account 3's value is 1,599.92 − 1,200 + 200 + (200 − 200) = 599.92,
    /// below 700, so it pays min(599.92, 20% × 700) = 140 and keeps 459.92; the liquidator takes the short calls at 12
    /// and the long puts at 2 per lot. The batch is proven with Groth16, and the batches replay from their data.
    /// </summary>
    [Fact]
    public void A_short_call_and_long_put_holder_is_liquidated_proven_with_Groth16_and_replayed()
    {
        var built = new List<Built>();
        using var s = Holding(built);
        MarkCall(s, 12_000);
        var op = Assert.Single(s.Recorder.TakeLiquidations());
        Assert.Equal((3UL, 599_920_000L, 700_000_000L, 140_000_000L), (op.Account, op.TotalValue, op.MaintenanceMargin, op.Penalty));
        Assert.Empty(op.Deleveraged);

        var oracle = s.Oracle;
        // The batch continues the L1 chain where the last one left it (its opsHeadAfter).
        using var batch = s.Builder.Build(5, oracle, built[^1].Public[4], [], [], [], [], [op]);
        var solution = s.Circuit.Solve(batch.Assignment).ThrowIfUnsatisfied();
        var pk = Setup.Run(s.Circuit.Compile().R1cs, devSeed: 11);
        var proof = new Prover(Cpu).Prove(pk, solution.Witness);
        Assert.True(Verifier.Verify(pk.VerifyingKey, proof, batch.PublicInputs.ToArray(), out var reason), reason);
        var forged = batch.PublicInputs.ToArray();
        forged[1] = forged[1] + Fr.One;
        Assert.False(Verifier.Verify(pk.VerifyingKey, proof, forged, out _));
        built.Add(new Built([.. batch.DataWords], oracle, batch.PublicInputs[3], [], [.. batch.PublicInputs]));
        batch.Commit();

        var m = s.Builder.Mirror;
        Assert.Equal(459_920_000, m.Account(3)!.Collateral);
        Assert.All(m.Account(3)!.Positions, p => Assert.True(p.IsFlat));
        var l = m.Account(LiquidatorId)!;
        Assert.Equal((-100L, -1_200 * Usd), (l.Positions[BtcCall].Size, l.Positions[BtcCall].OpenNotional));
        Assert.Equal((100L, 200 * Usd), (l.Positions[BtcPut].Size, l.Positions[BtcPut].OpenNotional));
        Assert.Equal(1_000_000 * Usd, l.Collateral);
        Assert.Equal(Usd + 140 * Usd, m.Account(InsuranceId)!.Collateral);
        // The engine agrees; its insurance fund is a number, the state's is the fund account less its 1 USD deposit.
        foreach (var id in new[] { 1, 2, 3, LiquidatorId })
        {
            Assert.Equal(s.Engine.Account(id).Collateral, m.Account((ulong)id)!.Collateral);
            foreach (var j in new[] { BtcCall, BtcPut })
                Assert.Equal(s.Engine.Position(id, j), (m.Account((ulong)id)!.Positions[j].Size * Milli, m.Account((ulong)id)!.Positions[j].OpenNotional));
        }
        Assert.Equal(s.Engine.InsuranceFund + Usd, m.Account(InsuranceId)!.Collateral);

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
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Account 2, long 100 calls with 100,000 USD, is far above maintenance by the option rule.</summary>
    [Fact]
    public void Liquidating_an_option_holder_above_maintenance_is_unsatisfiable()
    {
        using var s = Holding();
        MarkCall(s, 12_000);
        var label = s.RefusedLiquidation("(account 2): the account is not below maintenance margin", l =>
        {
            l.Clear();
            l.Add(new LiquidationOp(2, 0, 0, 0, [new PositionMove(LiquidatorId, BtcCall, 100, 24_000)], 0, [], 0));
        });
        Assert.Contains("liquidation 0/below maintenance", label);
    }

    /// <summary>
    /// At a call mark of 9,000 account 3's value is 899.92: above its 700 of maintenance, so the engine leaves it. An
    /// operator charging the long puts the short figure (5 USD a lot instead of 2: 1,000 in all) would call it below.
    /// </summary>
    [Fact]
    public void A_liquidation_at_the_wrong_sides_option_figure_is_unsatisfiable()
    {
        using var s = Holding();
        MarkCall(s, 9_000);
        Assert.Equal(0, s.Recorder.PendingLiquidations);
        var label = s.RefusedLiquidation("(value 899920000, maintenance 700000000)", l => l.Add(new LiquidationOp(3, 899_920_000, 1_000_000_000, 200_000_000,
            [new PositionMove(LiquidatorId, BtcCall, -100, 18_000), new PositionMove(LiquidatorId, BtcPut, 100, 4_000)], 0, [], 0)));
        Assert.Contains("liquidation 0/below maintenance", label);
    }

    /// <summary>
    /// The index jumps to 60,000 at the options' expiry: the call is worth its intrinsic 10 USD a lot, the put nothing
    /// (the round publishes one tick, 500 micro-units a lot). Account 3's value is then 1,599.92 − 1,000 + 200 + 0.05 −
    /// 200 = 599.97, below its maintenance of 100 × 12,000 ticks × 500 = 600 for the short calls plus 100 × min(500,
    /// 6 USD) = 0.05 for the long puts, but the engine settles both options at expiry instead of liquidating. An
    /// operator who skips the expiry slots and liquidates the expired options is refused.
    /// </summary>
    [Fact]
    public void A_liquidation_that_moves_an_expired_option_is_unsatisfiable()
    {
        using var s = Holding();
        s.Now = CallExpiryMs;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 60_000 * Usd)).Accepted);
        Assert.Equal(4, s.Recorder.PendingExpiries);
        var round = s.Oracle;
        Assert.Equal((10 * (ulong)Usd, 500UL), (round.Prices[BtcCall], round.Prices[BtcPut]));
        var label = s.RefusedLiquidation("option 2 expired", l => l.Add(new LiquidationOp(3, 599_970_000, 600_050_000, 120_010_000,
            [new PositionMove(LiquidatorId, BtcCall, -100, 20_000), new PositionMove(LiquidatorId, BtcPut, 100, 1)], 0, [], 0)));
        Assert.Contains("option live", label);
    }
}
