using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Groth16;
using Validium.State;
using static Validium.Circuits.Tests.OpenInterestTests;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// One round's option expiries spread over several batches of that round (CIRCUIT.md, "Expiry slots"): with one expiry
/// slot, a call held by three accounts is settled over three batches, and only a batch of a later round must find
/// nobody holding it. Expected figures (lots long and short, payouts) are worked by hand from the trades, and the
/// expected leaves hashed from CIRCUIT.md's layout.
/// </summary>
public class ExpiryRoundTests
{
    private const ulong ExpiryRound = CallExpiryMs / 1000;

    /// <summary>
    /// Account 1 writes 100 calls, 2 buys 60 and 3 buys 40 at 2,000 (100 lots long, 100 short); then the index commit at
    /// the call's expiry (53,000: 3,000 intrinsic, 3 USD per 0.001 BTC lot) expires all three holders in the engine.
    /// Returns the engine's settlements in account order; <paramref name="proven"/> gets the batches before them.
    /// </summary>
    private static List<ExpiryOp> ThreeHolders(Scenario s, List<Proven>? proven = null)
    {
        proven ??= [];
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 100_000);
        proven.Add(Prove(s, []));
        s.Place(1, BtcCall, Side.Sell, 2_000 * Usd, 100 * Milli);
        s.Place(2, BtcCall, Side.Buy, 2_000 * Usd, 60 * Milli, OrderType.Ioc);
        s.Place(3, BtcCall, Side.Buy, 2_000 * Usd, 40 * Milli, OrderType.Ioc);
        proven.Add(Prove(s, []));
        Assert.Equal(ReservedLeaf(FillValue(s), [0, 0, 100], [100], s.Oracle.Timestamp), StoredLeaf(s));
        s.Now = CallExpiryMs;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 53_000 * Usd)).Accepted);
        var expiries = s.Recorder.TakeExpiries().OrderBy(x => x.Account).ToList();
        Assert.Equal([(1UL, -300 * Usd), (2UL, 180 * Usd), (3UL, 120 * Usd)], expiries.Select(x => (x.Account, x.Payout)));
        return expiries;
    }

    private static Scenario OneSlot() => new(new BatchShape(4, 2, 1, Expiries: 1), options: true);

    private sealed record Proven(Fr[] Words, Fr OpsHeadBefore, Fr NewRoot, QueuedDeposit[] Queued, OracleRound Oracle);

    private static Proven Prove(Scenario s, IReadOnlyList<ExpiryOp> expiries)
    {
        List<DepositOp> deposits = [];
        var oracle = s.Oracle;
        using var batch = s.BuildWithExpiries(expiries, d => deposits = d);
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        return new([.. batch.DataWords], batch.PublicInputs[3], batch.PublicInputs[1], [.. deposits.Select(d => new QueuedDeposit(d.Key, d.Amount, d.Depositor))], oracle);
    }

    [Fact]
    public void Three_holders_expired_over_three_batches_of_the_round_are_proven_and_replayed()
    {
        using var s = OneSlot();
        List<Proven> proven = [];
        var expiries = ThreeHolders(s, proven);

        // After each batch of the expiry round: lots long and short still held (1 short 100, 2 long 60, 3 long 40).
        (long Long, long Short)[] left = [(100, 0), (40, 0), (0, 0)];
        for (int k = 0; k < 3; k++)
        {
            proven.Add(Prove(s, [expiries[k]]));
            Assert.Equal(ReservedLeaf(FillValue(s), [0, 0, left[k].Long], [left[k].Short], ExpiryRound), StoredLeaf(s));
        }
        s.AssertStateMatchesEngine();
        s.Now = CallExpiryMs + 1_000;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 54_000 * Usd)).Accepted);
        proven.Add(Prove(s, []));
        Assert.Equal(ReservedLeaf(FillValue(s), [0, 0, 0], [0], ExpiryRound + 1), StoredLeaf(s));

        var dir = Path.Combine(Path.GetTempPath(), "validium-expiry-replay-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = StateStore.Open(dir, Cpu, new StateStoreOptions { SyncWrites = false });
            var replayer = new BatchBuilder(s.Config, store);
            foreach (var p in proven)
            {
                using (var batch = replayer.Replay(p.Words, p.Oracle, p.OpsHeadBefore, p.Queued)) batch.Commit();
                Assert.Equal(p.NewRoot, replayer.StateRoot);
            }
            Assert.Equal(ExpiryRound + 1, replayer.Mirror.LastRoundTime);
            // A snapshot keeps R, which the reserved leaf needs and no account leaf gives back.
            var snapshot = new StateSnapshot(s.Config, replayer.Mirror, (ulong)proven.Count, replayer.StateRoot, 4, proven[0].OpsHeadBefore, 1);
            Assert.Equal(ExpiryRound + 1, StateSnapshot.FromJson(snapshot.ToJson()).Mirror.LastRoundTime);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A batch that settles one of three holders has a Groth16 proof that verifies.</summary>
    [Fact]
    public void A_batch_settling_one_holder_of_three_has_a_Groth16_proof_that_verifies()
    {
        using var s = OneSlot();
        var expiries = ThreeHolders(s);
        using var batch = s.BuildWithExpiries([expiries[1]]);
        var solution = s.Circuit.Solve(batch.Assignment).ThrowIfUnsatisfied();
        var pk = Setup.Run(s.Circuit.Compile().R1cs, devSeed: 13);
        var proof = new Prover(Cpu).Prove(pk, solution.Witness);
        Assert.True(Verifier.Verify(pk.VerifyingKey, proof, batch.PublicInputs.ToArray(), out var reason), reason);
    }

    /// <summary>
    /// The long holders settled, the writer not: a batch of a later round is refused by name and unsatisfiable (only
    /// the short interest shows the writer). Claiming a starting short interest of 0, or a last round before the
    /// expiry, gets past that check and fails the reserved leaf instead.
    /// </summary>
    [Fact]
    public void A_later_round_before_every_holder_is_settled_is_refused_and_cannot_be_hidden_in_the_leaf()
    {
        using var s = OneSlot();
        var expiries = ThreeHolders(s);
        Prove(s, [expiries[1]]);
        Prove(s, [expiries[2]]);
        Assert.Equal(ReservedLeaf(FillValue(s), [0, 0, 0], [100], ExpiryRound), StoredLeaf(s));
        s.Now = CallExpiryMs + 1_000;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 53_000 * Usd)).Accepted);
        Assert.StartsWith("earlier expiries settled", s.RefusedExpiry("account 1 still holds -100 lots", _ => { }));

        using var cheat = s.Unchecked.Build(s.BatchNumber + 1, s.Oracle, s.LastHead, [], [], [], [], [], []);
        Assert.Equal((Fr)100UL, cheat.Assignment["fillLeaf.shortInterest[0]"]);
        Assert.Equal((Fr)ExpiryRound, cheat.Assignment["fillLeaf.lastRound"]);
        Assert.StartsWith("fill root leaf", s.Unsatisfied(Tampered(cheat, "fillLeaf.shortInterest[0]", _ => Fr.Zero)));
        Assert.StartsWith("fill root leaf", s.Unsatisfied(Tampered(cheat, "fillLeaf.lastRound", _ => (Fr)(ExpiryRound - 1))));
        Assert.StartsWith("fill root leaf", s.Unsatisfied(Tampered(cheat, "fillLeaf.lastRound", _ => (Fr)(ExpiryRound + 1))));
    }

    /// <summary>The batches' round time may not go back: the builder refuses, and the circuit's range check fails.</summary>
    [Fact]
    public void A_round_going_backwards_is_refused_and_unsatisfiable()
    {
        using var s = OneSlot();
        var expiries = ThreeHolders(s);
        Prove(s, [expiries[0]]);
        s.Now = CallExpiryMs - 1_000;
        Assert.StartsWith("earlier expiries settled", s.RefusedExpiry("rounds cannot go back", _ => { }));
        // The same round again is no step back: the next holder is settled.
        s.Now = CallExpiryMs;
        Prove(s, [expiries[1]]);
    }
}
