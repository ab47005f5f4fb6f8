using CsCheck;
using static Validium.Exchange.Tests.Fixture;

namespace Validium.Exchange.Tests;

/// <summary>Invariants over random command streams (deposits, all order types, amends, cancels, withdrawals, oracle moves, funding).</summary>
public class PropertyTests
{
    private static readonly Gen<int[][]> Streams = Gen.Int[0, int.MaxValue].Array[7].Array[30, 300];

    private static Fixture Start(int[][] rows)
    {
        // Half the runs have a liquidator account (0) taking positions over; the other half deleverage.
        var config = new EngineConfig { MaxAccounts = 16, OrderCapacity = 16, LiquidatorAccount = rows[0][0] % 2 == 0 ? 0 : -1 };
        var f = new Fixture(config);
        for (int a = 0; a < CommandScript.Accounts; a++) f.Fund(a, a == 0 ? 1_000_000 : 3_000);
        return f;
    }

    private static bool IsTraderCommand(CommandKind k) => k is CommandKind.Place or CommandKind.Amend or CommandKind.Cancel or CommandKind.CancelAll or CommandKind.Withdraw;

    [Fact]
    public void Collateral_is_conserved_books_never_cross_and_trader_commands_never_push_free_collateral_below_zero()
    {
        Streams.Sample(rows =>
        {
            var f = Start(rows);
            var e = f.Engine;
            long now = f.Now, nonce = 100;
            var before = new long[CommandScript.Accounts];
            foreach (var r in rows)
            {
                var c = CommandScript.Decode(r, e, ref now, ref nonce);
                for (int a = 0; a < before.Length; a++) before[a] = e.Account(a).FreeCollateral;
                var outcome = e.Execute(c);
                Assert.Equal(e.TotalDeposits - e.TotalWithdrawals, f.Conserved());
                for (int i = 0; i < e.InstrumentCount; i++)
                {
                    Assert.False(e.IsCrossed(i), $"book {i} crossed after {c.Kind}");
                    Assert.Equal(0, e.AccountIds().Sum(a => e.Position(a, i).Quantity));
                }
                if (outcome.Accepted && IsTraderCommand(c.Kind))
                    for (int a = 0; a < before.Length; a++)
                        Assert.True(e.Account(a).FreeCollateral >= Math.Min(0, before[a]),
                            $"{c.Kind} took account {a} from {before[a]} to {e.Account(a).FreeCollateral}");
            }
        }, iter: 300);
    }

    [Fact]
    public void Incremental_remarking_agrees_with_a_rebuild_from_scratch_after_every_command()
    {
        Streams.Sample(rows =>
        {
            var f = Start(rows);
            var e = f.Engine;
            long now = f.Now, nonce = 100;
            foreach (var r in rows)
            {
                // Now and then a jump of weeks, past the options' expiry, so expiries and expired orders happen too.
                if (r[6] % 50 == 0) now += Expiry / 4;
                var c = CommandScript.Decode(r, e, ref now, ref nonce);
                e.Execute(c);
                var drift = e.FindDrift();
                Assert.True(drift is null, $"after {c.Kind}: {drift}");
            }
        }, iter: 150);
    }

    [Fact]
    public void Same_commands_give_the_same_state_hash_and_events()
    {
        Streams.Sample(rows =>
        {
            var (h1, ev1) = Replay(rows);
            var (h2, ev2) = Replay(rows);
            Assert.Equal(h1, h2);
            Assert.Equal(ev1, ev2);
        }, iter: 40);
    }

    private static (byte[] Hash, Event[] Events) Replay(int[][] rows)
    {
        var f = Start(rows);
        long now = f.Now, nonce = 100;
        foreach (var r in rows) f.Engine.Execute(CommandScript.Decode(r, f.Engine, ref now, ref nonce));
        return (f.Engine.StateHash(), f.Engine.Events.Events.ToArray());
    }

    [Fact]
    public void Snapshot_round_trip_keeps_the_hash_and_the_future()
    {
        Gen.Select(Streams, Gen.Int[0, 1000]).Sample((rows, cutAt) =>
        {
            var f = Start(rows);
            var e = f.Engine;
            long now = f.Now, nonce = 100;
            int cut = cutAt % rows.Length;
            for (int i = 0; i < cut; i++) e.Execute(CommandScript.Decode(rows[i], e, ref now, ref nonce));
            var snap = e.Snapshot();
            var restored = Engine.Restore(snap);
            Assert.Equal(e.StateHash(), restored.StateHash());
            Assert.Equal(snap, restored.Snapshot());
            foreach (var id in e.AccountIds()) Assert.Equal(e.Account(id), restored.Account(id));

            e.Events.Clear();
            long now2 = now, nonce2 = nonce;
            for (int i = cut; i < rows.Length; i++)
            {
                var c = CommandScript.Decode(rows[i], e, ref now, ref nonce);
                Assert.Equal(e.Execute(c), restored.Execute(CommandScript.Decode(rows[i], restored, ref now2, ref nonce2)));
            }
            Assert.Equal(e.Events.Events.ToArray(), restored.Events.Events.ToArray());
            Assert.Equal(e.StateHash(), restored.StateHash());
        }, iter: 60);
    }
}
