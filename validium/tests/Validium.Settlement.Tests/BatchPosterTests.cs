using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Numerics;
using Validium.Batcher;
using Validium.Circuits.Witness;
using Validium.DaCommittee.Client;
using Validium.L1;

namespace Validium.Settlement.Tests;

public sealed class BatchPosterTests(ChainNode node) : IClassFixture<ChainNode>
{
    /// <summary>Round 1 on L1 and in the pipeline, then the deposits fed in as one command each.</summary>
    internal static async Task FeedAsync(BatchPipeline pipeline, OracleRound round, IEnumerable<DepositOp> deposits, long firstSequence = 1)
    {
        if (firstSequence == 1) await pipeline.OracleCommittedAsync(round);
        long seq = firstSequence;
        foreach (var d in deposits) await pipeline.AddAsync(seq++, [d], [], []);
        await pipeline.FlushAsync();
    }

    [SkippableFact]
    public async Task PostsProvenBatchesInOrderAndRecordsEveryStage()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        var round = await chain.PublishRoundAsync(1);
        DepositOp[] deposits = [await chain.DepositAsync(1, 1_000), await chain.DepositAsync(2, 2_000), await chain.DepositAsync(3, 3_000)];

        var measured = new ConcurrentBag<(string Name, double Value, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            // Another test's chain has the same contract address; its poster has another directory.
            if (i.Meter.Name == BatchPoster.MeterName && i.Meter.Scope is string s && s == Path.GetFullPath(chain.PosterDir)) l.EnableMeasurementEvents(i);
        };
        void Record(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? contract = null, reason = null;
            foreach (var t in tags)
            {
                if (t.Key == "contract") contract = (string?)t.Value;
                if (t.Key == "reason") reason = (string?)t.Value;
            }
            if (contract == chain.System.Validium.ToString()) measured.Add((i.Name, v, reason));
        }
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();

        var stages = new ConcurrentQueue<(ulong, PostStage)>();
        await using var pipeline = chain.StartPipeline();
        using var dac = chain.Committee.Client(TimeSpan.FromSeconds(20));
        var sender = await chain.SenderAsync(2, "operator");
        await using (var poster = chain.StartPoster(sender, dac, pipeline.Released))
        {
            poster.StatusChanged += s => stages.Enqueue((s.Number, s.Stage));
            await FeedAsync(pipeline, round, deposits);
            await Eventually.TrueAsync(() => poster.LastConfirmed == 2, "batches 1 and 2 to be confirmed");

            var store = BatchStore.Open(chain.BatcherDir);
            Assert.Equal(2UL, await chain.BatchNumberAsync());
            Assert.Equal(store.Read(2).PublicInputs[1], await chain.StateRootAsync());
            Assert.Equal((BigInteger)3, (BigInteger)(await chain.Validium.CallSingleAsync("processedOps"))!);

            var committee = chain.Committee.Keys.Select(k => k.Address.ToString()).ToHashSet();
            foreach (ulong n in new ulong[] { 1, 2 })
            {
                var s = poster.Status(n)!;
                Assert.Equal(PostStage.Confirmed, s.Stage);
                Assert.Equal(store.Read(n).PublicInputs[2].ToString(), s.DataCommitment);
                Assert.Equal(2, s.Signers.Count);
                Assert.All(s.Signers, a => Assert.Contains(a, committee));
                Assert.True(s.AttestationMilliseconds > 0);
                Assert.False(s.FoundOnL1);
                Assert.Null(s.LastError);
                var receipt = await chain.Eth.GetTransactionReceiptAsync(Hex.Decode(s.TransactionHash!));
                Assert.NotNull(receipt);
                Assert.True(receipt.Succeeded);
                Assert.Equal(receipt.BlockNumber, s.Block);
                Assert.Equal(receipt.GasUsed, s.GasUsed);
                Assert.True(await chain.Eth.BlockNumberAsync() - s.Block!.Value + 1 >= 2);
            }
            Assert.Equal([PostStage.Waiting, PostStage.Attested, PostStage.Submitted, PostStage.Included, PostStage.Confirmed],
                stages.Where(x => x.Item1 == 1).Select(x => x.Item2).Distinct());
            Assert.Equal([1UL, 2UL], poster.List().Select(s => s.Number));

            listener.RecordObservableInstruments();
            Assert.Equal(2, measured.Where(m => m.Name == "validium.poster.batches_posted").Sum(m => m.Value));
            Assert.Equal(new[] { poster.Status(1)!.GasUsed!.Value, poster.Status(2)!.GasUsed!.Value }.Select(g => (double)g).Order(),
                measured.Where(m => m.Name == "validium.poster.gas_used").Select(m => m.Value).Order());
            Assert.Equal(2, measured.Count(m => m.Name == "validium.poster.attestation.duration"));
            Assert.Contains(measured, m => m.Name == "validium.poster.backlog" && m.Value == 0);
        }

        // The status file is the poster's cursor: a new instance starts after batch 2 and reports what happened.
        await using (var again = chain.StartPoster(await chain.SenderAsync(2, "operator"), dac))
        {
            Assert.Equal(2UL, again.LastConfirmed);
            Assert.Equal(PostStage.Confirmed, again.Status(2)!.Stage);
        }
    }

    [SkippableFact]
    public async Task HoldsABatchWhileTheCommitteeIsBelowThresholdAndPostsItOnceItIsBack()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        var round = await chain.PublishRoundAsync(1);
        DepositOp[] deposits = [await chain.DepositAsync(1, 1_000), await chain.DepositAsync(2, 2_000)];
        await chain.Committee.StopMemberAsync(0);
        await chain.Committee.StopMemberAsync(1);

        await using var pipeline = chain.StartPipeline();
        using var dac = chain.Committee.Client(TimeSpan.FromSeconds(1));
        await using var poster = chain.StartPoster(await chain.SenderAsync(2, "operator"), dac, pipeline.Released);
        await FeedAsync(pipeline, round, deposits);

        await Eventually.TrueAsync(() => poster.Status(1) is { Attempts: >= 2 }, "two failed attestations of batch 1");
        var held = poster.Status(1)!;
        Assert.Equal(PostStage.Waiting, held.Stage);
        Assert.Contains("of the 2 needed", held.LastError);
        Assert.Equal(AvailabilityState.Degraded, dac.Availability.State);
        Assert.Contains("batch 1", dac.Availability.Alert);
        Assert.Equal(0UL, await chain.BatchNumberAsync());

        await chain.Committee.StartMemberAsync(0);
        await chain.Committee.StartMemberAsync(1);
        await Eventually.TrueAsync(() => poster.LastConfirmed == 1, "batch 1 to be confirmed once the committee is back");
        Assert.Equal(1UL, await chain.BatchNumberAsync());
        Assert.Equal(AvailabilityState.Available, dac.Availability.State);
        Assert.Null(poster.Status(1)!.LastError);
    }

    [SkippableFact]
    public async Task ABatchTheContractRefusesIsHeldWithTheDecodedReasonNotSkipped()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        var round = await chain.PublishRoundAsync(1);
        // The batch credits two deposits that L1 has not queued yet: the contract must refuse its opsProcessed.
        var key1 = PostingChain.L2Key(1);
        var key2 = PostingChain.L2Key(2);
        var user = PostingChain.AddressValue(chain.User.Address);
        DepositOp[] deposits = [new(1, key1, 1_000, user), new(2, key2, 2_000, user)];

        await using var pipeline = chain.StartPipeline();
        using var dac = chain.Committee.Client(TimeSpan.FromSeconds(20));
        await using var poster = chain.StartPoster(await chain.SenderAsync(2, "operator"), dac, pipeline.Released);
        await FeedAsync(pipeline, round, deposits);

        await Eventually.TrueAsync(() => poster.Status(1) is { Attempts: >= 1, LastError: not null }, "the contract to refuse batch 1");
        var held = poster.Status(1)!;
        Assert.Contains("refused by the contract", held.LastError);
        Assert.Contains("WrongOpsProcessed", held.LastError);
        Assert.Equal(PostStage.Waiting, held.Stage);
        Assert.Equal(0UL, await chain.BatchNumberAsync());

        // Once L1 holds the deposits the same batch goes through: it was held, not dropped.
        await chain.DepositAsync(1, 1_000);
        await chain.DepositAsync(2, 2_000);
        await Eventually.TrueAsync(() => poster.LastConfirmed == 1, "batch 1 to be confirmed after the deposits");
        Assert.Equal(BatchStore.Open(chain.BatcherDir).Read(1).PublicInputs[1], await chain.StateRootAsync());
    }

    [SkippableFact]
    public async Task ARestartedPosterFindsItsEarlierSubmissionOnL1AndDoesNotSendItAgain()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        var round = await chain.PublishRoundAsync(1);
        DepositOp[] deposits = [await chain.DepositAsync(1, 1_000), await chain.DepositAsync(2, 2_000)];
        await using var pipeline = chain.StartPipeline();
        await FeedAsync(pipeline, round, deposits);
        await pipeline.Released.ReadAsync();
        using var dac = chain.Committee.Client(TimeSpan.FromSeconds(20));
        var operatorAddress = (await chain.SenderAsync(2, "operator")).Address;
        ulong txsBefore = await chain.Eth.GetTransactionCountAsync(operatorAddress, "latest");

        // The node stops mining, so the poster's submission gets no receipt; the poster is stopped in that state and a
        // new one started on its directory while the transaction still waits in the node's pool.
        node.Mining = false;
        string sentHash;
        BatchPoster second;
        try
        {
            await chain.Rpc.CallAsync("evm_setAutomine", [false]);
            await using (var first = chain.StartPoster(await chain.SenderAsync(2, "operator"), dac))
            {
                await Eventually.TrueAsync(() => first.Status(1)?.Stage == PostStage.Submitted, "batch 1's submission");
                sentHash = first.Status(1)!.TransactionHash!;
            }
            second = chain.StartPoster(await chain.SenderAsync(2, "operator"), dac);
            await Task.Delay(1_000);
            Assert.Equal(PostStage.Submitted, second.Status(1)!.Stage);
            Assert.Equal(txsBefore + 1, await chain.Eth.GetTransactionCountAsync(operatorAddress, "pending"));
            await chain.Rpc.CallAsync("evm_mine");
        }
        finally
        {
            await chain.Rpc.CallAsync("evm_setAutomine", [true]);
            node.Mining = true;
        }

        await using var running = second;
        await Eventually.TrueAsync(() => second.LastConfirmed == 1, "batch 1 to be confirmed by the restarted poster");
        var s = second.Status(1)!;
        Assert.Equal(sentHash, s.TransactionHash);
        Assert.True(s.FoundOnL1);
        Assert.Equal(1UL, await chain.BatchNumberAsync());
        Assert.Equal(txsBefore + 1, await chain.Eth.GetTransactionCountAsync(operatorAddress, "latest"));
    }
}
