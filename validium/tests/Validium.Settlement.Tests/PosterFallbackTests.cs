using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Numerics;
using Validium.Batcher;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1;
using Xunit.Abstractions;

namespace Validium.Settlement.Tests;

/// <summary>The poster's instruments for one contract, as a listener saw them.</summary>
internal sealed class PosterMeasurements : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Name, double Value)> seen = new();

    /// <summary>Measurements of the poster whose status directory is <paramref name="posterDir"/> (the meter's scope).</summary>
    public PosterMeasurements(string posterDir)
    {
        var scope = Path.GetFullPath(posterDir);
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == BatchPoster.MeterName && i.Meter.Scope is string s && s == scope) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => seen.Enqueue((i.Name, v)));
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => seen.Enqueue((i.Name, v)));
        listener.Start();
    }

    public double Sum(string name) => seen.Where(m => m.Name == name).Sum(m => m.Value);

    /// <summary>The gauge's value now (its latest observation).</summary>
    public double Gauge(string name)
    {
        listener.RecordObservableInstruments();
        return seen.Where(m => m.Name == name).Select(m => m.Value).Last();
    }

    public void Dispose() => listener.Dispose();
}

/// <summary>
/// The poster's on-chain data fallback on anvil with real batch proofs and an in-process 2-of-3 committee: with the
/// committee down past the attestation timeout, an enabled fallback posts the batch with submitBatchWithData and
/// recovery rebuilds it from L1 alone; a disabled one posts nothing and raises the alert until the committee is back.
/// Either way, once the committee is back batches go the normal way.
/// </summary>
public sealed class PosterFallbackTests(ChainNode node, ITestOutputHelper output) : IClassFixture<ChainNode>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public async Task With_the_committee_down_and_the_fallback_on_the_batch_goes_on_L1_with_its_data_and_recovers_from_L1_alone()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        using var measured = new PosterMeasurements(chain.PosterDir);
        var round = await chain.PublishRoundAsync(1);
        DepositOp[] deposits = [await chain.DepositAsync(1, 1_000), await chain.DepositAsync(2, 2_000)];
        for (int i = 0; i < 3; i++) await chain.Committee.StopMemberAsync(i);

        var changes = new ConcurrentQueue<BatchPostStatus>();
        await using var pipeline = chain.StartPipeline();
        using var dac = chain.Committee.Client(TimeSpan.FromSeconds(1));
        await using var poster = chain.StartPoster(await chain.SenderAsync(2, "operator"), dac, pipeline.Released, new DataFallbackPolicy { Enabled = true, CommitteeTimeout = Timeout });
        poster.StatusChanged += changes.Enqueue;
        await BatchPosterTests.FeedAsync(pipeline, round, deposits);
        await Eventually.TrueAsync(() => poster.LastConfirmed == 1, "batch 1 to be confirmed with its data on L1");

        var store = BatchStore.Open(chain.BatcherDir);
        var batch = store.Read(1);
        var s = poster.Status(1)!;
        Assert.Equal(DataAvailabilityPath.OnChain, s.DataPath);
        Assert.Matches("of the 2 needed|no threshold within", s.CommitteeFailure);
        Assert.Empty(s.Signers);
        Assert.Null(s.AttestationMilliseconds);
        Assert.Null(s.LastError);
        Assert.Equal([PostStage.Waiting, PostStage.Submitted, PostStage.Included, PostStage.Confirmed], changes.Where(c => c.Number == 1).Select(c => c.Stage).Distinct());
        // It asked the committee for the whole timeout before posting the data itself.
        var submitted = changes.First(c => c.Number == 1 && c.Stage == PostStage.Submitted);
        Assert.True(submitted.Updated - s.AttestationStarted!.Value >= Timeout, $"submitted {submitted.Updated - s.AttestationStarted} after the first attestation attempt");

        var hash = Hex.Decode(s.TransactionHash!);
        var tx = await chain.Eth.GetTransactionAsync(hash);
        Assert.True(tx!.Input!.AsSpan(0, 4).SequenceEqual(OnChainData.Entry.Selector));
        Assert.Equal(tx.Input!.Length, s.CalldataBytes);
        var receipt = await chain.Eth.GetTransactionReceiptAsync(hash);
        var posted = chain.Validium.DecodeLogs(receipt!).Single(l => l.Event.Name == "BatchDataOnChain");
        Assert.Equal(new BigInteger(batch.DataWords.Length), posted.Values[1]);
        Assert.Equal(receipt!.GasUsed, s.GasUsed);
        Assert.Equal(1UL, await chain.BatchNumberAsync());
        Assert.Equal(batch.PublicInputs[1], await chain.StateRootAsync());
        Assert.Equal(AvailabilityState.Available, dac.Availability.State);
        Assert.Null(poster.AvailabilityAlert);
        Assert.Equal(1, measured.Sum("validium.poster.fallback_batches"));

        // Recovery with no committee member at all: the batch's data comes from its own transaction on L1.
        var history = await L1History.ReadAsync(chain.Eth, chain.System.Validium, chain.System.Block);
        Assert.True(history.Batches.Single().DataOnChain);
        var (snapshot, recovered) = await StateRecovery.RecoverAsync(history, new BatchDataSource(chain.Eth, chain.System.Validium, null), TinyCircuit.Config,
            Path.Combine(chain.Dir.FullName, "recovered"), TinyCircuit.Cpu);
        Assert.Equal(batch.PublicInputs[1], snapshot.Root);
        Assert.Equal(1UL, snapshot.BatchNumber);
        Assert.Equal(2, recovered.Single().Deposits);

        // The committee is back: the next batch goes with its signatures, not its data.
        for (int i = 0; i < 3; i++) await chain.Committee.StartMemberAsync(i);
        await BatchPosterTests.FeedAsync(pipeline, round, [await chain.DepositAsync(3, 3_000)], firstSequence: 3);
        await Eventually.TrueAsync(() => poster.LastConfirmed == 2, "batch 2 to be confirmed through the committee");
        var second = poster.Status(2)!;
        Assert.Equal(DataAvailabilityPath.Committee, second.DataPath);
        Assert.Equal(2, second.Signers.Count);
        Assert.Null(second.CommitteeFailure);
        var secondTx = await chain.Eth.GetTransactionAsync(Hex.Decode(second.TransactionHash!));
        Assert.False(secondTx!.Input!.AsSpan(0, 4).SequenceEqual(OnChainData.Entry.Selector));
        Assert.Equal(1, measured.Sum("validium.poster.fallback_batches"));
        Assert.Equal(2, measured.Sum("validium.poster.batches_posted"));
        foreach (var (st, words) in new[] { (s, batch.DataWords.Length), (second, store.Read(2).DataWords.Length) })
            output.WriteLine($"batch {st.Number} via {st.DataPath}: {words} data words, {st.GasUsed:N0} gas, {st.CalldataBytes:N0} calldata bytes");
    }

    [SkippableFact]
    public async Task With_the_fallback_off_a_batch_the_committee_cannot_attest_is_held_with_an_alert_and_posts_normally_once_it_is_back()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        using var measured = new PosterMeasurements(chain.PosterDir);
        var round = await chain.PublishRoundAsync(1);
        DepositOp[] deposits = [await chain.DepositAsync(1, 1_000), await chain.DepositAsync(2, 2_000)];
        await chain.Committee.StopMemberAsync(0);
        await chain.Committee.StopMemberAsync(1);
        var sender = await chain.SenderAsync(2, "operator");
        ulong nonce = await chain.Eth.GetTransactionCountAsync(sender.Address, "latest");

        await using var pipeline = chain.StartPipeline();
        using var dac = chain.Committee.Client(TimeSpan.FromSeconds(1));
        await using var poster = chain.StartPoster(sender, dac, pipeline.Released, new DataFallbackPolicy { Enabled = false, CommitteeTimeout = Timeout });
        Assert.Equal(0, measured.Gauge("validium.poster.availability_held"));
        await BatchPosterTests.FeedAsync(pipeline, round, deposits);

        await Eventually.TrueAsync(() => poster.AvailabilityAlert is not null, "the availability alert");
        var alert = poster.AvailabilityAlert!;
        Assert.StartsWith("committee below threshold for batch 1 since ", alert);
        Assert.EndsWith("; on-chain data fallback disabled", alert);
        var started = poster.Status(1)!.AttestationStarted!.Value;
        Assert.Contains(started.UtcDateTime.ToString("u"), alert);
        // Attestation goes on being retried past the timeout, and still nothing reaches L1.
        int attempts = poster.Status(1)!.Attempts;
        await Eventually.TrueAsync(() => poster.Status(1)!.Attempts >= attempts + 2, "two more attestation attempts");
        var held = poster.Status(1)!;
        Assert.Equal(PostStage.Waiting, held.Stage);
        Assert.Null(held.DataPath);
        Assert.Null(held.TransactionHash);
        Assert.Contains("nothing posted to L1", held.LastError);
        Assert.Contains("of the 2 needed", held.LastError);
        Assert.Equal(0UL, await chain.BatchNumberAsync());
        Assert.Equal(nonce, await chain.Eth.GetTransactionCountAsync(sender.Address, "pending"));
        Assert.Equal(1, measured.Gauge("validium.poster.availability_held"));
        Assert.Equal(AvailabilityState.Degraded, dac.Availability.State);

        await chain.Committee.StartMemberAsync(0);
        await chain.Committee.StartMemberAsync(1);
        await Eventually.TrueAsync(() => poster.LastConfirmed == 1, "batch 1 to be confirmed once the committee is back");
        var posted = poster.Status(1)!;
        Assert.Equal(DataAvailabilityPath.Committee, posted.DataPath);
        Assert.Equal(2, posted.Signers.Count);
        Assert.Null(poster.AvailabilityAlert);
        Assert.Equal(0, measured.Gauge("validium.poster.availability_held"));
        Assert.Equal(0, measured.Sum("validium.poster.fallback_batches"));
        Assert.Equal(AvailabilityState.Available, dac.Availability.State);
        Assert.Equal(BatchStore.Open(chain.BatcherDir).Read(1).PublicInputs[1], await chain.StateRootAsync());
    }
}
