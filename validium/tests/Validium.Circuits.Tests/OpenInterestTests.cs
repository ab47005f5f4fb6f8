using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.State;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// Open interest in the reserved leaf (CIRCUIT.md, "Open interest"): every holder of a funding tick or of an expired
/// option must be settled. The expected figures (lots held long per instrument) are worked by hand from each scenario's
/// trades, and the expected leaves and roots are hashed here from CIRCUIT.md's layout, not taken from the builder.
/// </summary>
public class OpenInterestTests
{
    /// <summary>
    /// The reserved leaf with no funding tick yet: Poseidon(tag, fill value, Commit(0, 0, OI_j per instrument)); with
    /// expiry slots the words go on with SI per option and the last batch's round time R.
    /// </summary>
    internal static Fr ReservedLeaf(Fr fillValue, long[] openInterest, long[]? shortInterest = null, ulong lastRound = 0)
    {
        IEnumerable<Fr> words = openInterest.SelectMany(v => new Fr[] { Fr.Zero, Fr.Zero, (ulong)v });
        if (shortInterest is not null) words = words.Concat(shortInterest.Select(v => (Fr)(ulong)v)).Append(lastRound);
        return Poseidon.Hash([BatchCircuit.FundingLeafTag, fillValue, PoseidonSponge.Commit([.. words])]);
    }

    /// <summary>The fill tree's value in the reserved leaf: its root, or 0 while it is empty.</summary>
    internal static Fr FillValue(Scenario s)
    {
        var fills = s.Store.Tree(TreeId.OrderFills, s.Config.FillDepth).Root;
        return fills == ZeroHashes.EmptyRoot(s.Config.FillDepth) ? Fr.Zero : fills;
    }

    /// <summary>What the state's reserved leaf holds now.</summary>
    internal static Fr StoredLeaf(Scenario s) => s.Store.Tree(TreeId.Accounts, s.Config.AccountDepth).Get(BatchCircuit.FillRootIndex(s.Config.AccountDepth));

    /// <summary>The account root with <paramref name="leaf"/> in the reserved place, on the batch's path to it.</summary>
    internal static Fr RootWith(Scenario s, PendingBatch batch, Fr leaf)
    {
        var siblings = Enumerable.Range(0, s.Config.AccountDepth).Select(k => batch.Assignment[$"fillLeaf.siblings[{k}]"]).ToArray();
        return MerkleProof.ComputeRoot(BatchCircuit.FillRootIndex(s.Config.AccountDepth), leaf, siblings);
    }

    /// <summary>
    /// Proves the batch; its new root must carry <paramref name="expected"/> lots long (and, with expiry slots,
    /// <paramref name="shortInterest"/> lots short per option and the round's time), and the same batch claiming a new
    /// root with <paramref name="wrong"/> instead (an open interest the operations did not move it to) is unsatisfiable.
    /// </summary>
    private static void AssertOpenInterest(Scenario s, PendingBatch batch, long[] expected, long[] wrong, long[]? shortInterest = null)
    {
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        var fillValue = FillValue(s);
        var round = shortInterest is null ? 0 : s.Oracle.Timestamp;
        Assert.Equal(ReservedLeaf(fillValue, expected, shortInterest, round), StoredLeaf(s));
        Assert.Equal(batch.PublicInputs[1], RootWith(s, batch, ReservedLeaf(fillValue, expected, shortInterest, round)));
        Assert.StartsWith("fill root leaf", s.Unsatisfied(Tampered(batch, "newRoot", _ => RootWith(s, batch, ReservedLeaf(fillValue, wrong, shortInterest, round)))));
    }

    /// <summary>
    /// Funding slots for six holders. Batch 1 funds the fee account 0 and accounts 1–5; batch 2 has 2 and 3 buy 20 and
    /// 10 lots from 1, and 4 buy 5 lots from 5, all at 50,000: 35 lots held long. Then one funding tick (FundingTests'
    /// quotes: 750 ppm).
    /// </summary>
    private static Scenario PairedHolders()
    {
        var s = new Scenario(new BatchShape(6, 4, 0, Funding: 6));
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 10_000).Deposit(3, 10_000).Deposit(4, 10_000).Deposit(5, 10_000);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 30 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 20 * Milli, OrderType.Ioc);
        s.Place(3, BtcPerp, Side.Buy, 50_000 * Usd, 10 * Milli, OrderType.Ioc);
        s.Place(5, BtcPerp, Side.Sell, 50_000 * Usd, 5 * Milli);
        s.Place(4, BtcPerp, Side.Buy, 50_000 * Usd, 5 * Milli, OrderType.Ioc);
        using (var b = s.Build()) AssertOpenInterest(s, b, [35, 0], [30, 0]);
        s.Place(1, BtcPerp, Side.Buy, 50_100 * Usd, Milli);
        s.Place(1, BtcPerp, Side.Sell, 50_300 * Usd, Milli);
        s.Now += FundingPeriodSeconds * 1000;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 50_000 * Usd)).Accepted);
        Assert.True(s.Recorder.Execute(Command.Funding(s.Now, BtcPerp)).Accepted);
        return s;
    }

    [Fact]
    public void A_funding_tick_that_settles_every_holder_is_satisfied()
    {
        using var s = PairedHolders();
        using var batch = s.Build();
        Assert.True(s.Prove(batch).IsSatisfied);
        Assert.Equal([1UL, 2, 3, 4, 5], BatchData.Decode(s.Config, batch.DataWords.ToArray()).Settlements.ToArray());
    }

    /// <summary>
    /// 4 (long 5) and 5 (short 5) left out: the settled sizes still net to zero, so only the open interest catches it
    /// (the settled holders are long 30 of the 35 lots).
    /// </summary>
    [Fact]
    public void A_funding_tick_that_leaves_out_a_net_zero_pair_is_unsatisfiable()
    {
        using var s = PairedHolders();
        var label = s.RefusedFunding("account 4: the engine paid 0", f => f with { Payments = [.. f.Payments.Where(p => p.Account is not (4 or 5))] });
        Assert.StartsWith("funding open interest", label);
    }

    /// <summary>Recovery refuses, by name, settlement records that leave a holder out, as the circuit would.</summary>
    [Fact]
    public void Replaying_a_tick_that_leaves_out_a_holder_is_refused()
    {
        using var s = PairedHolders();
        var (d, t, w) = s.Recorder.TakeBatch();
        var funding = s.Recorder.TakeFunding();
        Fr[] words;
        using (var cheat = s.Unchecked.Build(s.BatchNumber + 1, s.Oracle, s.OpsHead, d, [], t, w, [],
            funding with { Payments = [.. funding.Payments.Where(p => p.Account is not (4 or 5))] }))
            words = [.. cheat.DataWords];
        var e = Assert.Throws<InvalidOperationException>(() => s.Builder.Replay(words, s.Oracle, s.OpsHead, []));
        Assert.Contains("account 4 holds 5 lots but is not settled", e.Message);
    }

    /// <summary>
    /// A higher starting figure fails the tick's check; the cheat of leaving out 4 and 5 and lowering the figure to the
    /// 30 lots the others hold passes it, and fails the reserved leaf, which holds 35.
    /// </summary>
    [Fact]
    public void A_tampered_starting_open_interest_is_unsatisfiable()
    {
        using var s = PairedHolders();
        var (d, t, w) = s.Recorder.TakeBatch();
        var funding = s.Recorder.TakeFunding();
        using (var batch = s.Builder.Build(s.BatchNumber + 1, s.Oracle, s.OpsHead, d, [], t, w, [], funding))
        {
            Assert.Equal((Fr)35UL, batch.Assignment["fillLeaf.openInterest[0]"]);
            Assert.StartsWith("funding open interest", s.Unsatisfied(Tampered(batch, "fillLeaf.openInterest[0]", v => v + Fr.One)));
        }
        using var cheat = s.Unchecked.Build(s.BatchNumber + 1, s.Oracle, s.OpsHead, d, [], t, w, [],
            funding with { Payments = [.. funding.Payments.Where(p => p.Account is not (4 or 5))] });
        Assert.StartsWith("fill root leaf", s.Unsatisfied(Tampered(cheat, "fillLeaf.openInterest[0]", _ => (Fr)30UL)));
    }

    /// <summary>
    /// Options with expiry slots: account 1 writes 100 calls to 2 (100 lots long, 100 short), then the round at the
    /// call's expiry settles both; after it nothing is held, and the reserved leaf keeps only that round's time.
    /// </summary>
    private static Scenario Written()
    {
        var s = new Scenario(new BatchShape(4, 2, 1, Expiries: 2), options: true);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 2_000);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcCall, Side.Sell, 2_000 * Usd, 100 * Milli);
        s.Place(2, BtcCall, Side.Buy, 2_000 * Usd, 100 * Milli, OrderType.Ioc);
        using (var b = s.Build())
        {
            Assert.StartsWith("fill root leaf", s.Unsatisfied(Tampered(b, "fillLeaf.openInterest[2]", _ => Fr.One)));
            Assert.StartsWith("fill root leaf", s.Unsatisfied(Tampered(b, "fillLeaf.shortInterest[0]", _ => Fr.One)));
            AssertOpenInterest(s, b, [0, 0, 100], [0, 0, 0], shortInterest: [100]);
        }
        s.Now = CallExpiryMs;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 53_000 * Usd)).Accepted);
        Assert.Equal(2, s.Recorder.PendingExpiries);
        return s;
    }

    [Fact]
    public void Expiring_every_holder_empties_the_open_and_short_interest()
    {
        using var s = Written();
        using var batch = s.Build();
        Assert.True(s.Prove(batch).IsSatisfied);
        Assert.Equal(ReservedLeaf(FillValue(s), [0, 0, 0], [0], CallExpiryMs / 1000), StoredLeaf(s));
    }

    /// <summary>
    /// The round at the expiry leaves holders out (allowed: another batch of that round may settle them), then a batch
    /// of a later round finds them: the builder names one, and the circuit refuses it before any slot. Leaving out
    /// only the writer leaves no long, so only the short interest catches it.
    /// </summary>
    [Theory]
    [InlineData(new ulong[] { 2 }, "account 2 still holds 100 lots")]
    [InlineData(new ulong[] { 1 }, "account 1 still holds -100 lots")]
    [InlineData(new ulong[] { 1, 2 }, "account 1 still holds -100 lots")]
    public void A_later_round_with_a_holder_left_out_is_unsatisfiable(ulong[] left, string refusal)
    {
        using var s = Written();
        var settled = s.Recorder.TakeExpiries().Where(x => !left.Contains(x.Account)).ToList();
        using (var b = s.BuildWithExpiries(settled)) Assert.True(s.Prove(b).IsSatisfied);
        s.Now = CallExpiryMs + 1_000;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 53_000 * Usd)).Accepted);
        Assert.StartsWith("earlier expiries settled", s.RefusedExpiry(refusal, _ => { }));
    }

    /// <summary>
    /// Liquidation slots in a circuit that carries open interest (one funding slot): LiquidationTests' accounts 2 and 3
    /// each long 30 lots are liquidated at 44,500; their 60 lots leave and the liquidator's 60 come in.
    /// </summary>
    [Fact]
    public void Liquidations_move_the_open_interest_to_the_liquidator()
    {
        using var s = new Scenario(new BatchShape(6, 2, 0, Liquidations: 2, Funding: 1), liquidator: LiquidatorId);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 200).Deposit(3, 165).Deposit(LiquidatorId, 1_000_000).Deposit(InsuranceId, 1);
        using (var b = s.Build()) s.Commit(b);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 60 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
        s.Place(3, BtcPerp, Side.Buy, 50_000 * Usd, 30 * Milli, OrderType.Ioc);
        using (var b = s.Build()) AssertOpenInterest(s, b, [60, 0], [0, 0]);
        s.Now += 1_000;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 44_500 * Usd)).Accepted);
        using var batch = s.Build();
        Assert.Equal(2, BatchData.Decode(s.Config, batch.DataWords.ToArray()).Liquidations.Count);
        // Without the liquidator's growth the figure would be 0; without the closed positions, 120.
        AssertOpenInterest(s, batch, [60, 0], [0, 0]);
        Assert.Equal(60, s.Builder.Mirror.Account(LiquidatorId)!.Positions[BtcPerp].Size);
    }

    /// <summary>
    /// Forced trades in a circuit that carries open interest: 2 buys 10 lots from 1, then 1 buys 15 from 2, which crosses
    /// both through zero: 1 ends long 5, 2 short 5, so 5 lots are held long.
    /// </summary>
    [Fact]
    public void Forced_trades_move_the_open_interest_across_zero()
    {
        using var s = new Scenario(new BatchShape(4, 1, 1, Forced: 2, Funding: 1));
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 2_000);
        using (var b = s.Build()) s.Commit(b);
        var price = s.Oracle.Prices[BtcPerp];
        s.ForceTrade(2, 1, BtcPerp, 10, price);
        s.ForceTrade(1, 2, BtcPerp, 15, price);
        using var batch = s.Build();
        AssertOpenInterest(s, batch, [5, 0], [15, 0]);
        Assert.Equal(5, s.Builder.Mirror.Account(1)!.Positions[BtcPerp].Size);
        Assert.Equal(-5, s.Builder.Mirror.Account(2)!.Positions[BtcPerp].Size);
    }
}
