using Validium.Proving.Groth16;

namespace Validium.Batcher.Tests;

public class RecoveryTests
{
    [Fact]
    public async Task ABatcherStoppedMidProofLeavesTheBatchCutAndTheNextStartProvesItWithoutRecutting()
    {
        using var f = new Fixture();
        BatchRecord cut;
        await using (var b = f.Start())
        {
            await b.OracleCommittedAsync(Fixture.Round);
            await Fixture.AddDeposits(b, 0, 2);
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (b.CurrentStage is null or ProveStage.Done) await Task.Delay(1, cts.Token);
        }
        cut = f.Store.Read(1);
        Assert.Equal(BatchStatus.Cut, cut.Status);
        Assert.Null(cut.Proof);

        await using (var b = f.Start())
        {
            Assert.Equal(new StreamPosition(2, 0), b.ResumeAfter);
            // The sequencer replays its journal from before the crash: what the batch holds is dropped, the rest kept.
            await b.OracleCommittedAsync(Fixture.Round);
            await Fixture.AddDeposits(b, 0, 3);
            var first = Assert.Single(await Fixture.Released(b, 1));
            Assert.Equal(1UL, first.Number);
            Assert.Equal(cut.PublicInputs.ToArray(), first.PublicInputs.ToArray());
            Assert.Equal(cut.Deposits.ToArray(), first.Deposits.ToArray());
            Fixture.AssertVerifies(first);
            await b.FlushAsync();
            var second = Assert.Single(await Fixture.Released(b, 1));
            Assert.Equal([Fixture.Deposit(2)], second.Deposits.ToArray());
            Assert.Equal(first.PublicInputs[1], second.PublicInputs[0]);
        }
        Assert.Equal([1UL, 2UL], f.Store.List());
    }

    [Fact]
    public async Task AProofThatFailsSelfVerificationIsNotReleasedAndARestoredKeyProvesTheBatch()
    {
        using var f = new Fixture();
        // A damaged proving key: valid points in the wrong places, so it loads and proves, but the proofs are wrong.
        var good = Fixture.Key;
        f.Store.ReplaceProvingKey(good with { H = [.. good.H.Reverse()] });
        BatchRecord cut;
        await using (var b = f.Start(new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1), ProveAttempts = 2 }))
        {
            long rejected = 0;
            using var listener = Listen(b, "validium.batcher.proofs", "rejected", v => Interlocked.Add(ref rejected, v));
            await b.OracleCommittedAsync(Fixture.Round);
            await Fixture.AddDeposits(b, 0, 2);
            var e = await Assert.ThrowsAsync<BatchProofException>(() => b.Completion.WaitAsync(TimeSpan.FromMinutes(3)));
            Assert.True(e.FailedVerification);
            Assert.Contains("self-verification", e.Message);
            var closed = await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () => await b.Released.ReadAsync());
            Assert.IsType<BatchProofException>(closed.InnerException);
            Assert.Equal(2, Interlocked.Read(ref rejected));
            await Assert.ThrowsAsync<InvalidOperationException>(() => Fixture.AddDeposits(b, 2, 1));
        }
        cut = f.Store.Read(1);
        Assert.Equal(BatchStatus.Cut, cut.Status);

        f.Store.ReplaceProvingKey(good);
        await using (var b = f.Start())
        {
            var r = Assert.Single(await Fixture.Released(b, 1));
            Assert.Equal(cut.PublicInputs.ToArray(), r.PublicInputs.ToArray());
            Fixture.AssertVerifies(r);
        }
    }

    [Fact]
    public async Task ATamperedWitnessInputIsRefusedBeforeAnyProofIsReleased()
    {
        using var f = new Fixture();
        await using (var b = f.Start())
        {
            await b.OracleCommittedAsync(Fixture.Round);
            await Fixture.AddDeposits(b, 0, 2);
            await b.FlushAsync();
        }
        // Rewritten with a valid checksum: what a bug or an intruder would leave, not a torn file.
        var record = f.Store.Read(1);
        var inputs = new Dictionary<string, Crypto.Fr>(record.Inputs) { ["deposit[0].amount"] = 999_999 };
        f.Store.Write(record with { Status = BatchStatus.Cut, Proof = null, Inputs = inputs });

        await using (var b = f.Start())
        {
            var e = await Assert.ThrowsAsync<BatchProofException>(() => b.Completion.WaitAsync(TimeSpan.FromMinutes(3)));
            Assert.False(e.FailedVerification);
            Assert.Contains("do not satisfy the circuit", e.Message);
            var closed = await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () => await b.Released.ReadAsync());
            Assert.IsType<BatchProofException>(closed.InnerException);
        }
        Assert.Equal(BatchStatus.Cut, f.Store.Read(1).Status);
    }

    private static IDisposable Listen(BatchPipeline b, string name, string result, Action<long> add)
    {
        var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter == b.Metrics.Meter && i.Name == name) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((_, v, tags, _) =>
        {
            foreach (var t in tags)
                if (t.Key == "result" && (string?)t.Value == result) add(v);
        });
        listener.Start();
        return listener;
    }
}
