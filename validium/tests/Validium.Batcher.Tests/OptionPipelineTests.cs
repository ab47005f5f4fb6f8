using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Exchange;
using Validium.Proving.Groth16;

namespace Validium.Batcher.Tests;

/// <summary>An option trade and the option's expiry through the recorder and the pipeline: cut at the expiring round, persisted, proven, rebuilt on restart.</summary>
public class OptionPipelineTests
{
    private const long Usd = 1_000_000, Milli = 100_000;

    private static readonly InstrumentSpec Btc = new()
    {
        Kind = InstrumentKind.Perpetual, Underlying = 0, TickSize = Usd / 2, LotSize = Milli, QuantityDecimals = 8,
        MinQuantity = Milli, MaxQuantity = 1000 * Milli, MaxPrice = 200_000 * Usd, MaxPosition = 10_000 * Milli,
        MakerFeePpm = -100, TakerFeePpm = 500, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
        PremiumCapPpm = 5_000, FundingCapPpm = 750,
    };

    private static readonly InstrumentSpec Call = Btc with
    {
        Kind = InstrumentKind.Call, Strike = 50_000 * Usd, Expiry = 2_000_000, MaxPrice = 100_000 * Usd, InitialMarginPpm = 150_000,
        MaintenanceMarginPpm = 100_000, BandPpm = 1_000_000, PremiumCapPpm = 0, FundingCapPpm = 0,
    };

    [Fact]
    public async Task An_option_trade_and_its_expiry_are_cut_proven_and_rebuilt_after_a_restart()
    {
        long now = 1_000_000, seq = 0;
        var recorder = new ExchangeRecorder(new Engine(new EngineConfig { MaxAccounts = 8, OrderCapacity = 64 }));
        Assert.True(recorder.Execute(Command.List(now, Btc)).Accepted);
        Assert.True(recorder.Execute(Command.List(now, Call)).Accepted);
        Assert.True(recorder.Execute(Command.OracleIndex(now, 0, 50_000 * Usd)).Accepted);
        Assert.True(recorder.Execute(Command.OracleOption(now, 1, 2_000 * Usd, 500_000, 10_000)).Accepted);
        var config = new CircuitConfig
        {
            AccountDepth = 3, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Instruments = recorder.Instruments(), Shape = new BatchShape(2, 1, 0, Expiries: 2),
        };
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
