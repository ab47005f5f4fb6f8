using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.State;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>Batches rebuilt from their data alone (recovery's path) reach the roots the proven batches committed.</summary>
public class ReplayTests
{
    private sealed record Built(Fr[] Words, Fr OpsHeadBefore, Fr[] PublicInputs, QueuedDeposit[] Queued, ForcedOp[] Forced, OracleRound Oracle);

    private static Built BuildAndProve(Scenario s)
    {
        List<DepositOp> deposits = [];
        var before = s.Builder.StateRoot;
        var oracle = s.Oracle;
        ForcedOp[] forced = [.. s.Forced];
        using var batch = s.Build((d, _, _) => deposits = [.. d]);
        var headBefore = batch.PublicInputs[3];
        Assert.True(s.Prove(batch).IsSatisfied);
        Assert.Equal(before, batch.PublicInputs[0]);
        return new Built([.. batch.DataWords], headBefore, [.. batch.PublicInputs], [.. deposits.Select(d => new QueuedDeposit(d.Key, d.Amount, d.Depositor))], forced, oracle);
    }

    private static List<Built> TwoBatches(Scenario s)
    {
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 5_000);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 15 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_010 * Usd, 15 * Milli, OrderType.Ioc);
        s.Withdraw(3, 1, 1_000 * Usd);
        var first = BuildAndProve(s);
        s.Deposit(4, 20_000);
        s.Place(2, BtcPerp, Side.Sell, 49_990 * Usd, 20 * Milli);
        s.Place(4, BtcPerp, Side.Buy, 50_000 * Usd, 20 * Milli, OrderType.Ioc);   // 2 crosses 15 -> -5
        s.Place(1, EthPerp, Side.Buy, 3_000 * Usd, 100_000_000);
        s.Place(3, EthPerp, Side.Sell, 2_990 * Usd, 100_000_000, OrderType.Ioc);
        return [first, BuildAndProve(s)];
    }

    [Fact]
    public void Replaying_the_data_of_proven_batches_on_a_fresh_state_reaches_their_roots_and_leaves()
    {
        using var s = new Scenario(new BatchShape(4, 2, 1));
        ReplaysToTheSameState(s, TwoBatches(s));
    }

    private static readonly BatchShape ForcedShape = new(4, 1, 1, Forced: 4);

    /// <summary>Batch 1 funds accounts 0 to 3; batch 2 consumes an executed and a refused forced withdrawal and an executed forced trade.</summary>
    private static List<Built> ForcedBatches(Scenario s)
    {
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 2_000);
        var first = BuildAndProve(s);
        s.Deposit(4, 500);
        s.ForceWithdrawal(2, 1_000 * Usd, KeyOf(2));
        s.ForceWithdrawal(3, 2_001 * Usd, KeyOf(3));  // more than the account holds: refused
        s.ForceTrade(2, 1, BtcPerp, -10, s.Oracle.Prices[BtcPerp]);
        return [first, BuildAndProve(s)];
    }

    [Fact]
    public void Batches_that_consumed_forced_requests_replay_to_the_same_roots_withdrawals_and_leaves()
    {
        using var s = new Scenario(ForcedShape);
        var built = ForcedBatches(s);
        // The replay must really have gone through an executed and a refused request (CIRCUIT.md's record: executed at bit 8).
        int f = 1 + ForcedShape.Deposits + 4 * ForcedShape.Trades + 2 * ForcedShape.Withdrawals;
        Assert.Equal([true, false, true], [.. Enumerable.Range(0, 3).Select(k => ((built[1].Words[f + 2 * k].ToBigInteger() >> 8) & 1) == 1)]);
        Assert.Equal(99_000 * Usd, s.Builder.Mirror.Account(2)!.Collateral);
        ReplaysToTheSameState(s, built);
    }

    [Fact]
    public void Forced_records_that_disagree_with_the_state_or_the_L1_requests_are_refused()
    {
        using var s = new Scenario(ForcedShape);
        var built = ForcedBatches(s);
        var dir = Path.Combine(Path.GetTempPath(), "validium-replay-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = StateStore.Open(dir, Cpu, new StateStoreOptions { SyncWrites = false });
            var replayer = new BatchBuilder(s.Config, store);
            using (var p = replayer.Replay(built[0].Words, built[0].Oracle, built[0].OpsHeadBefore, built[0].Queued, built[0].Forced)) p.Commit();
            var b = built[1];
            var root = replayer.StateRoot;
            int f = 1 + ForcedShape.Deposits + 4 * ForcedShape.Trades + 2 * ForcedShape.Withdrawals;
            var flag = Fr.FromBigInteger(System.Numerics.BigInteger.One << 8);

            // An operator's record claiming the valid withdrawal was refused (or the refused one paid) is not what the state decides.
            var refused = (Fr[])b.Words.Clone();
            refused[f] = refused[f] - flag;
            Assert.Contains("forced request 0: the state executes it, but its record says it was refused",
                Assert.Throws<InvalidOperationException>(() => replayer.Replay(refused, b.Oracle, b.OpsHeadBefore, b.Queued, b.Forced)).Message);
            var paid = (Fr[])b.Words.Clone();
            paid[f + 2] = paid[f + 2] + flag;
            Assert.Contains("forced request 1: the state refuses it",
                Assert.Throws<InvalidOperationException>(() => replayer.Replay(paid, b.Oracle, b.OpsHeadBefore, b.Queued, b.Forced)).Message);

            // A record for another recipient than the L1 request named.
            var redirected = (Fr[])b.Words.Clone();
            redirected[f + 1] = redirected[f + 1] + Fr.One;
            Assert.Contains("is not the L1 request",
                Assert.Throws<InvalidOperationException>(() => replayer.Replay(redirected, b.Oracle, b.OpsHeadBefore, b.Queued, b.Forced)).Message);

            var wrongKind = (Fr[])b.Words.Clone();
            wrongKind[f] = wrongKind[f] + Fr.FromBigInteger(2);
            Assert.Contains("needs kind 4 or 5", Assert.Throws<FormatException>(() => replayer.Replay(wrongKind, b.Oracle, b.OpsHeadBefore, b.Queued, b.Forced)).Message);

            Assert.Contains("3 forced-request records but consumed 2",
                Assert.Throws<InvalidOperationException>(() => replayer.Replay(b.Words, b.Oracle, b.OpsHeadBefore, b.Queued, b.Forced[..2])).Message);
            // The requests in another order: the data's records are not those the L1 queue held there.
            ForcedOp[] swapped = [b.Forced[1], b.Forced[0], b.Forced[2]];
            Assert.Contains("forced request 0: its record (word",
                Assert.Throws<InvalidOperationException>(() => replayer.Replay(b.Words, b.Oracle, b.OpsHeadBefore, b.Queued, swapped)).Message);
            Assert.Equal(root, replayer.StateRoot);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_circuit_file_recovery_reads_keeps_the_forced_slots_and_older_files_have_none()
    {
        using var s = new Scenario(ForcedShape);
        var json = StateSnapshot.ConfigJson(s.Config);
        Assert.Equal(4, json["shape"]!["forced"]!.GetValue<int>());
        Assert.Equal(ForcedShape, StateSnapshot.ReadConfig(System.Text.Json.Nodes.JsonNode.Parse(json.ToJsonString())).Shape);
        json["shape"]!.AsObject().Remove("forced");
        Assert.Equal(ForcedShape with { Forced = 0 }, StateSnapshot.ReadConfig(json).Shape);
    }

    private static void ReplaysToTheSameState(Scenario s, List<Built> built)
    {
        var dir = Path.Combine(Path.GetTempPath(), "validium-replay-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = StateStore.Open(dir, Cpu, new StateStoreOptions { SyncWrites = false });
            var replayer = new BatchBuilder(s.Config, store);
            foreach (var b in built)
            {
                using var pending = replayer.Replay(b.Words, b.Oracle, b.OpsHeadBefore, b.Queued, b.Forced);
                // Every public input the contract checked comes out the same: roots, data commitment, chain heads, withdrawals.
                Assert.Equal(b.PublicInputs, pending.PublicInputs);
                Assert.Empty(pending.Assignment);
                pending.Commit();
            }
            Assert.Equal(s.Builder.StateRoot, replayer.StateRoot);
            Assert.Equal(s.Builder.Mirror.Accounts.OrderBy(kv => kv.Key), replayer.Mirror.Accounts.OrderBy(kv => kv.Key), new AccountComparer());
            Assert.Equal(s.Builder.Mirror.Fills.OrderBy(kv => kv.Key), replayer.Mirror.Fills.OrderBy(kv => kv.Key));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Altered_data_replays_to_another_root_and_misplaced_or_malformed_records_are_refused()
    {
        using var s = new Scenario(new BatchShape(4, 2, 1));
        var b = TwoBatches(s)[0];
        var dir = Path.Combine(Path.GetTempPath(), "validium-replay-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = StateStore.Open(dir, Cpu, new StateStoreOptions { SyncWrites = false });
            var replayer = new BatchBuilder(s.Config, store);
            int trade = 1 + s.Config.Shape.Deposits;

            // One lot more in the trade: a valid-looking batch whose root is not the committed one.
            var more = (Fr[])b.Words.Clone();
            more[trade + 1] = more[trade + 1] + Fr.FromBigInteger(System.Numerics.BigInteger.One << 64);
            using (var p = replayer.Replay(more, b.Oracle, b.OpsHeadBefore, b.Queued)) Assert.NotEqual(b.PublicInputs[1], p.PublicInputs[1]);

            // The used trade moved to the second slot: the circuit's encoding puts used slots first.
            var moved = (Fr[])b.Words.Clone();
            for (int k = 0; k < BatchEncoding.TradeWords; k++) (moved[trade + k], moved[trade + BatchEncoding.TradeWords + k]) = (Fr.Zero, moved[trade + k]);
            Assert.Contains("unused slots must come last", Assert.Throws<FormatException>(() => replayer.Replay(moved, b.Oracle, b.OpsHeadBefore, b.Queued)).Message);

            var wrongKind = (Fr[])b.Words.Clone();
            wrongKind[trade] = wrongKind[trade] + Fr.One;
            Assert.Contains("kind 3 where its slot needs kind 2", Assert.Throws<FormatException>(() => replayer.Replay(wrongKind, b.Oracle, b.OpsHeadBefore, b.Queued)).Message);

            Assert.Contains("words", Assert.Throws<FormatException>(() => replayer.Replay(b.Words.AsSpan(1), b.Oracle, b.OpsHeadBefore, b.Queued)).Message);
            Assert.Contains("consumed 3 L1 operations", Assert.Throws<InvalidOperationException>(() => replayer.Replay(b.Words, b.Oracle, b.OpsHeadBefore, b.Queued[..3])).Message);
            Assert.Equal(ZeroHashes.EmptyRoot(s.Config.AccountDepth), replayer.StateRoot);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class AccountComparer : IEqualityComparer<KeyValuePair<ulong, AccountData>>
    {
        public bool Equals(KeyValuePair<ulong, AccountData> x, KeyValuePair<ulong, AccountData> y) =>
            x.Key == y.Key && x.Value.Key == y.Value.Key && x.Value.Nonce == y.Value.Nonce && x.Value.Collateral == y.Value.Collateral &&
            x.Value.Positions.SequenceEqual(y.Value.Positions);

        public int GetHashCode(KeyValuePair<ulong, AccountData> obj) => obj.Key.GetHashCode();
    }
}
