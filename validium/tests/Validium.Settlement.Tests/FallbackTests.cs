using System.Numerics;
using Validium.Accel;
using Validium.Circuits.Witness;
using Validium.Cli;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.State;
using Xunit.Abstractions;

namespace Validium.Settlement.Tests;

/// <summary>The settled chain's two batches with every committee member down from the start.</summary>
public sealed class FallbackChain : SettledChain
{
    protected override ulong CommitteeDownFrom => 1;
}

/// <summary>Batch 1 attested by the committee, batch 2 on L1 with the committee down (members back up afterwards).</summary>
public sealed class MixedChain : SettledChain
{
    protected override ulong CommitteeDownFrom => 2;
}

/// <summary>Recovery over a chain whose batches are partly attested, partly on L1: each batch's data from where it is.</summary>
public class MixedRecoveryTests(MixedChain chain, ITestOutputHelper output) : IClassFixture<MixedChain>
{
    [SkippableFact]
    public async Task Recovery_reads_attested_batches_from_a_member_and_on_chain_batches_from_L1()
    {
        chain.RequireSettled();
        Assert.Equal([1UL], chain.Settled.Select(s => s.Number));
        Assert.Equal([2UL], chain.Available.Select(a => a.Number));
        var args = new List<string> { "recover", "--rpc", chain.Anvil.Url.ToString(), "--contract", chain.System.Validium.ToString() };
        var dir = Path.Combine(chain.Dir.FullName, "mixed-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, stdout, stderr) = await FallbackTests.Vld([.. args, "--out", dir, "--dac", (await chain.MemberWithEveryBatchAsync()).ToString()]);
        Assert.True(code == 0, stderr + stdout);
        output.WriteLine(stdout);
        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries);
        Assert.DoesNotContain("data from L1", lines.Single(l => l.StartsWith("batch 1:", StringComparison.Ordinal)));
        Assert.EndsWith($"root {chain.Roots[1]} = L1's; data from L1 calldata", lines.Single(l => l.StartsWith("batch 2:", StringComparison.Ordinal)));
        var snapshot = StateSnapshot.FromJson(File.ReadAllText(Path.Combine(dir, StateRecovery.SnapshotFile)));
        Assert.Equal(chain.Roots[^1], snapshot.Root);

        // Without a member, batch 1 (attested) cannot be recovered, and recovery says which batch needs one.
        (code, _, stderr) = await FallbackTests.Vld([.. args, "--out", dir + "-none"]);
        Assert.Equal(2, code);
        Assert.Contains("batch 1 was accepted with the committee's signatures", stderr);
    }
}

/// <summary>
/// The on-chain data fallback end to end on anvil with real batch proofs: a disabled fallback holds each batch and
/// alerts with nothing posted; an enabled one posts the data and the contract accepts it; recovery then rebuilds the
/// operator's roots from L1 alone, with no member given.
/// </summary>
public class FallbackTests(FallbackChain chain, ITestOutputHelper output) : IClassFixture<FallbackChain>
{
    internal static async Task<(int Code, string Out, string Err)> Vld(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = await VldApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [SkippableFact]
    public void With_the_fallback_disabled_each_batch_is_held_with_an_alert_and_nothing_is_posted()
    {
        chain.RequireSettled();
        Assert.Equal(2, chain.Held.Count);
        for (int i = 0; i < chain.Held.Count; i++)
        {
            var h = chain.Held[i];
            Assert.Equal((ulong)i + 1, h.Exception.Batch);
            Assert.Contains("nothing posted", h.Exception.Message);
            Assert.Equal(h.BatchNumberBefore, h.BatchNumberAfter);
            Assert.Equal(new BigInteger(i), h.BatchNumberAfter);
            Assert.Equal(h.NonceBefore, h.NonceAfter);
            Assert.Equal(AvailabilityState.Degraded, h.State);
            Assert.StartsWith("data availability below threshold", h.Alert);
            // The held batch is not committed: the operator's state is still where the last accepted batch left it.
            Assert.Equal(h.StateRootBefore, h.StateRootAfter);
            if (i > 0) Assert.Equal(chain.Roots[i - 1], h.StateRootAfter);
            output.WriteLine($"batch {h.Exception.Batch}: {h.Exception.Message}\n  alert: {h.Alert}");
        }
    }

    [SkippableFact]
    public async Task With_the_fallback_enabled_the_contract_accepts_each_batch_with_its_data_on_chain()
    {
        chain.RequireSettled();
        Assert.Empty(chain.Settled);
        Assert.Equal([DataAvailabilityPath.OnChain, DataAvailabilityPath.OnChain], chain.Available.Select(a => a.Path));
        Assert.All(chain.Available, a => Assert.Null(a.Attestation));
        Assert.All(chain.Available, a => Assert.Contains("valid signature(s) of the 2 needed", a.CommitteeFailure));
        Assert.Equal(new BigInteger(2), await chain.Validium.CallSingleAsync("batchNumber"));
        Assert.Equal(chain.Roots[^1].ToBigInteger(), await chain.Validium.CallSingleAsync("stateRoot"));
        Assert.Equal(new BigInteger(6), await chain.Validium.CallSingleAsync("processedOps"));
        Assert.Equal(new BigInteger(1_000 * SettledChain.Usd + SettledChain.ForcedPaid), await chain.Validium.CallSingleAsync("claimable", chain.User.Address));
        foreach (var a in chain.Available)
        {
            var posted = chain.Validium.DecodeLogs(a.Receipt).Single(l => l.Event.Name == "BatchDataOnChain");
            Assert.Equal(new BigInteger(a.DataWords), posted.Values[1]);
            output.WriteLine($"submitBatchWithData, batch {a.Number}: {a.GasUsed:N0} gas, {a.DataWords} data words ({a.DataWords * 32:N0} bytes), {a.CalldataBytes:N0} calldata bytes");
        }
        // Each batch waited for the committee, then its data went on L1: nothing is left waiting.
        Assert.Equal([AvailabilityState.Available, AvailabilityState.Available], chain.StateAfterFallback);
    }

    [SkippableFact]
    public async Task Recovery_from_L1_alone_reproduces_every_root()
    {
        chain.RequireSettled();
        var dir = Path.Combine(chain.Dir.FullName, "from-l1-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, stdout, stderr) = await Vld("recover", "--rpc", chain.Anvil.Url.ToString(), "--contract", chain.System.Validium.ToString(), "--out", dir);
        Assert.True(code == 0, stderr + stdout);
        output.WriteLine(stdout);
        Assert.Contains("batch 1: 3 deposits, 1 trades, 1 withdrawals, 0 forced requests", stdout);
        Assert.Contains("batch 2: 1 deposits, 1 trades, 0 withdrawals, 2 forced requests", stdout);
        Assert.Equal(2, stdout.Split("data from L1 calldata").Length - 1);
        var snapshot = StateSnapshot.FromJson(File.ReadAllText(Path.Combine(dir, StateRecovery.SnapshotFile)));
        Assert.Equal(2UL, snapshot.BatchNumber);
        Assert.Equal(chain.Roots[^1], snapshot.Root);
        using var store = StateStore.Open(Path.Combine(dir, StateRecovery.StateDirectory), new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }));
        var accounts = store.Tree(TreeId.Accounts, chain.Config.AccountDepth);
        for (int b = 0; b < chain.Roots.Count; b++) Assert.Equal(chain.Roots[b], accounts.RootAt((ulong)b + 1));
        snapshot.CheckAgainst(store);
        Assert.Equal(chain.Mirror.Fills.OrderBy(kv => kv.Key), snapshot.Mirror.Fills.OrderBy(kv => kv.Key));
    }

    [SkippableFact]
    public async Task On_chain_data_is_used_only_from_the_batchs_own_transaction_and_only_with_the_committed_commitment()
    {
        chain.RequireSettled();
        var history = await L1History.ReadAsync(chain.Eth, chain.System.Validium, chain.System.Block);
        Assert.All(history.Batches, b => Assert.True(b.DataOnChain));
        var first = history.Batches[0];
        var data = await OnChainData.ReadAsync(chain.Eth, chain.System.Validium, first);
        Assert.Equal(first.DataCommitment, PoseidonSponge.CommitBytes(data));

        var wrong = await Assert.ThrowsAsync<InvalidDataException>(() => OnChainData.ReadAsync(chain.Eth, chain.System.Validium, first with { DataCommitment = first.DataCommitment + Fr.One }));
        Assert.Contains("batch 1: the data in transaction", wrong.Message);
        // Batch 2's transaction read as batch 1's: its data is the wrong data for batch 1's commitment.
        var swapped = await Assert.ThrowsAsync<InvalidDataException>(() => OnChainData.ReadAsync(chain.Eth, chain.System.Validium, first with { Transaction = history.Batches[1].Transaction }));
        Assert.Contains("L1 accepted", swapped.Message);
        // A transaction that is not a submitBatchWithData call on the contract (a deposit, a contract elsewhere).
        var deposit = (await chain.Eth.GetLogsAsync(new L1.Rpc.LogFilter(chain.System.Block, history.ToBlock, [chain.System.Validium], [[L1History.Abi.Event("L1Operation").Topic0]])))[0];
        var notData = await Assert.ThrowsAsync<InvalidDataException>(() => OnChainData.ReadAsync(chain.Eth, chain.System.Validium, first with { Transaction = deposit.TransactionHash }));
        Assert.Contains("is not a direct submitBatchWithData call", notData.Message);
        var elsewhere = await Assert.ThrowsAsync<InvalidDataException>(() => OnChainData.ReadAsync(chain.Eth, chain.System.Oracle, first));
        Assert.Contains("is not a direct submitBatchWithData call", elsewhere.Message);

        // A batch accepted with signatures needs a member: with none given, recovery names the batch.
        var source = new BatchDataSource(chain.Eth, chain.System.Validium, null);
        var noMember = await Assert.ThrowsAsync<InvalidOperationException>(() => source.FetchAsync(first with { DataOnChain = false }));
        Assert.Contains("batch 1 was accepted with the committee's signatures", noMember.Message);
    }
}
