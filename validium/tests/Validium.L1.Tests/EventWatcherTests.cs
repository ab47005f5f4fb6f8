using System.Numerics;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Events;
using Validium.L1.Rpc;
using Validium.L1.Transactions;

namespace Validium.L1.Tests;

/// <summary>The watcher on anvil, with reorganisations made by evm_snapshot/evm_revert and restarts from the cursor file.</summary>
public class EventWatcherTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Applies batches and rewinds like a real consumer would, and checks the watcher's promises as it goes.</summary>
    private sealed class RecordingConsumer(long startBlock) : ILogConsumer
    {
        public List<LogEntry> Applied { get; } = [];
        public List<long> Rewinds { get; } = [];
        public long LastTo { get; private set; } = startBlock - 1;

        public Task HandleAsync(LogBatch batch, CancellationToken ct)
        {
            Assert.Equal(LastTo + 1, batch.FromBlock);
            Assert.True(batch.ToBlock >= batch.FromBlock);
            foreach (var log in batch.Logs)
            {
                Assert.InRange(log.BlockNumber, batch.FromBlock, batch.ToBlock);
                Assert.DoesNotContain(Applied, a => a.Key == log.Key);
            }
            Assert.Equal(batch.Logs.OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex), batch.Logs);
            Applied.AddRange(batch.Logs);
            LastTo = batch.ToBlock;
            return Task.CompletedTask;
        }

        public Task RewindAsync(long forkBlock, CancellationToken ct)
        {
            Assert.True(forkBlock < LastTo, $"rewind to {forkBlock} but only {LastTo} was delivered");
            Applied.RemoveAll(l => l.BlockNumber > forkBlock);
            Rewinds.Add(forkBlock);
            LastTo = forkBlock;
            return Task.CompletedTask;
        }
    }

    private sealed class Setup(TestChain chain, Contract probe, long deployBlock) : IDisposable
    {
        private readonly Secp256k1PrivateKey emitter = TestChain.Key(1);
        public TestChain Chain => chain;
        public Contract Probe => probe;
        public long DeployBlock => deployBlock;
        public string CursorPath => Path.Combine(chain.Dir.FullName, "cursor.json");

        /// <summary>One Counted event in its own block, sent with the chain's current nonce so snapshots and reverts need no bookkeeping.</summary>
        public async Task EmitAsync(string label)
        {
            var eth = chain.Eth;
            var tx = new Eip1559Transaction
            {
                ChainId = AnvilProcess.ChainId, Nonce = await eth.GetTransactionCountAsync(emitter.Address, "pending"),
                MaxPriorityFeePerGas = 1, MaxFeePerGas = 100_000_000_000, GasLimit = 200_000,
                To = probe.Address, Data = probe.Abi.Function("bump").EncodeCall(label),
            };
            var hash = await eth.SendRawTransactionAsync(tx.Sign(emitter).Encode());
            // Even with automine the receipt can be null for a moment after the send (NOTES.md): poll.
            for (int i = 0; i < 200; i++)
            {
                if (await eth.GetTransactionReceiptAsync(hash) is { } r)
                {
                    Assert.True(r.Succeeded);
                    return;
                }
                await Task.Delay(10);
            }
            Assert.Fail($"no receipt for {Hex.Encode(hash)} after 2 s");
        }

        public EventWatcher Open(ILogConsumer consumer, int confirmations = 0, int maxRange = 200, int hashWindow = 256, EthereumAddress? address = null) =>
            EventWatcher.Open(chain.Eth, new EventWatcherOptions
            {
                Addresses = [address ?? probe.Address], CursorPath = CursorPath, StartBlock = deployBlock,
                Confirmations = confirmations, MaxBlockRange = maxRange, HashWindow = hashWindow,
                Topics = [[probe.Abi.Event("Counted").Topic0]],
            }, consumer);

        /// <summary>What the chain says now: the canonical logs of the watched range.</summary>
        public async Task<string[]> CanonicalLabels(long to) =>
            (await chain.Eth.GetLogsAsync(new LogFilter(deployBlock, to, [probe.Address], [[probe.Abi.Event("Counted").Topic0]])))
            .Select(Label).ToArray();

        public async Task<string[]> CanonicalKeys(long to) =>
            (await chain.Eth.GetLogsAsync(new LogFilter(deployBlock, to, [probe.Address], [[probe.Abi.Event("Counted").Topic0]])))
            .Select(l => l.Key).ToArray();

        public string Label(LogEntry l) => (string)probe.Abi.TryDecodeLog(l.Topics, l.Data)!["label"]!;

        public Task<System.Text.Json.JsonElement> Snapshot() => chain.Call("evm_snapshot");

        public async Task Revert(System.Text.Json.JsonElement id) => Assert.True((await chain.Call("evm_revert", id.GetString())).GetBoolean());

        public void Dispose() => chain.Dispose();
    }

    private static async Task<Setup> Start()
    {
        var (abi, _, bytecode) = JsTools.Contract("Probe");
        var chain = TestChain.Start();
        var sender = await chain.SenderAsync();
        var probe = await Contract.DeployAsync(sender, abi, bytecode, [(BigInteger)0]);
        return new Setup(chain, probe, await chain.Eth.BlockNumberAsync());
    }

    private static async Task CatchUp(EventWatcher w)
    {
        for (int i = 0; i < 100; i++)
            if (await w.PollOnceAsync() == 0 && await w.PollOnceAsync() == 0) return;
        throw new TimeoutException("the watcher did not catch up in 100 polls");
    }

    [SkippableFact]
    public async Task Delivers_each_event_once_in_order_behind_the_confirmation_depth_and_resumes_from_its_cursor()
    {
        using var s = await Start();
        var consumer = new RecordingConsumer(s.DeployBlock);
        var w = s.Open(consumer, confirmations: 2, maxRange: 3);
        foreach (var l in new[] { "a", "b", "c", "d", "e" }) await s.EmitAsync(l);
        await CatchUp(w);
        long head = await s.Chain.Eth.BlockNumberAsync();
        Assert.Equal(head - 2, w.LastProcessedBlock);
        Assert.Equal(["a", "b", "c"], consumer.Applied.Select(s.Label));

        // A restart: the new watcher continues after the cursor, so nothing already handled comes again.
        w = s.Open(consumer, confirmations: 2, maxRange: 3);
        Assert.Equal(head - 2, w.LastProcessedBlock);
        await s.EmitAsync("f");
        await s.Chain.MineAsync(2);
        await CatchUp(w);
        Assert.Equal(["a", "b", "c", "d", "e", "f"], consumer.Applied.Select(s.Label));
        Assert.Equal(await s.CanonicalKeys(w.LastProcessedBlock), consumer.Applied.Select(l => l.Key));
        Assert.Empty(consumer.Rewinds);
    }

    [SkippableFact]
    public async Task A_reorganisation_rewinds_the_consumer_and_delivers_the_new_branch()
    {
        using var s = await Start();
        var consumer = new RecordingConsumer(s.DeployBlock);
        var w = s.Open(consumer);
        await s.EmitAsync("before");
        long fork = await s.Chain.Eth.BlockNumberAsync();
        var snapshot = await s.Snapshot();
        await s.EmitAsync("old-1");
        await s.EmitAsync("old-2");
        await CatchUp(w);
        Assert.Equal(["before", "old-1", "old-2"], consumer.Applied.Select(s.Label));

        await s.Revert(snapshot);
        await s.Chain.MineAsync();
        await s.EmitAsync("new-1");
        await s.Chain.MineAsync();
        Assert.Equal(0, await w.PollOnceAsync());
        Assert.Equal([fork], consumer.Rewinds);
        Assert.Equal(fork, w.LastProcessedBlock);
        await CatchUp(w);
        Assert.Equal(["before", "new-1"], consumer.Applied.Select(s.Label));
        Assert.Equal(await s.CanonicalKeys(w.LastProcessedBlock), consumer.Applied.Select(l => l.Key));
        Assert.Equal(1, w.Rewinds);
    }

    [SkippableFact]
    public async Task Random_reorganisations_and_restarts_leave_the_consumer_equal_to_the_chain()
    {
        const int seed = 4242;
        var rng = new Random(seed);
        using var s = await Start();
        var consumer = new RecordingConsumer(s.DeployBlock);
        int confirmations = 1;
        var w = s.Open(consumer, confirmations, maxRange: 4);
        var snapshots = new List<System.Text.Json.JsonElement>();
        int labels = 0, reverts = 0;
        for (int step = 0; step < 60; step++)
        {
            switch (rng.Next(8))
            {
                case 0 or 1:
                    for (int i = rng.Next(1, 4); i > 0; i--) await s.EmitAsync($"e{labels++}");
                    break;
                case 2:
                    await s.Chain.MineAsync(rng.Next(1, 3));
                    break;
                case 3:
                    snapshots.Add(await s.Snapshot());
                    break;
                case 4 when snapshots.Count > 0:
                    // Reverting to a snapshot consumes it and every later one.
                    int k = rng.Next(snapshots.Count);
                    await s.Revert(snapshots[k]);
                    snapshots.RemoveRange(k, snapshots.Count - k);
                    reverts++;
                    break;
                case 5:
                    w = s.Open(consumer, confirmations, maxRange: 4);
                    break;
                default:
                    for (int i = rng.Next(1, 3); i > 0; i--) await w.PollOnceAsync();
                    break;
            }
        }
        await s.Chain.MineAsync(confirmations + 1);
        await CatchUp(w);
        output.WriteLine($"seed {seed}: {labels} events emitted, {reverts} reverts, {consumer.Rewinds.Count} rewinds seen, {consumer.Applied.Count} events held");
        Assert.True(consumer.Rewinds.Count > 0, $"seed {seed} produced no reorganisation the watcher saw: pick another seed");
        Assert.Equal(await s.CanonicalKeys(w.LastProcessedBlock), consumer.Applied.Select(l => l.Key));
        Assert.Equal(await s.Chain.Eth.BlockNumberAsync() - confirmations, w.LastProcessedBlock);
    }

    [SkippableFact]
    public async Task A_reorganisation_deeper_than_the_kept_hashes_stops_the_watcher_loudly()
    {
        using var s = await Start();
        var snapshot = await s.Snapshot();
        for (int i = 0; i < 5; i++) await s.EmitAsync($"old{i}");
        var consumer = new RecordingConsumer(s.DeployBlock);
        var w = s.Open(consumer, confirmations: 0, hashWindow: 3);
        await CatchUp(w);
        await s.Revert(snapshot);
        for (int i = 0; i < 7; i++) await s.EmitAsync($"new{i}");
        var e = await Assert.ThrowsAsync<ReorgTooDeepException>(() => w.PollOnceAsync());
        Assert.Contains("deeper than the hash window (3)", e.Message);
        Assert.Empty(consumer.Rewinds);
    }

    [SkippableFact]
    public async Task A_cursor_written_for_another_filter_or_damaged_is_refused()
    {
        using var s = await Start();
        var w = s.Open(new RecordingConsumer(s.DeployBlock));
        await s.EmitAsync("x");
        await CatchUp(w);
        var e = Assert.Throws<InvalidDataException>(() => s.Open(new RecordingConsumer(s.DeployBlock), address: TestChain.Key(3).Address));
        Assert.Contains("another filter", e.Message);
        File.WriteAllText(s.CursorPath, "{\"version\":1,\"blocks\":[{\"n\":\"x\"}]}");
        Assert.Throws<InvalidDataException>(() => s.Open(new RecordingConsumer(s.DeployBlock)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventWatcher.Open(s.Chain.Eth,
            new EventWatcherOptions { Addresses = [s.Probe.Address], CursorPath = s.CursorPath, Confirmations = 10, HashWindow = 5 }, new RecordingConsumer(0)));
    }
}
