using System.Numerics;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Node.Exchange;
using Validium.Proving.Groth16;

namespace Validium.Node.Tests;

/// <summary>
/// A node's exchange and batcher on a temporary directory, over a small circuit (depth-4 accounts, one BTC
/// perpetual, four deposit slots, one trade slot, one withdrawal slot) whose development keys are made once per run.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    public const long Usd = 1_000_000;
    public static readonly AccelDispatcher Cpu = new(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });
    public static readonly InstrumentSpec Btc = DemoExchange.BtcPerp;

    public static readonly CircuitConfig Config = new()
    {
        AccountDepth = 4, PositionsDepth = 1, FillDepth = 8, FeeAccount = 0, Shape = new BatchShape(4, 1, 1),
        Instruments = [InstrumentParams.FromSpec(Btc)],
    };

    /// <summary>The same circuit with two forced-request slots, for the tests of L1 forced requests.</summary>
    public static readonly CircuitConfig ForcedConfig = Config with { Shape = new BatchShape(4, 1, 1, Forced: 2) };

    /// <summary>The same circuit with two funding settlement slots and a two-minute funding period (two rounds of <see cref="Round"/>).</summary>
    public static readonly CircuitConfig FundingConfig = Config with { Shape = new BatchShape(4, 1, 1, Funding: 2), FundingPeriodSeconds = 120, FundingCapsPpm = [Btc.FundingCapPpm],
        PremiumCapsPpm = [Btc.PremiumCapPpm] };

    private static readonly Lazy<ProvingKey> key = new(() => Setup.Run(new BatchCircuit(Config).Compile().R1cs, devSeed: 9));
    private static readonly Lazy<ProvingKey> fundingKey = new(() => Setup.Run(new BatchCircuit(FundingConfig).Compile().R1cs, devSeed: 9));
    private static readonly Lazy<ProvingKey> forcedKey = new(() => Setup.Run(new BatchCircuit(ForcedConfig).Compile().R1cs, devSeed: 9));

    /// <summary>The BTC price per lot in collateral micro-units, as a PriceOracle round carries it: ticks × cash per tick-lot.</summary>
    public static ulong PerLot(long usd) => (ulong)(usd * Usd / Btc.TickSize * Btc.CashPerTickLot);

    public static OracleRound Round(ulong round, long usd) => new(round, 1_700_000_000 + round * 60, [PerLot(usd)]);

    public static byte[] PrivateKey(int who) => DemoExchange.PrivateKey(who);

    public static BabyJubjubPoint PublicKey(int who) => EdDsaPoseidon.PrivateToPublic(PrivateKey(who));

    public static BigInteger Address(int who) => (BigInteger.One << 159) + who;

    private Harness(string dir) => Dir = dir;

    public string Dir { get; }
    public string SequencerDir => Path.Combine(Dir, "sequencer");
    public string BatchDir => Path.Combine(Dir, "batches");
    public BatchStore Store { get; private set; } = null!;
    public BatchPipeline Pipeline { get; private set; } = null!;
    public ExchangeService Exchange { get; private set; } = null!;

    public static async Task<Harness> StartAsync(string? dir = null, int subscriberCapacity = 1024, bool forcedSlots = false, bool fundingSlots = false)
    {
        var h = new Harness(dir ?? Directory.CreateTempSubdirectory("validium-node-").FullName);
        if (!Directory.Exists(h.BatchDir))
        {
            var (config, pk) = forcedSlots ? (ForcedConfig, forcedKey.Value) : fundingSlots ? (FundingConfig, fundingKey.Value) : (Config, key.Value);
            BatchStore.Initialize(h.BatchDir, config, pk);
        }
        await h.RestartAsync(subscriberCapacity);
        return h;
    }

    public async Task RestartAsync(int subscriberCapacity = 1024)
    {
        await StopAsync();
        Store = BatchStore.Open(BatchDir);
        Pipeline = BatchPipeline.Start(Store, Cpu, new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) });
        Exchange = await ExchangeService.StartAsync(new ExchangeServiceOptions
        {
            Directory = SequencerDir, Engine = new EngineConfig { MaxAccounts = 15, OrderCapacity = 64 }, OperatorKey = PublicKey(0),
            SubscriberCapacity = subscriberCapacity,
        }, Pipeline);
    }

    public async Task StopAsync()
    {
        if (Exchange is not null) await Exchange.DisposeAsync();
        if (Pipeline is not null) await Pipeline.DisposeAsync();
        Exchange = null!;
        Pipeline = null!;
    }

    /// <summary>Lists BTC, commits round 1 at 50,000 and funds the operator (account 0) and traders 1 and 2 from L1.</summary>
    public async Task OpenAsync()
    {
        Accepted(await Exchange.ListInstrumentAsync(Btc));
        Accepted(await Exchange.OracleRoundAsync(Round(1, 50_000)));
        Assert.Equal(0, Accepted(await Exchange.DepositAsync(new L1Deposit(0, PublicKey(0), 1 * Usd, Address(0)))).Account);
        Assert.Equal(1, Accepted(await Exchange.DepositAsync(new L1Deposit(1, PublicKey(1), 100_000 * Usd, Address(1)))).Account);
        Assert.Equal(2, Accepted(await Exchange.DepositAsync(new L1Deposit(2, PublicKey(2), 100_000 * Usd, Address(2)))).Account);
    }

    public static Command Order(int account, long nonce, Side side, long usd, long lots, OrderType type = OrderType.Limit) =>
        Command.Place(0, account, nonce, 0, side, type, usd * Usd, lots * Btc.LotSize, nonce);

    public Task<Ack> PlaceSignedAsync(int account, long nonce, Side side, long usd, long lots, OrderType type = OrderType.Limit)
    {
        var c = Order(account, nonce, side, usd, lots, type);
        return Exchange.PlaceAsync(c, OrderSigning.Sign(c, PrivateKey(account)));
    }

    public static WithdrawalRequest Withdrawal(int account, ulong nonce, long usd, int signer)
    {
        ulong amount = (ulong)(usd * Usd);
        var message = BatchEncoding.WithdrawalMessage((ulong)account, nonce, amount, Address(account));
        return new WithdrawalRequest(account, nonce, amount, Address(account), EdDsaPoseidon.Sign(PrivateKey(signer), message));
    }

    public static Ack Accepted(Ack ack)
    {
        Assert.True(ack.Accepted, $"{ack.Code}: {ack.Message}");
        Assert.True(ack.Sequence > 0);
        return ack;
    }

    public async Task<List<BatchRecord>> ReleasedAsync(int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var list = new List<BatchRecord>();
        while (list.Count < count) list.Add(await Pipeline.Released.ReadAsync(cts.Token));
        return list;
    }

    public static void AssertVerifies(BatchRecord r, bool fundingSlots = false)
    {
        Assert.Equal(BatchStatus.Proven, r.Status);
        Assert.True(Verifier.Verify((fundingSlots ? fundingKey : key).Value.VerifyingKey, r.Proof!, r.PublicInputs.AsSpan(), out var reason), reason);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }
}
