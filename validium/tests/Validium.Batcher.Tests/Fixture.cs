using System.Numerics;
using Validium.Accel;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Groth16;

namespace Validium.Batcher.Tests;

/// <summary>
/// A deliberately small circuit (depth-4 account tree, two deposit slots, nothing else) so each proof takes about a
/// second, its development keys made once per test run, and a temporary data directory per test.
/// </summary>
internal sealed class Fixture : IDisposable
{
    public const long Usd = 1_000_000, Milli = 100_000;

    /// <summary>The BTC perpetual the recorder-driven pipeline tests list (a circuit's table entry comes from it).</summary>
    public static readonly InstrumentSpec Btc = new()
    {
        Kind = InstrumentKind.Perpetual, Underlying = 0, TickSize = Usd / 2, LotSize = Milli, QuantityDecimals = 8,
        MinQuantity = Milli, MaxQuantity = 1000 * Milli, MaxPrice = 200_000 * Usd, MaxPosition = 10_000 * Milli,
        MakerFeePpm = -100, TakerFeePpm = 500, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
        PremiumCapPpm = 5_000, FundingCapPpm = 750,
    };

    public static readonly AccelDispatcher Cpu = new(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });

    public static readonly CircuitConfig Config = new()
    {
        AccountDepth = 4, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Shape = new BatchShape(2, 0, 0),
        Instruments = [new InstrumentParams(1, 1, 1, 0, 0, 100_000, 50_000)],
    };

    private static readonly Lazy<ProvingKey> key = new(() => Setup.Run(new BatchCircuit(Config).Compile().R1cs, devSeed: 7));

    public static ProvingKey Key => key.Value;

    public static readonly OracleRound Round = new(1, 1_700_000_000, [50_000]);

    public Fixture() => Store = BatchStore.Initialize(Dir, Config, Key);

    public string Dir { get; } = Directory.CreateTempSubdirectory("validium-batcher-").FullName;

    public BatchStore Store { get; }

    public BatchPipeline Start(BatcherOptions? options = null) => BatchPipeline.Start(BatchStore.Open(Dir), Cpu, options ?? new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) });

    public static byte[] PrivateKey(int account)
    {
        var k = new byte[32];
        k[0] = (byte)account;
        k[31] = 0x5a;
        return k;
    }

    public static BabyJubjubPoint KeyOf(int account) => EdDsaPoseidon.PrivateToPublic(PrivateKey(account));

    public static BigInteger Address(int account) => (BigInteger.One << 158) + account;

    /// <summary>The i-th deposit of a test: accounts 1..14 in turn (15 holds the fill root), amount 1000 + i.</summary>
    public static DepositOp Deposit(int i)
    {
        int account = 1 + i % 14;
        return new DepositOp((ulong)account, KeyOf(account), (ulong)(1000 + i), Address(account));
    }

    /// <summary>The contract's L1-operations chain over deposits (SPEC.md: Poseidon(head, word, ax, ay, amount)), computed here from the spec's formula.</summary>
    public static Fr Chain(IEnumerable<DepositOp> deposits)
    {
        var head = Fr.Zero;
        foreach (var d in deposits)
        {
            var word = Fr.FromBigInteger(1 + (d.Depositor << 72));
            head = Poseidon.Hash([head, word, d.Key.X, d.Key.Y, d.Amount]);
        }
        return head;
    }

    /// <summary>One deposit per sequenced command, from <paramref name="first"/>.</summary>
    public static async Task AddDeposits(BatchPipeline b, int first, int count)
    {
        for (int i = first; i < first + count; i++) await b.AddAsync(i + 1, [Deposit(i)], [], []);
    }

    public static async Task<List<BatchRecord>> Released(BatchPipeline b, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        var list = new List<BatchRecord>();
        while (list.Count < count) list.Add(await b.Released.ReadAsync(cts.Token));
        return list;
    }

    public static void AssertVerifies(BatchRecord r)
    {
        Assert.Equal(BatchStatus.Proven, r.Status);
        Assert.True(Verifier.Verify(Key.VerifyingKey, r.Proof!, r.PublicInputs.AsSpan(), out var reason), reason);
    }

    public void Dispose()
    {
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
