using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Exchange;
using Validium.Proving.Groth16;
using static Validium.Batcher.Tests.Fixture;

namespace Validium.Batcher.Tests;

/// <summary>An engine liquidation through the recorder and the pipeline: cut after the new round, persisted, proven, rebuilt on restart.</summary>
public class LiquidationPipelineTests
{
    [Fact]
    public async Task An_oracle_commits_liquidation_is_cut_into_the_next_batch_proven_and_rebuilt_after_a_restart()
    {
        long now = 1_000_000, seq = 0;
        var recorder = new ExchangeRecorder(new Engine(new EngineConfig { MaxAccounts = 8, OrderCapacity = 64, LiquidatorAccount = 4 }));
        Assert.True(recorder.Execute(Command.List(now, Btc)).Accepted);
        Assert.True(recorder.Execute(Command.OracleIndex(now, 0, 50_000 * Usd)).Accepted);
        var config = new CircuitConfig
        {
            AccountDepth = 3, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Instruments = recorder.Instruments(),
            Shape = new BatchShape(2, 1, 0, Liquidations: 1), LiquidatorAccount = 4, InsuranceAccount = 5, LiquidationPenaltyPpm = 200_000,
        };
        var pk = Setup.Run(new BatchCircuit(config).Compile().R1cs, devSeed: 9);
        var dir = Directory.CreateTempSubdirectory("validium-batcher-liq-").FullName;
        try
        {
            BatchStore.Initialize(dir, config, pk);
            var records = new List<BatchRecord>();
            await using (var b = BatchPipeline.Start(BatchStore.Open(dir), Fixture.Cpu, new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) }))
            {
                await b.OracleCommittedAsync(recorder.OracleRound(1, 1_000));
                foreach (var (account, usd) in new[] { (0, 1L), (1, 100_000L), (2, 200L), (4, 1_000_000L), (5, 1L) })
                {
                    Assert.True(recorder.Deposit(now, account, Fixture.KeyOf(account), usd * Usd, Fixture.Address(account)).Accepted);
                    await b.CollectAsync(recorder, ++seq);
                }
                foreach (var (account, side, type) in new[] { (1, Side.Sell, OrderType.Limit), (2, Side.Buy, OrderType.Ioc) })
                {
                    var order = Command.Place(now += 10, account, 1, 0, side, type, 50_000 * Usd, 30 * Milli, seq, 0);
                    Assert.True(recorder.Place(order, OrderSigning.Sign(order, Fixture.PrivateKey(account))).Accepted);
                    await b.CollectAsync(recorder, ++seq);
                }
                // Account 2 (value 34.25 USD, maintenance 66.75) is liquidated right after the new round: its batch comes after the round's cut.
                Assert.True(recorder.Execute(Command.OracleIndex(now += 1_000, 0, 44_500 * Usd)).Accepted);
                await b.OracleCommittedAsync(recorder.OracleRound(2, 2_000));
                Assert.Equal(1, recorder.PendingLiquidations);
                await b.CollectAsync(recorder, ++seq);
                await b.FlushAsync();
                records.AddRange(await Fixture.Released(b, 4));
            }

            var last = records[^1];
            var l = Assert.Single(last.Liquidations);
            Assert.Equal((2UL, 13_350_000L, 0L), (l.Account, l.Penalty, l.Cover));
            Assert.Equal(BatchEncoding.LiquidationDataWord(2, 13_350_000, 0), last.DataWords[1]);
            Assert.Equal(recorder.OracleRound(2, 2_000).Commitment, last.PublicInputs[5]);
            Assert.Empty(records[..^1].SelectMany(r => r.Liquidations));
            foreach (var r in records) Assert.True(Verifier.Verify(pk.VerifyingKey, r.Proof!, r.PublicInputs.AsSpan(), out var reason), reason);
            Assert.Single(BatchStore.Open(dir).Read(last.Number).Liquidations);

            // A restart rebuilds the state from the records, the liquidation included, and resumes after its operation.
            await using var again = BatchPipeline.Start(BatchStore.Open(dir), Fixture.Cpu);
            Assert.Equal(last.Through, again.ResumeAfter);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
