using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Exchange;
using Validium.Proving.Groth16;
using static Validium.Batcher.Tests.Fixture;

namespace Validium.Batcher.Tests;

/// <summary>An engine funding tick through the recorder and the pipeline: it starts its round's batch, is proven, and is rebuilt on restart.</summary>
public class FundingPipelineTests
{
    /// <summary>
    /// 2 buys 20 lots from 1 at 50,000; 1 then quotes 50,100 / 50,300, so the next round's sample is a 4,000 ppm
    /// premium, averaged with the listing's 0 and clamped to 750 ppm: at the 50,200 mark (50,200,000 per lot) the step
    /// is 37,650 per lot, and 2 pays 20 × 37,650 to 1. A trade after the tick goes into the same batch, after it.
    /// </summary>
    [Fact]
    public async Task A_funding_tick_starts_its_rounds_batch_is_proven_and_rebuilt_after_a_restart()
    {
        long now = 1_000_000, seq = 0;
        var recorder = new ExchangeRecorder(new Engine(new EngineConfig { MaxAccounts = 8, OrderCapacity = 64 }));
        Assert.True(recorder.Execute(Command.List(now, Btc)).Accepted);
        Assert.True(recorder.Execute(Command.OracleIndex(now, 0, 50_000 * Usd)).Accepted);
        var config = new CircuitConfig
        {
            AccountDepth = 3, PositionsDepth = 1, FillDepth = 12, FeeAccount = 0, Instruments = recorder.Instruments(),
            Shape = new BatchShape(3, 1, 0, Funding: 2), FundingPeriodSeconds = 3600, FundingCapsPpm = recorder.FundingCaps(), PremiumCapsPpm = recorder.PremiumCaps(),
        };
        var pk = Setup.Run(new BatchCircuit(config).Compile().R1cs, devSeed: 11);
        var dir = Directory.CreateTempSubdirectory("validium-batcher-funding-").FullName;
        try
        {
            BatchStore.Initialize(dir, config, pk);
            var records = new List<BatchRecord>();
            long paidBefore;
            await using (var b = BatchPipeline.Start(BatchStore.Open(dir), Fixture.Cpu, new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) }))
            {
                await b.OracleCommittedAsync(recorder.OracleRound(1, 1_000));
                foreach (var (account, usd) in new[] { (0, 1L), (1, 100_000L), (2, 10_000L) })
                {
                    Assert.True(recorder.Deposit(now, account, Fixture.KeyOf(account), usd * Usd, Fixture.Address(account)).Accepted);
                    await b.CollectAsync(recorder, ++seq);
                }
                Place(recorder, 1, Side.Sell, 50_000, 20, OrderType.Limit, ref now, seq);
                await b.CollectAsync(recorder, ++seq);
                Place(recorder, 2, Side.Buy, 50_000, 20, OrderType.Ioc, ref now, seq);
                await b.CollectAsync(recorder, ++seq);
                Place(recorder, 1, Side.Buy, 50_100, 5, OrderType.Limit, ref now, seq);
                await b.CollectAsync(recorder, ++seq);
                Place(recorder, 1, Side.Sell, 50_300, 5, OrderType.Limit, ref now, seq);
                await b.CollectAsync(recorder, ++seq);
                paidBefore = recorder.Engine.Account(2).Collateral;

                Assert.True(recorder.Execute(Command.OracleIndex(now += 3_600_000, 0, 50_000 * Usd)).Accepted);
                await b.OracleCommittedAsync(recorder.OracleRound(2, 4_600));
                Assert.True(recorder.Execute(Command.Funding(now, 0)).Accepted);
                Assert.Equal(1, recorder.PendingFundingTicks);
                await b.CollectAsync(recorder, ++seq);
                Place(recorder, 2, Side.Sell, 50_100, 1, OrderType.Ioc, ref now, seq);
                await b.CollectAsync(recorder, ++seq);
                await b.FlushAsync();
                records.AddRange(await Fixture.Released(b, 3));
            }

            // Funding, then the 1-lot sell at 50,100: 0.10 USD realised on the lot bought at 50,000, 0.02505 USD taker fee.
            Assert.Equal(-20 * 37_650 + 100_000 - 25_050, recorder.Engine.Account(2).Collateral - paidBefore);
            var last = records[^1];
            Assert.Equal(0, Assert.Single(last.Funding.Ticks).Instrument);
            Assert.Equal(2, last.Funding.Payments.Count);
            Assert.Single(last.Trades);
            Assert.Equal(BatchEncoding.FundingDataWord(0, 750, 50_200_000), last.DataWords[1]);
            Assert.Equal(recorder.OracleRound(2, 4_600).Commitment, last.PublicInputs[5]);
            Assert.All(records[..^1], r => Assert.Empty(r.Funding.Ticks));
            foreach (var r in records) Assert.True(Verifier.Verify(pk.VerifyingKey, r.Proof!, r.PublicInputs.AsSpan(), out var reason), reason);
            Assert.Equal(-20 * 37_650L, BatchStore.Open(dir).Read(last.Number).Funding.Payments.Single(p => p.Account == 2).Amount);

            // A restart rebuilds the state from the records, the funding included, and resumes after the last operation.
            await using var again = BatchPipeline.Start(BatchStore.Open(dir), Fixture.Cpu);
            Assert.Equal(last.Through, again.ResumeAfter);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Place(ExchangeRecorder recorder, int account, Side side, long usd, long lots, OrderType type, ref long now, long seq)
    {
        var order = Command.Place(now += 10, account, seq + 1, 0, side, type, usd * Usd, lots * Milli, seq + 1, 0);
        Assert.True(recorder.Place(order, OrderSigning.Sign(order, Fixture.PrivateKey(account))).Accepted);
    }
}
