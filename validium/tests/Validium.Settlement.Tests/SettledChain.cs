using System.Numerics;
using Validium.Accel;
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
using Validium.State;

namespace Validium.Settlement.Tests;

/// <summary>
/// The whole path once per test class, with nothing stood in: the contracts deployed on anvil with the verifier of a
/// small batch circuit's own key; deposits made on L1; the exchange engine matching signed orders; two batches built
/// by BatchBuilder, proven, attested by an in-process 2-of-3 committee and accepted by submitBatch. The second batch
/// also consumes two forced withdrawals made on L1, one the state pays and one it refuses.
/// From batch <see cref="CommitteeDownFrom"/> on, every member is stopped: each such batch is first held under a
/// disabled fallback policy (the evidence in <see cref="Held"/>), then posted with its data on L1. Members that signed
/// an earlier batch are restarted once the batches are settled, so recovery can reach them.
/// </summary>
public class SettledChain : IAsyncLifetime
{
    protected virtual ulong CommitteeDownFrom => ulong.MaxValue;

    /// <summary>The batches as the fallback-aware settler reported them (committee down only).</summary>
    public List<AvailableBatch> Available { get; } = [];

    /// <summary>What a disabled fallback did with each batch while the committee was down: held, and what L1 and the alert showed.</summary>
    public List<HeldBatch> Held { get; } = [];

    public sealed record HeldBatch(BatchHeldException Exception, BigInteger BatchNumberBefore, BigInteger BatchNumberAfter, ulong NonceBefore, ulong NonceAfter,
        string? Alert, AvailabilityState State, Fr StateRootBefore, Fr StateRootAfter);

    /// <summary>The committee availability after each on-chain batch was accepted.</summary>
    public List<AvailabilityState> StateAfterFallback { get; } = [];

    public const long Usd = DemoExchange.Usd;
    public const long ForcedDelay = 3600;
    private static readonly long Milli = DemoExchange.BtcPerp.LotSize;

    public string? SkipReason { get; private set; }
    public AnvilProcess Anvil { get; private set; } = null!;
    public JsonRpcClient Rpc { get; private set; } = null!;
    public EthClient Eth { get; private set; } = null!;
    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("settlement-");
    public CircuitConfig Config { get; private set; } = null!;
    public string CircuitFile => Path.Combine(Dir.FullName, "circuit.json");
    public DeployedSystem System { get; private set; } = null!;
    public Contract Validium { get; private set; } = null!;
    public Contract Token { get; private set; } = null!;
    public Contract Oracle { get; private set; } = null!;
    public TransactionSender Operator { get; private set; } = null!;
    public TransactionSender User { get; private set; } = null!;
    internal LocalCommittee Committee { get; private set; } = null!;
    public Engine Engine { get; private set; } = null!;
    public OracleRound Round { get; private set; } = null!;
    public List<SettledBatch> Settled { get; } = [];
    public List<Fr> Roots { get; } = [];
    public StateMirror Mirror { get; private set; } = null!;
    public Secp256k1PrivateKey[] Reporters { get; } = Ascending(3);

    /// <summary>The forced withdrawal batch 2 pays: from account 3 to the user, which the engine does not know of.</summary>
    public const int ForcedAccount = 3;
    public const long ForcedPaid = 700 * Usd;

    public static byte[] L2Key(int account) => DemoExchange.PrivateKey(account);

    public static BabyJubjubPoint L2Public(int account) => EdDsaPoseidon.PrivateToPublic(L2Key(account));

    public static BigInteger AddressValue(EthereumAddress a) => new(a.ToBytes(), isUnsigned: true, isBigEndian: true);

    private static Secp256k1PrivateKey[] Ascending(int n) =>
        [.. Enumerable.Range(0, n).Select(_ => Secp256k1PrivateKey.Generate()).OrderBy(k => AddressValue(k.Address))];

    public async Task InitializeAsync()
    {
        try
        {
            Anvil = AnvilProcess.Start();
        }
        catch (SkipException e)
        {
            SkipReason = e.Message;
            return;
        }
        Rpc = new JsonRpcClient(Anvil.Url);
        Eth = new EthClient(Rpc);
        long now = 1_700_000_000_000;
        Engine = new Engine(new EngineConfig { MaxAccounts = 16, OrderCapacity = 64 });
        var recorder = new ExchangeRecorder(Engine);
        recorder.Execute(Command.List(now, DemoExchange.BtcPerp));
        recorder.Execute(Command.List(now, DemoExchange.EthPerp));
        recorder.Execute(Command.OracleIndex(now, 0, 50_000 * Usd));
        recorder.Execute(Command.OracleIndex(now, 1, 3_000 * Usd));
        Config = new CircuitConfig
        {
            AccountDepth = 4, PositionsDepth = 1, FillDepth = 8, Instruments = recorder.Instruments(), FeeAccount = 0, Shape = new BatchShape(3, 1, 1, Forced: 2),
        };
        await File.WriteAllTextAsync(CircuitFile, StateSnapshot.ConfigJson(Config).ToJsonString());

        var circuit = new BatchCircuit(Config);
        var pk = Setup.Run(circuit.Compile().R1cs, devSeed: 11);
        var artifacts = ContractArtifacts.Compile(ContractArtifacts.FindRepo(null), VerifierEmitter.Emit(pk.VerifyingKey, circuitConfig: global::System.Text.Encoding.UTF8.GetBytes(StateSnapshot.ConfigJson(Config).ToJsonString())));

        Operator = await Sender(0);
        User = await Sender(1);
        var memberKeys = Ascending(3);
        System = await SystemDeployment.DeployAsync(Operator, artifacts, new DeploymentRequest(null, [.. memberKeys.Select(k => k.Address)], 2,
            [.. Reporters.Select(k => k.Address)], 2, Config.InstrumentCount, Config.AccountDepth, Config.PositionsDepth, ForcedDelay, 2 * ForcedDelay, Operator.Address));
        Validium = new Contract(Eth, artifacts["Validium"].Abi, System.Validium);
        Token = new Contract(Eth, artifacts["TestToken"].Abi, System.Token);
        Oracle = new Contract(Eth, artifacts["PriceOracle"].Abi, System.Oracle);
        Committee = await LocalCommittee.StartAsync(memberKeys, 2, new DacDomain(AnvilProcess.ChainId, System.Validium));

        var head = await Eth.GetLatestBlockHeaderAsync() ?? throw new InvalidOperationException("no head block");
        Round = recorder.OracleRound(1, (ulong)head.Timestamp);
        await PublishRoundAsync(Round);

        using var store = StateStore.Open(Path.Combine(Dir.FullName, "operator-state"), new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }),
            new StateStoreOptions { SyncWrites = false });
        var builder = new BatchBuilder(Config, store);
        using var dac = Committee.Client(TimeSpan.FromSeconds(60));
        var prover = new Prover(new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }));
        var settler = new BatchSettler(Validium, Operator, circuit, pk, prover, dac);
        // A short client timeout for batches with the committee down, so its AttestationUnavailableException comes quickly.
        using var downDac = Committee.Client(TimeSpan.FromSeconds(1));
        fallbackSettler = new BatchSettler(Validium, Operator, circuit, pk, prover, downDac);
        var user = AddressValue(User.Address);
        await Token.SendAsync(User, "mint", [User.Address, (BigInteger)1_000_000 * Usd]);
        await Token.SendAsync(User, "approve", [System.Validium, (BigInteger)1_000_000 * Usd]);

        // Batch 1: the fee account and two traders funded on L1, one BTC trade, one withdrawal to the user's address.
        foreach (var (account, usd) in new[] { (0, 1L), (1, 100_000L), (2, 100_000L) })
            await DepositAsync(recorder, now, account, usd * Usd, user);
        Place(recorder, 1, 1, 0, Side.Sell, 50_000 * Usd, 15 * Milli, OrderType.Limit, ref now);
        Place(recorder, 2, 1, 0, Side.Buy, 50_010 * Usd, 15 * Milli, OrderType.Ioc, ref now);
        var message = BatchEncoding.WithdrawalMessage(1, 1, 1_000 * Usd, user);
        Assert.True(recorder.Withdraw(now, 1, 1_000 * Usd, 1, user, EdDsaPoseidon.Sign(L2Key(1), message)).Accepted);
        await SettleAsync(builder, settler, recorder, Fr.Zero, [], 3);

        // Batch 2: a new account funded, and it takes the other side of account 2 on ETH.
        await DepositAsync(recorder, now, 3, 50_000 * Usd, user);
        Place(recorder, 3, 1, 1, Side.Sell, 3_000 * Usd, 2 * DemoExchange.EthPerp.LotSize, OrderType.Limit, ref now);
        Place(recorder, 2, 2, 1, Side.Buy, 3_000 * Usd, 2 * DemoExchange.EthPerp.LotSize, OrderType.Ioc, ref now);
        // Forced withdrawals queued after that deposit: account 3's within its free collateral, account 2's far beyond its.
        ForcedOp[] forced =
        [
            await ForcedWithdrawalAsync(ForcedAccount, ForcedPaid, User.Address),
            await ForcedWithdrawalAsync(2, 1_000_000 * Usd, User.Address),
        ];
        // The second batch travels compressed, so both of the contract's entries take a real batch proof.
        settler.Encoding = ProofEncoding.Compressed;
        await SettleAsync(builder, settler, recorder, lastHead, forced, 6);
        Mirror = builder.Mirror;
        if (Settled.Count > 0)
            for (int i = 0; i < Committee.Members.Length; i++)
                if (Committee.Members[i] is null) await Committee.StartMemberAsync(i);
    }

    private Fr lastHead;
    private BatchSettler fallbackSettler = null!;

    private async Task SettleAsync(BatchBuilder builder, BatchSettler settler, ExchangeRecorder recorder, Fr opsHead, ForcedOp[] forced, ulong opsProcessed)
    {
        var (d, t, w) = recorder.TakeBatch();
        Assert.Single(t);
        var pending = builder.Build((ulong)Roots.Count + 1, Round, opsHead, d, forced, t, w);
        if ((ulong)Roots.Count + 1 >= CommitteeDownFrom)
        {
            for (int i = 0; i < Committee.Members.Length; i++) await Committee.StopMemberAsync(i);
            await HoldThenPostOnChainAsync(builder, fallbackSettler, pending, opsProcessed);
        }
        else Settled.Add(await settler.SettleAsync(pending, Round, opsProcessed));
        lastHead = pending.NewOpsHead;
        Roots.Add(pending.NewStateRoot);
        pending.Dispose();
    }

    private async Task HoldThenPostOnChainAsync(BatchBuilder builder, BatchSettler settler, PendingBatch pending, ulong opsProcessed)
    {
        var numberBefore = (BigInteger)(await Validium.CallSingleAsync("batchNumber"))!;
        var nonceBefore = await Eth.GetTransactionCountAsync(Operator.Address, "latest");
        var rootBefore = builder.StateRoot;
        // Shorter than the client's own timeout: the policy's deadline is what gives up here.
        var disabled = new DataFallbackPolicy { Enabled = false, CommitteeTimeout = TimeSpan.FromMilliseconds(300) };
        var held = await Assert.ThrowsAsync<BatchHeldException>(() => settler.SettleWithFallbackAsync(pending, Round, opsProcessed, disabled));
        Held.Add(new HeldBatch(held, numberBefore, (BigInteger)(await Validium.CallSingleAsync("batchNumber"))!, nonceBefore,
            await Eth.GetTransactionCountAsync(Operator.Address, "latest"), settler.Availability.Alert, settler.Availability.State, rootBefore, builder.StateRoot));
        // Longer than the client's: the client's AttestationUnavailableException is what triggers the fallback here.
        Available.Add(await settler.SettleWithFallbackAsync(pending, Round, opsProcessed, new DataFallbackPolicy { Enabled = true, CommitteeTimeout = TimeSpan.FromSeconds(30) }));
        StateAfterFallback.Add(settler.Availability.State);
    }

    /// <summary>An order signed by the account's key; the engine checks the signature and the recorder keeps it for the batch.</summary>
    private static void Place(ExchangeRecorder recorder, int account, long nonce, int instrument, Side side, long price, long quantity, OrderType type, ref long now)
    {
        now += 10;
        var c = Command.Place(now, account, nonce, instrument, side, type, price, quantity, nonce);
        var outcome = recorder.Place(c, OrderSigning.Sign(c, L2Key(account)));
        Assert.True(outcome.Accepted, $"order refused: {outcome.Code}");
    }

    /// <summary>A forced withdrawal sent to the contract, signed by the account's key as the contract checks: Poseidon(domain, word, amount, nonce 0, 0).</summary>
    private async Task<ForcedOp> ForcedWithdrawalAsync(int account, long amount, EthereumAddress recipient)
    {
        var op = ForcedOp.Withdrawal((ulong)account, L2Public(account), (ulong)amount, AddressValue(recipient));
        var domain = (BigInteger)(await Validium.CallSingleAsync("domain"))!;
        var sig = EdDsaPoseidon.Sign(L2Key(account), Poseidon.Hash([Fr.FromBigInteger(domain), op.Word, op.C, Fr.Zero, Fr.Zero]));
        await Validium.SendAsync(User, "forcedWithdrawal", [(BigInteger)account, op.A.ToBigInteger(), op.B.ToBigInteger(), (BigInteger)amount, recipient,
            new object?[] { sig.R8.X.ToBigInteger(), sig.R8.Y.ToBigInteger(), sig.S }]);
        return op;
    }

    private async Task DepositAsync(ExchangeRecorder recorder, long now, int account, long amount, BigInteger depositor)
    {
        var key = L2Public(account);
        await Validium.SendAsync(User, "deposit", [(BigInteger)amount, key.X.ToBigInteger(), key.Y.ToBigInteger()]);
        Assert.True(recorder.Deposit(now, account, key, amount, depositor).Accepted);
    }

    public async Task PublishRoundAsync(OracleRound round)
    {
        object?[] prices = [.. round.Prices.Select(p => (object?)(BigInteger)p)];
        var digest = (byte[])(await Oracle.CallAsync("digest", [(BigInteger)round.Round, (BigInteger)round.Timestamp, prices]))[0]!;
        object?[] sigs = [.. Reporters.Take(2).Select(k =>
        {
            var sig = DacDomain.SignDigest(k, digest);
            var b = sig.ToBytes();
            return (object?)new object?[] { (BigInteger)sig.V, b[..32], b[32..64] };
        })];
        await Oracle.SendAsync(Operator, "update", [(BigInteger)round.Round, (BigInteger)round.Timestamp, prices, sigs]);
    }

    public async Task<TransactionSender> Sender(int devKey)
    {
        var key = Secp256k1PrivateKey.FromHex(AnvilProcess.DevKeys[devKey]);
        var nonces = await NonceManager.OpenAsync(Path.Combine(Dir.FullName, $"nonces-{devKey}.json"), Eth, key.Address);
        return new TransactionSender(Eth, key, nonces, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(50), PriorityFeePerGas = 1_000_000_000 });
    }

    /// <summary>
    /// A member that stored every batch. The client stops asking once the threshold has signed, so a member may miss a
    /// batch; with 2-of-3 on two batches at least one member signed both.
    /// </summary>
    public async Task<Uri> MemberWithEveryBatchAsync()
    {
        using var http = new HttpClient();
        foreach (var url in Committee.Urls)
        {
            bool all = true;
            foreach (var s in Settled)
            {
                var path = DacRoutes.ByCommitment.Replace("{commitment}", L1.Hex.Encode(s.Attestation.Commitment.ToBigEndianBytes()), StringComparison.Ordinal);
                using var response = await http.GetAsync(new Uri(url, path));
                all &= response.IsSuccessStatusCode;
            }
            if (all) return url;
        }
        throw new InvalidOperationException("no member stored every batch");
    }

    public void RequireSettled() => Skip.If(SkipReason is not null, SkipReason);

    public async Task DisposeAsync()
    {
        if (Committee is not null) await Committee.DisposeAsync();
        Rpc?.Dispose();
        Anvil?.Dispose();
        Dir.Delete(true);
    }
}
