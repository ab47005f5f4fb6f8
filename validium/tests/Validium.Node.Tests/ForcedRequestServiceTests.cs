using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Node.Exchange;
using Validium.Proving.Groth16;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests;

/// <summary>
/// L1 forced requests through the node's exchange: journaled, decided by the batch circuit's rule on the apply
/// thread, fed to the batcher in queue order at the end of their batch, proven, and replayed to the same result.
/// </summary>
public sealed class ForcedRequestServiceTests
{
    private static L1Forced Withdrawal(ulong index, int account, long usd, int signer = -1) =>
        new(index, ForcedOp.Withdrawal((ulong)account, PublicKey(signer < 0 ? account : signer), (ulong)(usd * Usd), Address(account)));

    [Fact]
    public async Task Forced_withdrawals_are_executed_or_refused_as_the_batch_decides_them_and_replay_the_same()
    {
        await using var h = await StartAsync(forcedSlots: true);

        // Before any oracle round a forced trade cannot be decided: journaled as not applied, the operation index does not move.
        var early = await h.Exchange.ForcedAsync(new L1Forced(0, ForcedOp.Trade(1, 2, 0, 1, PerLot(50_000), PublicKey(1), PublicKey(2))));
        Assert.Equal((false, AckCodes.NoOracleRound), (early.Accepted, early.Code));
        Assert.True(early.Sequence > 0);

        await h.OpenAsync();
        // Account 1 holds 100,000: 1,000 is paid. Account 2 asks for more than it holds; account 1 again, signed by another key.
        Assert.Contains("executed", Accepted(await h.Exchange.ForcedAsync(Withdrawal(3, 1, 1_000))).Message);
        var refused = await h.Exchange.ForcedAsync(Withdrawal(4, 2, 100_001));
        Assert.Equal((false, "InsufficientMargin"), (refused.Accepted, refused.Code));
        Assert.True(refused.Sequence > 0);
        Assert.Equal(AckCodes.Duplicate, (await h.Exchange.ForcedAsync(Withdrawal(4, 2, 1))).Code);
        Assert.Equal("KeyMismatch", (await h.Exchange.ForcedAsync(Withdrawal(5, 1, 1, signer: 2))).Code);
        Assert.Equal(AckCodes.Malformed, (await h.Exchange.ForcedAsync(new L1Forced(6, ForcedOp.Withdrawal(16, PublicKey(1), 1, Address(1))))).Code);

        Assert.Equal(99_000 * Usd, h.Exchange.View.Accounts[1].Summary.Collateral);
        Assert.Equal(100_000 * Usd, h.Exchange.View.Accounts[2].Summary.Collateral);
        Assert.Equal(5, h.Exchange.View.LastL1Operation);

        // Two forced slots: the three deposits and the first two requests fill batch 1; the third request is batch 2.
        await h.Exchange.WaitFedAsync(h.Exchange.LastApplied);
        await h.Pipeline.FlushAsync();
        var batches = h.Store.List().Select(h.Store.Read).ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal((3, 2), (batches[0].Deposits.Length, batches[0].Forced.Length));
        Assert.Equal((0, 1), (batches[1].Deposits.Length, batches[1].Forced.Length));
        Assert.Equal([true, false], BatchData.Decode(ForcedConfig, [.. batches[0].DataWords]).Forced.Select(f => f.Executed));
        Assert.False(Assert.Single(BatchData.Decode(ForcedConfig, [.. batches[1].DataWords]).Forced).Executed);
        Assert.Equal([(Address(1), (ulong)(1_000 * Usd))], batches[0].Payouts(ForcedConfig));
        Assert.Empty(batches[1].Payouts(ForcedConfig));

        var proven = await h.ReleasedAsync(2);
        foreach (var r in proven) Assert.True(Verifier.Verify(h.Store.VerifyingKey, r.Proof!, r.PublicInputs.AsSpan(), out var why), why);

        var hash = h.Exchange.StateHash();
        await h.RestartAsync();
        Assert.Equal(hash, h.Exchange.StateHash());
        Assert.Equal(99_000 * Usd, h.Exchange.View.Accounts[1].Summary.Collateral);
        Assert.Equal(2, h.Store.List().Count());
    }

    [Fact]
    public async Task A_deposit_queued_after_a_forced_request_goes_to_the_next_batch()
    {
        await using var h = await StartAsync(forcedSlots: true);
        await h.OpenAsync();
        Accepted(await h.Exchange.ForcedAsync(Withdrawal(3, 1, 10)));
        Accepted(await h.Exchange.DepositAsync(new L1Deposit(4, PublicKey(3), 5 * Usd, Address(3))));
        await h.Exchange.WaitFedAsync(h.Exchange.LastApplied);
        await h.Pipeline.FlushAsync();
        var batches = h.Store.List().Select(h.Store.Read).ToList();
        Assert.Equal(2, batches.Count);
        // Batch 1 chains deposits 0..2 then forced request 3; batch 2 continues with deposit 4: the L1 queue's order.
        Assert.Equal((3, 1, 0), (batches[0].Deposits.Length, batches[0].Forced.Length, batches[0].Trades.Length));
        Assert.Equal((1, 0), (batches[1].Deposits.Length, batches[1].Forced.Length));
        Assert.Equal(batches[0].PublicInputs[4], batches[1].OpsHeadBefore);
        Assert.Equal(CutReason.Size, batches[0].Reason);
    }
}
