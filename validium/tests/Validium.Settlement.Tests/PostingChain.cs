using System.Numerics;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.Exchange;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.L1.Transactions;
using Validium.Proving.Groth16;
using Validium.Proving.Solidity;

namespace Validium.Settlement.Tests;

/// <summary>
/// Made once per test run: the Batcher tests' small circuit (depth-4 accounts, two deposit slots, about a second a
/// proof) with development keys, and the contract set compiled with that key's verifier.
/// </summary>
internal static class TinyCircuit
{
    public static readonly CircuitConfig Config = new()
    {
        AccountDepth = 4, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Shape = new BatchShape(2, 0, 0),
        Instruments = [new InstrumentParams(1, 1, 1, 0, 0, 100_000, 50_000)],
    };

    public static readonly AccelDispatcher Cpu = new(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });

    private static readonly Lazy<ProvingKey> key = new(() => Setup.Run(new BatchCircuit(Config).Compile().R1cs, devSeed: 5));

    private static readonly Lazy<Dictionary<string, ContractArtifact>> artifacts =
        new(() => ContractArtifacts.Compile(ContractArtifacts.FindRepo(null), VerifierEmitter.Emit(key.Value.VerifyingKey)));

    public static ProvingKey Key => key.Value;

    public static IReadOnlyDictionary<string, ContractArtifact> Artifacts => artifacts.Value;
}

/// <summary>
/// One anvil node per test class, its chain kept in a state file so a test can stop and restart it, with a block mined
/// every 200 ms besides automining, so confirmations come without other traffic (<see cref="Mining"/> pauses that).
/// </summary>
public sealed class ChainNode : IAsyncLifetime
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("chain-node-");
    private readonly CancellationTokenSource stop = new();
    private Task? miner;

    public AnvilProcess Anvil { get; private set; } = null!;
    public string? SkipReason { get; private set; }
    public volatile bool Mining = true;

    public Task InitializeAsync()
    {
        try
        {
            Anvil = AnvilProcess.StartPersistent(Path.Combine(dir.FullName, "anvil-state.json"));
        }
        catch (SkipException e)
        {
            SkipReason = e.Message;
            return Task.CompletedTask;
        }
        miner = Task.Run(MineAsync);
        return Task.CompletedTask;
    }

    private async Task MineAsync()
    {
        using var rpc = new JsonRpcClient(Anvil.Url, new JsonRpcClientOptions { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(2) });
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (Mining) await rpc.CallAsync("evm_mine", stop.Token);
                await Task.Delay(200, stop.Token);
            }
            catch (RpcTransportException)
            {
                // The node is down on purpose (a test took it away); mining resumes when it is back.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Require() => Skip.If(SkipReason is not null, SkipReason);

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        if (miner is not null) await miner;
        Anvil?.Dispose();
        dir.Delete(true);
    }
}

/// <summary>
/// A fresh contract set per test on the class's <see cref="ChainNode"/>, a 2-of-3 in-process committee for it, a
/// batcher data directory for <see cref="TinyCircuit"/>, and the helpers to make L1 deposits and oracle rounds that
/// the batcher's operations match.
/// </summary>
internal sealed class PostingChain : IAsyncDisposable
{
    private PostingChain(ChainNode node) => Node = node;

    public ChainNode Node { get; }
    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("posting-");
    public JsonRpcClient Rpc { get; private set; } = null!;
    public EthClient Eth { get; private set; } = null!;
    public DeployedSystem System { get; private set; } = null!;
    public Contract Validium { get; private set; } = null!;
    public Contract Oracle { get; private set; } = null!;
    public TransactionSender User { get; private set; } = null!;
    public LocalCommittee Committee { get; private set; } = null!;
    public Secp256k1PrivateKey[] Reporters { get; } = Ascending(3);
    public string BatcherDir => Path.Combine(Dir.FullName, "batcher");
    public string PosterDir => Path.Combine(Dir.FullName, "poster");

    public static async Task<PostingChain> StartAsync(ChainNode node)
    {
        var c = new PostingChain(node);
        // Few, short tries: the tests take the node away and want the failure reported, not waited out.
        c.Rpc = new JsonRpcClient(node.Anvil.Url, new JsonRpcClientOptions
        {
            MaxAttempts = 2, AttemptTimeout = TimeSpan.FromSeconds(5), InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(100),
        });
        c.Eth = new EthClient(c.Rpc);
        var deployer = await c.SenderAsync(0, "deployer");
        c.User = await c.SenderAsync(1, "user");
        var members = Ascending(3);
        var artifacts = TinyCircuit.Artifacts;
        c.System = await SystemDeployment.DeployAsync(deployer, artifacts, new DeploymentRequest(null, [.. members.Select(k => k.Address)], 2,
            [.. c.Reporters.Select(k => k.Address)], 2, TinyCircuit.Config.InstrumentCount, TinyCircuit.Config.AccountDepth, TinyCircuit.Config.PositionsDepth,
            3600, 7200, deployer.Address));
        c.Validium = new Contract(c.Eth, artifacts["Validium"].Abi, c.System.Validium);
        c.Oracle = new Contract(c.Eth, artifacts["PriceOracle"].Abi, c.System.Oracle);
        var token = new Contract(c.Eth, artifacts["TestToken"].Abi, c.System.Token);
        await token.SendAsync(c.User, "mint", [c.User.Address, (BigInteger)1_000_000_000]);
        await token.SendAsync(c.User, "approve", [c.System.Validium, (BigInteger)1_000_000_000]);
        c.Committee = await LocalCommittee.StartAsync(members, 2, new DacDomain(AnvilProcess.ChainId, c.System.Validium));
        BatchStore.Initialize(c.BatcherDir, TinyCircuit.Config, TinyCircuit.Key);
        return c;
    }

    /// <summary>A sender from anvil's development key <paramref name="devKey"/> with its nonce state under <paramref name="name"/> in this test's directory.</summary>
    public async Task<TransactionSender> SenderAsync(int devKey, string name)
    {
        var key = Secp256k1PrivateKey.FromHex(AnvilProcess.DevKeys[devKey]);
        var nonces = await NonceManager.OpenAsync(Path.Combine(Dir.FullName, $"nonces-{name}.json"), Eth, key.Address);
        return new TransactionSender(Eth, key, nonces, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(50), PriorityFeePerGas = 1_000_000_000 });
    }

    public BatchPipeline StartPipeline() =>
        BatchPipeline.Start(BatchStore.Open(BatcherDir), TinyCircuit.Cpu, new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) });

    public static BabyJubjubPoint L2Key(int account) => EdDsaPoseidon.PrivateToPublic(L2Private(account));

    public static byte[] L2Private(int account) => DemoExchange.PrivateKey(account);

    public static BigInteger AddressValue(EthereumAddress a) => new(a.ToBytes(), isUnsigned: true, isBigEndian: true);

    /// <summary>A deposit made on L1 by the user, and the operation the batcher gets for it (crediting <paramref name="account"/>).</summary>
    public async Task<DepositOp> DepositAsync(int account, ulong amount, TransactionSender? from = null)
    {
        from ??= User;
        var key = L2Key(account);
        await Validium.SendAsync(from, "deposit", [(BigInteger)amount, key.X.ToBigInteger(), key.Y.ToBigInteger()]);
        return new DepositOp((ulong)account, key, amount, AddressValue(from.Address));
    }

    /// <summary>A forced withdrawal queued on L1, signed by the account's key as the contract checks.</summary>
    public async Task<ForcedOp> ForcedWithdrawalAsync(int account, ulong amount)
    {
        var op = ForcedOp.Withdrawal((ulong)account, L2Key(account), amount, AddressValue(User.Address));
        var domain = (BigInteger)(await Validium.CallSingleAsync("domain"))!;
        var nonce = (BigInteger)(await Validium.CallSingleAsync("forcedNonce", (BigInteger)account))!;
        var sig = EdDsaPoseidon.Sign(L2Private(account), Poseidon.Hash([Fr.FromBigInteger(domain), op.Word, op.C, Fr.FromBigInteger(nonce), Fr.Zero]));
        await Validium.SendAsync(User, "forcedWithdrawal", [(BigInteger)account, op.A.ToBigInteger(), op.B.ToBigInteger(), (BigInteger)amount, User.Address,
            new object?[] { sig.R8.X.ToBigInteger(), sig.R8.Y.ToBigInteger(), sig.S }]);
        return op;
    }

    /// <summary>Oracle round <paramref name="round"/> signed by two reporters and published, timestamped at the head block.</summary>
    public async Task<OracleRound> PublishRoundAsync(ulong round, ulong price = 50_000)
    {
        var head = await Eth.GetLatestBlockHeaderAsync() ?? throw new InvalidOperationException("no head block");
        var r = new OracleRound(round, (ulong)head.Timestamp, [price]);
        object?[] prices = [.. r.Prices.Select(p => (object?)(BigInteger)p)];
        var digest = (byte[])(await Oracle.CallAsync("digest", [(BigInteger)r.Round, (BigInteger)r.Timestamp, prices]))[0]!;
        object?[] sigs = [.. Reporters.Take(2).Select(k =>
        {
            var sig = DacDomain.SignDigest(k, digest);
            var b = sig.ToBytes();
            return (object?)new object?[] { (BigInteger)sig.V, b[..32], b[32..64] };
        })];
        await Oracle.SendAsync(User, "update", [(BigInteger)r.Round, (BigInteger)r.Timestamp, prices, sigs]);
        return r;
    }

    public async Task<ulong> BatchNumberAsync() => (ulong)(BigInteger)(await Validium.CallSingleAsync("batchNumber"))!;

    public async Task<Fr> StateRootAsync() => Fr.FromBigInteger((BigInteger)(await Validium.CallSingleAsync("stateRoot"))!);

    public BatchPoster StartPoster(TransactionSender sender, DacClient dac, System.Threading.Channels.ChannelReader<BatchRecord>? released = null,
        DataFallbackPolicy? fallback = null) =>
        BatchPoster.Start(BatchStore.Open(BatcherDir), Validium, sender, dac, new BatchPosterOptions
        {
            Directory = PosterDir, Confirmations = 2, StartBlock = System.Block, PollInterval = TimeSpan.FromMilliseconds(100),
            InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(1), Fallback = fallback ?? DataFallbackPolicy.Disabled,
        }, released);

    public L1Watcher StartWatcher(int confirmations = 2, long? startBlock = null, ulong firstOperation = 0, string name = "watcher") =>
        L1Watcher.Start(Eth, new L1WatcherOptions
        {
            Validium = System.Validium, Oracle = System.Oracle, Directory = Path.Combine(Dir.FullName, name), StartBlock = startBlock ?? System.Block,
            Confirmations = confirmations, FirstOperation = firstOperation, PollInterval = TimeSpan.FromMilliseconds(100),
            InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(500),
        });

    private static Secp256k1PrivateKey[] Ascending(int n) =>
        [.. Enumerable.Range(0, n).Select(_ => Secp256k1PrivateKey.Generate()).OrderBy(k => AddressValue(k.Address))];

    public async ValueTask DisposeAsync()
    {
        if (Committee is not null) await Committee.DisposeAsync();
        Rpc?.Dispose();
        try
        {
            Dir.Delete(true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }
}

/// <summary>Waits for a condition that background services bring about, failing with a description when it does not come.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => TrueAsync(() => Task.FromResult(condition()), what, timeout);
}
