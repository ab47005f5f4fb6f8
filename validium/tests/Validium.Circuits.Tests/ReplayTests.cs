using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.State;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>Batches rebuilt from their data alone (recovery's path) reach the roots the proven batches committed.</summary>
public class ReplayTests
{
    private sealed record Built(Fr[] Words, Fr OpsHeadBefore, Fr[] PublicInputs, QueuedDeposit[] Queued, OracleRound Oracle);

    private static Built BuildAndProve(Scenario s)
    {
        List<DepositOp> deposits = [];
        var before = s.Builder.StateRoot;
        var oracle = s.Oracle;
        using var batch = s.Build((d, _, _) => deposits = [.. d]);
        var headBefore = batch.PublicInputs[3];
        Assert.True(s.Prove(batch).IsSatisfied);
        Assert.Equal(before, batch.PublicInputs[0]);
        return new Built([.. batch.DataWords], headBefore, [.. batch.PublicInputs], [.. deposits.Select(d => new QueuedDeposit(d.Key, d.Amount, d.Depositor))], oracle);
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
        var built = TwoBatches(s);

        var dir = Path.Combine(Path.GetTempPath(), "validium-replay-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = StateStore.Open(dir, Cpu, new StateStoreOptions { SyncWrites = false });
            var replayer = new BatchBuilder(s.Config, store);
            foreach (var b in built)
            {
                using var pending = replayer.Replay(b.Words, b.Oracle, b.OpsHeadBefore, b.Queued);
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
