using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Exchange;
using Validium.Proving.Groth16;
using static Validium.Batcher.Tests.Fixture;

namespace Validium.Batcher.Tests;

/// <summary>An option trade and the option's expiry through the recorder and the pipeline: cut at the expiring round, persisted, proven, rebuilt on restart.</summary>
public class OptionPipelineTests
{
    private static readonly InstrumentSpec Call = Btc with
    {
        Kind = InstrumentKind.Call, Strike = 50_000 * Usd, Expiry = 2_000_000, MaxPrice = 100_000 * Usd, InitialMarginPpm = 150_000,
        MaintenanceMarginPpm = 100_000, BandPpm = 1_000_000, PremiumCapPpm = 0, FundingCapPpm = 0,
    };

    /// <summary>A recorder listing the perpetual and the call, indexed at 50,000 and the call marked at 2,000.</summary>
    private static ExchangeRecorder Listed(long now)
    {
        var recorder = new ExchangeRecorder(new Engine(new EngineConfig { MaxAccounts = 8, OrderCapacity = 64 }));
        Assert.True(recorder.Execute(Command.List(now, Btc)).Accepted);
        Assert.True(recorder.Execute(Command.List(now, Call)).Accepted);
        Assert.True(recorder.Execute(Command.OracleIndex(now, 0, 50_000 * Usd)).Accepted);
        Assert.True(recorder.Execute(Command.OracleOption(now, 1, 2_000 * Usd, 500_000, 10_000)).Accepted);
        return recorder;
    }

    private static CircuitConfig ConfigFor(ExchangeRecorder recorder, BatchShape shape, int fillDepth = 4) => new()
    {
        AccountDepth = 3, PositionsDepth = 1, FillDepth = fillDepth, FeeAccount = 0, Instruments = recorder.Instruments(), Shape = shape,
    };

    /// <summary>
    /// Three holders and one expiry slot: the expiring commit's three settlements are cut, in the engine's order, into
    /// three batches of that round, each proven; a batch of the next round follows them.
    /// </summary>
    [Fact]
    public async Task A_rounds_expiries_beyond_the_expiry_slots_are_cut_into_several_batches_of_that_round()
    {
        long now = 1_000_000, seq = 0;
        var recorder = Listed(now);
        // Three orders: a deeper fill tree than the two-order test's, so that their slots (low hash bits) stay apart.
        var config = ConfigFor(recorder, new BatchShape(4, 2, 0, Expiries: 1), fillDepth: 8);
        var pk = Setup.Run(new BatchCircuit(config).Compile().R1cs, devSeed: 12);
        var dir = Directory.CreateTempSubdirectory("validium-batcher-opt3-").FullName;
        try
        {
            BatchStore.Initialize(dir, config, pk);
            await using var b = BatchPipeline.Start(BatchStore.Open(dir), Fixture.Cpu, new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) });
            await b.OracleCommittedAsync(recorder.OracleRound(1, 1_000));
            foreach (var (account, usd) in new[] { (0, 1L), (1, 100_000L), (2, 100_000L), (3, 100_000L) })
            {
                Assert.True(recorder.Deposit(now, account, Fixture.KeyOf(account), usd * Usd, Fixture.Address(account)).Accepted);
                await b.CollectAsync(recorder, ++seq);
            }
            foreach (var (account, side, type, lots) in new[] { (1, Side.Sell, OrderType.Limit, 30), (2, Side.Buy, OrderType.Ioc, 20), (3, Side.Buy, OrderType.Ioc, 10) })
            {
                var order = Command.Place(now += 10, account, 1, 1, side, type, 2_000 * Usd, lots * Milli, seq, 0);
                Assert.True(recorder.Place(order, OrderSigning.Sign(order, Fixture.PrivateKey(account))).Accepted);
                await b.CollectAsync(recorder, ++seq);
            }
            Assert.True(recorder.Execute(Command.OracleIndex(now = 2_000_000, 0, 53_000 * Usd)).Accepted);
            var expiring = recorder.OracleRound(2, 2_000);
            await b.OracleCommittedAsync(expiring);
            Assert.Equal(3, recorder.PendingExpiries);
            await b.CollectAsync(recorder, ++seq);
            Assert.True(recorder.Execute(Command.OracleIndex(now = 2_001_000, 0, 53_000 * Usd)).Accepted);
            var next = recorder.OracleRound(3, 2_001);
            await b.OracleCommittedAsync(next);
            Assert.True(recorder.Deposit(now, 0, Fixture.KeyOf(0), Usd, Fixture.Address(0)).Accepted);
            await b.CollectAsync(recorder, ++seq);
            await b.FlushAsync();
            var records = await Fixture.Released(b, 6);

            // 3 USD intrinsic per lot: the writer pays 90, the buyers get 60 and 30.
            Assert.Empty(records[..2].SelectMany(r => r.Expiries));
            Assert.All(records[2..5], r => Assert.Single(r.Expiries));
            Assert.All(records[2..5], r => Assert.Equal(expiring.Commitment, r.PublicInputs[5]));
            Assert.Equal([(1UL, -90 * Usd), (2UL, 60 * Usd), (3UL, 30 * Usd)], records[2..5].Select(r => (r.Expiries[0].Account, r.Expiries[0].Payout)).OrderBy(x => x.Account));
            Assert.Equal(next.Commitment, records[5].PublicInputs[5]);
            Assert.Single(records[5].Deposits);
            foreach (var r in records) Assert.True(Verifier.Verify(pk.VerifyingKey, r.Proof!, r.PublicInputs.AsSpan(), out var reason), reason);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task An_option_trade_and_its_expiry_are_cut_proven_and_rebuilt_after_a_restart()
    {
        long now = 1_000_000, seq = 0;
        var recorder = Listed(now);
        var config = ConfigFor(recorder, new BatchShape(2, 1, 0, Expiries: 2));
        var pk = Setup.Run(new BatchCircuit(config).Compile().R1cs, devSeed: 11);
        var dir = Directory.CreateTempSubdirectory("validium-batcher-opt-").FullName;
        try
        {
            BatchStore.Initialize(dir, config, pk);
            var records = new List<BatchRecord>();
            await using (var b = BatchPipeline.Start(BatchStore.Open(dir), Fixture.Cpu, new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) }))
            {
                await b.OracleCommittedAsync(recorder.OracleRound(1, 1_000));
                foreach (var (account, usd) in new[] { (0, 1L), (1, 100_000L), (2, 100_000L) })
                {
                    Assert.True(recorder.Deposit(now, account, Fixture.KeyOf(account), usd * Usd, Fixture.Address(account)).Accepted);
                    await b.CollectAsync(recorder, ++seq);
                }
                foreach (var (account, side, type) in new[] { (1, Side.Sell, OrderType.Limit), (2, Side.Buy, OrderType.Ioc) })
                {
                    var order = Command.Place(now += 10, account, 1, 1, side, type, 2_000 * Usd, 30 * Milli, seq, 0);
                    Assert.True(recorder.Place(order, OrderSigning.Sign(order, Fixture.PrivateKey(account))).Accepted);
                    await b.CollectAsync(recorder, ++seq);
                }
                // The index commit at the call's expiry settles both holders at 3,000 intrinsic: their batch comes after the round's cut.
                Assert.True(recorder.Execute(Command.OracleIndex(now = 2_000_000, 0, 53_000 * Usd)).Accepted);
                await b.OracleCommittedAsync(recorder.OracleRound(2, 2_000));
                Assert.Equal(2, recorder.PendingExpiries);
                await b.CollectAsync(recorder, ++seq);
                await b.FlushAsync();
                records.AddRange(await Fixture.Released(b, 3));
            }

            var last = records[^1];
            // 30 lots (0.03 BTC) × 3 USD intrinsic per lot: the long is paid 90, the short pays 90.
            Assert.Equal([(1UL, -90 * Usd), (2UL, 90 * Usd)], last.Expiries.Select(x => (x.Account, x.Payout)).OrderBy(x => x.Account));
            Assert.Equal(recorder.OracleRound(2, 2_000).Commitment, last.PublicInputs[5]);
            Assert.Empty(records[..^1].SelectMany(r => r.Expiries));
            Assert.Single(records[1].Trades);
            foreach (var r in records) Assert.True(Verifier.Verify(pk.VerifyingKey, r.Proof!, r.PublicInputs.AsSpan(), out var reason), reason);
            Assert.Equal(2, BatchStore.Open(dir).Read(last.Number).Expiries.Length);

            // A restart rebuilds the state from the records, the expiries included, and resumes after their command.
            await using var again = BatchPipeline.Start(BatchStore.Open(dir), Fixture.Cpu);
            Assert.Equal(last.Through, again.ResumeAfter);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
