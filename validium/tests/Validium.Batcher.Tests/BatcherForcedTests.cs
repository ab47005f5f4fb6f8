using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Proving.Groth16;

namespace Validium.Batcher.Tests;

/// <summary>Forced requests in the pipeline: they end their batch, and a decision the state does not share stops it.</summary>
public class BatcherForcedTests
{
    private static readonly CircuitConfig Config = Fixture.Config with { Shape = new BatchShape(2, 0, 0, Forced: 2) };

    private static readonly Lazy<ProvingKey> key = new(() => Setup.Run(new BatchCircuit(Config).Compile().R1cs, devSeed: 7));

    private static BatchPipeline Start(string dir) =>
        BatchPipeline.Start(BatchStore.Initialize(dir, Config, key.Value), Fixture.Cpu, new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) });

    private static ForcedOutcome Withdrawal(int account, ulong amount, bool executed) =>
        new(ForcedOp.Withdrawal((ulong)account, Fixture.KeyOf(account), amount, Fixture.Address(account)), executed);

    [Fact]
    public async Task ADepositAfterAForcedRequestStartsTheNextBatchAndTheDecisionsAreTheStates()
    {
        var dir = Directory.CreateTempSubdirectory("validium-batcher-forced-").FullName;
        try
        {
            await using var b = Start(dir);
            await b.OracleCommittedAsync(Fixture.Round);
            await b.AddAsync(1, [Fixture.Deposit(0)], [], []);
            await b.AddAsync(2, [], [], [], [Withdrawal(1, 400, executed: true)]);
            await b.AddAsync(3, [Fixture.Deposit(1)], [], []);
            await b.FlushAsync();
            var store = BatchStore.Open(dir);
            var first = store.Read(1);
            Assert.Equal((1, 1, CutReason.Size), (first.Deposits.Length, first.Forced.Length, first.Reason));
            Assert.Equal([(Fixture.Address(1), 400UL)], first.Payouts(Config));
            Assert.Equal((1, 0), (store.Read(2).Deposits.Length, store.Read(2).Forced.Length));

            // Account 1 holds 1000: the state refuses 5000 where this "engine" says it executed.
            await b.AddAsync(4, [], [], [], [Withdrawal(1, 5_000, executed: true)]);
            var e = await Assert.ThrowsAnyAsync<Exception>(() => b.FlushAsync());
            Assert.Contains("the state refuses it, the engine executed it", e.ToString());
            Assert.Equal(2, store.List().Count());
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is not a test failure.
            }
        }
    }
}
