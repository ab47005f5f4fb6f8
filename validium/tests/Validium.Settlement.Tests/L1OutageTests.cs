using Validium.Batcher;
using Validium.Circuits.Witness;

namespace Validium.Settlement.Tests;

/// <summary>The L1 node goes away for a while (stopped with its chain kept) under a running watcher and poster.</summary>
public sealed class L1OutageTests(ChainNode node) : IClassFixture<ChainNode>
{
    [SkippableFact]
    public async Task TheWatcherAndThePosterRetryWhileTheNodeIsDownAndResumeByThemselves()
    {
        node.Require();
        await using var chain = await PostingChain.StartAsync(node);
        var round = await chain.PublishRoundAsync(1);
        DepositOp[] deposits = [await chain.DepositAsync(1, 1_000), await chain.DepositAsync(2, 2_000), await chain.DepositAsync(3, 3_000), await chain.DepositAsync(4, 4_000)];

        await using var pipeline = chain.StartPipeline();
        using var dac = chain.Committee.Client(TimeSpan.FromSeconds(20));
        await using var poster = chain.StartPoster(await chain.SenderAsync(2, "operator"), dac, pipeline.Released);
        await using var watcher = chain.StartWatcher();
        var seen = new List<L1Event>();
        using var stop = new CancellationTokenSource();
        var consumer = Task.Run(async () =>
        {
            await foreach (var e in watcher.Events.ReadAllAsync(stop.Token))
            {
                lock (seen) seen.Add(e);
                watcher.Acknowledge(e);
            }
        });
        int Seen()
        {
            lock (seen) return seen.Count;
        }

        await pipeline.OracleCommittedAsync(round);
        await pipeline.AddAsync(1, [deposits[0]], [], []);
        await pipeline.AddAsync(2, [deposits[1]], [], []);
        await Eventually.TrueAsync(() => poster.LastConfirmed == 1 && Seen() == 5, "batch 1 confirmed and round 1 with four deposits delivered");

        node.Anvil.Stop();
        try
        {
            // Batch 2 is proven while L1 is away: the poster holds it and says why; the watcher reports itself degraded.
            await pipeline.AddAsync(3, [deposits[2]], [], []);
            await pipeline.AddAsync(4, [deposits[3]], [], []);
            await Eventually.TrueAsync(() => poster.Status(2) is { Attempts: >= 2, LastError: not null }, "failed attempts at batch 2");
            await Eventually.TrueAsync(() => watcher.Status is { State: L1WatcherState.Degraded, ConsecutiveFailures: >= 2 }, "the watcher to report the node away");
            Assert.NotNull(watcher.Status.LastError);
            Assert.NotNull(watcher.Status.LastErrorAt);
            Assert.NotEqual(PostStage.Confirmed, poster.Status(2)!.Stage);
        }
        finally
        {
            node.Anvil.Restart();
        }

        await Eventually.TrueAsync(() => poster.LastConfirmed == 2, "batch 2 confirmed after the node came back");
        Assert.Equal(2UL, await chain.BatchNumberAsync());
        Assert.Equal(BatchStore.Open(chain.BatcherDir).Read(2).PublicInputs[1], await chain.StateRootAsync());
        Assert.Null(poster.Status(2)!.LastError);

        await Eventually.TrueAsync(() => watcher.Status.State == L1WatcherState.Healthy, "the watcher to recover");
        await chain.DepositAsync(5, 5_000);
        await Eventually.TrueAsync(() => Seen() == 6, "the deposit made after the outage");
        lock (seen)
        {
            Assert.Equal([0UL, 1UL, 2UL, 3UL, 4UL], seen.OfType<L1OperationEvent>().Select(e => e.Index));
            Assert.Single(seen.OfType<L1PriceEvent>());
        }
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer);
    }
}
