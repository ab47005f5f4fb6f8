using System.Diagnostics.Metrics;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Batcher.Tests;

public class BatcherTests
{
    [Fact]
    public async Task CutsFullBatchesBySizeInOrderAndTheRestOnFlush()
    {
        using var f = new Fixture();
        // The stream comes from the engine through its recorder, as on the node's matching path.
        var engine = new Engine(new EngineConfig { MaxAccounts = 16 });
        var recorder = new ExchangeRecorder(engine);
        await using var b = f.Start();
        await b.OracleCommittedAsync(Fixture.Round);
        for (int i = 0; i < 5; i++)
        {
            var d = Fixture.Deposit(i);
            Assert.True(recorder.Deposit(1000 + i, (int)d.Account, d.Key, (long)d.Amount, d.Depositor).Accepted);
            await b.CollectAsync(recorder, i + 1);
        }
        var bySize = await Fixture.Released(b, 2);
        await b.FlushAsync();
        var all = bySize.Concat(await Fixture.Released(b, 1)).ToList();

        Assert.Equal([CutReason.Size, CutReason.Size, CutReason.Flush], all.Select(r => r.Reason));
        Assert.Equal([1UL, 2UL, 3UL], all.Select(r => r.Number));
        Assert.Equal(Enumerable.Range(0, 5).Select(Fixture.Deposit), all.SelectMany(r => r.Deposits));
        Assert.Equal(new StreamPosition(5, 0), all[2].Through);
        for (int i = 0; i < all.Count; i++)
        {
            Fixture.AssertVerifies(all[i]);
            Assert.Equal(all[i].PublicInputs.ToArray(), f.Store.Read(all[i].Number).PublicInputs.ToArray());
            Assert.Equal(BatchStatus.Proven, f.Store.Read(all[i].Number).Status);
            if (i > 0)
            {
                Assert.Equal(all[i - 1].PublicInputs[1], all[i].PublicInputs[0]);
                Assert.Equal(all[i - 1].PublicInputs[4], all[i].PublicInputs[3]);
            }
        }
        Assert.Equal(Fixture.Chain(Enumerable.Range(0, 5).Select(Fixture.Deposit)), all[2].PublicInputs[4]);
        Assert.Equal(0, b.Unproven);
    }

    [Fact]
    public async Task CutsAPartialBatchWhenItsOldestOperationHasWaitedMaxBatchAge()
    {
        using var f = new Fixture();
        await using var b = f.Start(new BatcherOptions { MaxBatchAge = TimeSpan.FromMilliseconds(300) });
        await b.OracleCommittedAsync(Fixture.Round);
        await Fixture.AddDeposits(b, 0, 1);
        var r = Assert.Single(await Fixture.Released(b, 1));
        Assert.Equal(CutReason.Time, r.Reason);
        Assert.Single(r.Deposits);
        Fixture.AssertVerifies(r);
    }

    [Fact]
    public async Task ANewOracleRoundCutsWhatCameBeforeIt()
    {
        using var f = new Fixture();
        await using var b = f.Start();
        await b.OracleCommittedAsync(Fixture.Round);
        await Fixture.AddDeposits(b, 0, 1);
        var next = new OracleRound(2, Fixture.Round.Timestamp + 60, [51_000]);
        await b.OracleCommittedAsync(next);
        await Fixture.AddDeposits(b, 1, 1);
        await b.FlushAsync();
        var rs = await Fixture.Released(b, 2);
        Assert.Equal([CutReason.Oracle, CutReason.Flush], rs.Select(r => r.Reason));
        Assert.Equal(Fixture.Round.Commitment, rs[0].PublicInputs[5]);
        Assert.Equal(next.Commitment, rs[1].PublicInputs[5]);
    }

    [Fact]
    public async Task AFullProverQueueMakesCuttingWaitAndTheMetricsShowIt()
    {
        using var f = new Fixture();
        long waitsSeen = 0;
        int maxDepth = 0;
        await using var b = f.Start(new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1), QueueCapacity = 1 });
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter == b.Metrics.Meter) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) =>
        {
            if (i.Name == "validium.batcher.backpressure.waits") Interlocked.Add(ref waitsSeen, v);
        });
        listener.SetMeasurementEventCallback<int>((i, v, _, _) =>
        {
            if (i.Name == "validium.batcher.queue.depth") InterlockedMax(ref maxDepth, v);
        });
        listener.Start();

        await b.OracleCommittedAsync(Fixture.Round);
        // Ten deposits are five full batches, cut in milliseconds; each proof takes far longer, so with room for one
        // batch in the queue the third cut finds it full and waits.
        await Fixture.AddDeposits(b, 0, 10);
        var released = new List<BatchRecord>();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (released.Count < 5)
        {
            listener.RecordObservableInstruments();
            if (b.Released.TryRead(out var r)) released.Add(r);
            else await Task.Delay(10, cts.Token);
        }

        Assert.Equal([1UL, 2UL, 3UL, 4UL, 5UL], released.Select(r => r.Number));
        Assert.True(b.BackPressureWaits >= 1, "no cut waited for the prover");
        Assert.Equal(b.BackPressureWaits, Interlocked.Read(ref waitsSeen));
        Assert.Equal(1, maxDepth);
        Assert.All(released, Fixture.AssertVerifies);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Fact]
    public async Task RefusesOperationsBeforeAnOracleRoundAndKindsWithoutSlots()
    {
        using var f = new Fixture();
        await using var b = f.Start();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Fixture.AddDeposits(b, 0, 1));
        await b.OracleCommittedAsync(Fixture.Round);
        var w = new WithdrawalOp(1, 1, 1, 1, default);
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await b.AddAsync(7, [], [], [w]));
        Assert.Contains("no slots", e.Message);
        await Fixture.AddDeposits(b, 0, 1);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await b.AddAsync(1, [Fixture.Deposit(1)], [], []));
    }
}
