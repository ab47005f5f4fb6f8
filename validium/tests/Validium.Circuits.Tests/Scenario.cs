using System.Collections.Concurrent;
using System.Numerics;
using Validium.Accel;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Circuit;
using Validium.State;

namespace Validium.Circuits.Tests;

/// <summary>
/// A small exchange (BTC and ETH perpetuals) driven through the real engine, its batches built on real state trees
/// in a temporary RocksDB, and the L1 chain head tracked as the contract computes it. Account 0 collects fees.
/// </summary>
internal sealed class Scenario : IDisposable
{
    public const long Usd = 1_000_000;
    public const long Btc = 100_000_000;
    public const long Milli = Btc / 1000;
    public const int BtcPerp = 0, EthPerp = 1;

    public static readonly InstrumentSpec BtcSpec = new()
    {
        Kind = InstrumentKind.Perpetual, Underlying = 0, TickSize = Usd / 2, LotSize = Milli, QuantityDecimals = 8,
        MinQuantity = Milli, MaxQuantity = 10 * Btc, MaxPrice = 200_000 * Usd, MaxPosition = 100 * Btc,
        MakerFeePpm = -100, TakerFeePpm = 500, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
        PremiumCapPpm = 5_000, FundingCapPpm = 750,
    };

    public static readonly InstrumentSpec EthSpec = BtcSpec with
    {
        Underlying = 1, TickSize = Usd / 20, LotSize = Btc / 100, MinQuantity = Btc / 100, MaxPrice = 20_000 * Usd, MakerFeePpm = 200,
    };

    /// <summary>Instrument 2 in an options scenario: a BTC call struck at 50,000, expiring at 2,000 s (ms 2,000,000), 0.001 BTC lots.</summary>
    public const int BtcCall = 2;

    public const long CallExpiryMs = 2_000_000;

    public static readonly InstrumentSpec BtcCallSpec = new()
    {
        Kind = InstrumentKind.Call, Underlying = 0, Strike = 50_000 * Usd, Expiry = CallExpiryMs, TickSize = Usd / 2, LotSize = Milli, QuantityDecimals = 8,
        MinQuantity = Milli, MaxQuantity = 10 * Btc, MaxPrice = 100_000 * Usd, MaxPosition = 100 * Btc,
        MakerFeePpm = -100, TakerFeePpm = 500, InitialMarginPpm = 150_000, MaintenanceMarginPpm = 100_000, BandPpm = 1_000_000,
    };

    /// <summary>Instrument 3 in a scenario with <c>put: true</c>: the put beside <see cref="BtcCallSpec"/> (same strike and expiry).</summary>
    public const int BtcPut = 3;

    public static readonly InstrumentSpec BtcPutSpec = BtcCallSpec with { Kind = InstrumentKind.Put };

    /// <summary>The circuit's liquidator and insurance fund accounts (used only by shapes with liquidation slots).</summary>
    public const int LiquidatorId = 4, InsuranceId = 5;

    /// <summary>The funding period of shapes with funding slots: an hour.</summary>
    public const long FundingPeriodSeconds = 3600;

    public static readonly AccelDispatcher Cpu = new(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });

    private static readonly ConcurrentDictionary<CircuitConfig, Lazy<BatchCircuit>> circuits = new();

    private readonly string dir = Path.Combine(Path.GetTempPath(), "validium-circuits-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<int, long> nonces = [];
    private long clientIds = 1;

    /// <param name="options">Also list <see cref="BtcCallSpec"/> (marked at 2,000 with delta 0.5), so the table has an option.</param>
    /// <param name="put">With options, also list <see cref="BtcPutSpec"/> (marked at 2,000 with delta −0.5).</param>
    public Scenario(BatchShape shape, int fillDepth = 8, int liquidator = -1, bool options = false, bool put = false)
    {
        Engine = new Engine(new EngineConfig { MaxAccounts = 16, OrderCapacity = 256, LiquidatorAccount = liquidator });
        Recorder = new ExchangeRecorder(Engine);
        Recorder.Execute(Command.List(Now, BtcSpec));
        Recorder.Execute(Command.List(Now, EthSpec));
        if (options) Recorder.Execute(Command.List(Now, BtcCallSpec));
        if (options && put) Recorder.Execute(Command.List(Now, BtcPutSpec));
        Recorder.Execute(Command.OracleIndex(Now, 0, 50_000 * Usd));
        Recorder.Execute(Command.OracleIndex(Now, 1, 3_000 * Usd));
        if (options) Assert.True(Recorder.Execute(Command.OracleOption(Now, BtcCall, 2_000 * Usd, 500_000, 10_000)).Accepted);
        if (options && put) Assert.True(Recorder.Execute(Command.OracleOption(Now, BtcPut, 2_000 * Usd, -500_000, 10_000)).Accepted);
        Config = new CircuitConfig
        {
            AccountDepth = 4, PositionsDepth = options ? 2 : 1, FillDepth = fillDepth, Instruments = Recorder.Instruments(), FeeAccount = 0, Shape = shape,
            LiquidatorAccount = LiquidatorId, InsuranceAccount = InsuranceId, LiquidationPenaltyPpm = Engine.Config.LiquidationPenaltyPpm,
            FundingPeriodSeconds = shape.Funding > 0 ? FundingPeriodSeconds : 0, FundingCapsPpm = shape.Funding > 0 ? Recorder.FundingCaps() : [],
            PremiumCapsPpm = shape.Funding > 0 ? Recorder.PremiumCaps() : [],
        };
        Store = StateStore.Open(dir, Cpu, new StateStoreOptions { SyncWrites = false });
        Builder = new BatchBuilder(Config, Store);
        Unchecked = new BatchBuilder(Config, Store, Builder.Mirror) { SkipChecks = true };
    }

    public Engine Engine { get; }
    public ExchangeRecorder Recorder { get; }
    public CircuitConfig Config { get; }
    public StateStore Store { get; }
    public BatchBuilder Builder { get; }

    /// <summary>The same state without the builder's own checks: how a test hands the circuit a batch it must refuse.</summary>
    public BatchBuilder Unchecked { get; }
    public long Now { get; set; } = 1_000_000;
    public ulong BatchNumber { get; private set; }

    /// <summary>The contract's L1-operations chain head after every queued operation.</summary>
    public Fr OpsHead { get; private set; }

    /// <summary>The state tree's view of every account equals the engine's: collateral, position size (raw quantity) and open cost.</summary>
    public void AssertStateMatchesEngine()
    {
        foreach (var id in Engine.AccountIds())
        {
            var data = Builder.Mirror.Account((ulong)id);
            Assert.NotNull(data);
            long expectedCollateral = Engine.Account(id).Collateral + (id == (int)Config.FeeAccount ? Engine.FeePool : 0);
            Assert.Equal(expectedCollateral, data.Collateral);
            for (int i = 0; i < Config.InstrumentCount; i++)
            {
                var (quantity, cost) = Engine.Position(id, i);
                Assert.Equal(quantity, data.Positions[i].Size * Engine.Instrument(i).LotSize);
                Assert.Equal(cost, data.Positions[i].OpenNotional);
            }
        }
    }

    public BatchCircuit Circuit => circuits.GetOrAdd(Config, c => new Lazy<BatchCircuit>(() => new BatchCircuit(c))).Value;

    public static byte[] PrivateKey(int account)
    {
        var k = new byte[32];
        k[0] = (byte)(account + 1);
        k[31] = 0x42;
        return k;
    }

    public static BabyJubjubPoint KeyOf(int account) => EdDsaPoseidon.PrivateToPublic(PrivateKey(account));

    public static BigInteger Address(int account) => (BigInteger.One << 159) + 0x1000 + account;

    /// <summary>Queues an L1 deposit (the chain head moves as the contract's) and lets the engine credit it.</summary>
    public Scenario Deposit(int account, long usd)
    {
        var key = KeyOf(account);
        Assert.True(Recorder.Deposit(Now, account, key, usd * Usd, Address(account)).Accepted);
        OpsHead = BatchEncoding.ChainL1(OpsHead, BatchEncoding.DepositL1Word(Address(account)), key.X, key.Y, (ulong)(usd * Usd));
        return this;
    }

    public SignedOrder Sign(int account, int instrument, Side side, long price, long quantity, OrderType type = OrderType.Limit, long expiresAt = 0)
    {
        long nonce = nonces[account] = nonces.GetValueOrDefault(account) + 1;
        var c = Command.Place(Now, account, nonce, instrument, side, type, price, quantity, clientIds++, expiresAt);
        return new SignedOrder(c, OrderSigning.Sign(c, PrivateKey(account)));
    }

    public Outcome Place(int account, int instrument, Side side, long price, long quantity, OrderType type = OrderType.Limit)
    {
        Now += 10;
        var o = Sign(account, instrument, side, price, quantity, type);
        var outcome = Recorder.Place(o.Order, o.Signature);
        Assert.True(outcome.Accepted, $"order refused: {outcome.Code}");
        return outcome;
    }

    public WithdrawalOp SignWithdrawal(int account, ulong nonce, long amount)
    {
        var message = BatchEncoding.WithdrawalMessage((ulong)account, nonce, (ulong)amount, Address(account));
        return new WithdrawalOp((ulong)account, nonce, (ulong)amount, Address(account), EdDsaPoseidon.Sign(PrivateKey(account), message));
    }

    public Scenario Withdraw(int account, ulong nonce, long amount)
    {
        var w = SignWithdrawal(account, nonce, amount);
        Assert.True(Recorder.Withdraw(Now, account, amount, nonce, w.Recipient, w.Signature).Accepted);
        return this;
    }

    /// <summary>Forced requests queued on L1 since the last build, consumed by the next one after its deposits.</summary>
    public List<ForcedOp> Forced { get; } = [];

    /// <summary>Queues a forced withdrawal to the account's address (the chain head moves as the contract's), signed by <paramref name="key"/>.</summary>
    public ForcedOp ForceWithdrawal(ulong account, long amount, BabyJubjubPoint key) =>
        Queue(ForcedOp.Withdrawal(account, key, (ulong)amount, Address((int)account)));

    /// <summary>Queues a forced trade: account a buys <paramref name="size"/> lots (sells when negative) from b at <paramref name="pricePerLot"/>.</summary>
    public ForcedOp ForceTrade(int a, int b, int instrument, long size, ulong pricePerLot, BabyJubjubPoint? keyB = null) =>
        Queue(ForcedOp.Trade((ulong)a, (ulong)b, (uint)instrument, size, pricePerLot, KeyOf(a), keyB ?? KeyOf(b)));

    private ForcedOp Queue(ForcedOp op)
    {
        OpsHead = BatchEncoding.ChainL1(OpsHead, op.Word, op.A, op.B, op.C);
        Forced.Add(op);
        return op;
    }

    private List<ForcedOp> TakeForced()
    {
        var f = Forced.ToList();
        Forced.Clear();
        return f;
    }

    public OracleRound Oracle => Recorder.OracleRound(1, (ulong)(Now / 1000));

    /// <summary>
    /// Builds the next batch from everything recorded (after <paramref name="edit"/>, where a test plays a cheating
    /// operator), continuing the chain from the last committed batch's head.
    /// </summary>
    public PendingBatch Build(Action<List<DepositOp>, List<TradeOp>, List<WithdrawalOp>>? edit = null)
    {
        var (d, t, w) = Recorder.TakeBatch();
        edit?.Invoke(d, t, w);
        return Builder.Build(++BatchNumber, Oracle, lastHead, d, TakeForced(), t, w, Recorder.TakeLiquidations(), Recorder.TakeFunding(), Recorder.TakeExpiries());
    }

    /// <summary>
    /// As <see cref="Build"/>, with <paramref name="expiries"/> as the batch's expiry settlements in place of the
    /// recorder's (one round's settlements spread over several batches); <paramref name="deposits"/> sees the batch's deposits.
    /// </summary>
    public PendingBatch BuildWithExpiries(IReadOnlyList<ExpiryOp> expiries, Action<List<DepositOp>>? deposits = null)
    {
        var (d, t, w) = Recorder.TakeBatch();
        deposits?.Invoke(d);
        return Builder.Build(++BatchNumber, Oracle, lastHead, d, TakeForced(), t, w, Recorder.TakeLiquidations(), Recorder.TakeFunding(), expiries);
    }

    /// <summary>
    /// Like <see cref="RefusedLiquidation"/> for a cheating operator's funding: the builder refuses the edited funding
    /// with <paramref name="refusal"/>, and built without its checks the circuit is left unsatisfied.
    /// </summary>
    public string RefusedFunding(string refusal, Func<FundingOp, FundingOp> edit)
    {
        var (d, t, w) = Recorder.TakeBatch();
        var l = Recorder.TakeLiquidations();
        var funding = edit(Recorder.TakeFunding());
        var number = BatchNumber + 1;
        var f = TakeForced();
        var e = Assert.ThrowsAny<InvalidOperationException>(() => Builder.Build(number, Oracle, lastHead, d, f, t, w, l, funding));
        Assert.Contains(refusal, e.Message);
        using var batch = Unchecked.Build(number, Oracle, lastHead, d, f, t, w, l, funding);
        return Unsatisfied(batch.Assignment);
    }

    /// <summary>
    /// Like <see cref="Refused(string, Action{List{DepositOp}, List{TradeOp}, List{WithdrawalOp}})"/> for a cheating
    /// operator's liquidations: the builder refuses them with <paramref name="refusal"/>, and built without its checks
    /// the circuit is left unsatisfied; returns the first failing constraint's label.
    /// </summary>
    public string RefusedLiquidation(string refusal, Action<List<LiquidationOp>> edit)
    {
        var (d, t, w) = Recorder.TakeBatch();
        var l = Recorder.TakeLiquidations();
        edit(l);
        var number = BatchNumber + 1;
        var f = TakeForced();
        var e = Assert.ThrowsAny<InvalidOperationException>(() => Builder.Build(number, Oracle, lastHead, d, f, t, w, l));
        Assert.Contains(refusal, e.Message);
        using var batch = Unchecked.Build(number, Oracle, lastHead, d, f, t, w, l);
        return Unsatisfied(batch.Assignment);
    }

    /// <summary>As <see cref="RefusedLiquidation"/>, for a cheating operator's option expiry settlements.</summary>
    public string RefusedExpiry(string refusal, Action<List<ExpiryOp>> edit)
    {
        var (d, t, w) = Recorder.TakeBatch();
        var x = Recorder.TakeExpiries();
        edit(x);
        var number = BatchNumber + 1;
        var f = TakeForced();
        var l = Recorder.TakeLiquidations();
        var e = Assert.ThrowsAny<InvalidOperationException>(() => Builder.Build(number, Oracle, lastHead, d, f, t, w, l, x));
        Assert.Contains(refusal, e.Message);
        using var batch = Unchecked.Build(number, Oracle, lastHead, d, f, t, w, l, x);
        return Unsatisfied(batch.Assignment);
    }

    /// <summary>
    /// A cheating operator's batch: the builder refuses it with a message containing <paramref name="refusal"/>, and
    /// built without the builder's checks it leaves the circuit unsatisfied; returns the first failing constraint's label.
    /// </summary>
    public string Refused(string refusal, Action<List<DepositOp>, List<TradeOp>, List<WithdrawalOp>> edit)
    {
        var (d, t, w) = Recorder.TakeBatch();
        edit(d, t, w);
        var number = BatchNumber + 1;
        var f = TakeForced();
        var e = Assert.ThrowsAny<InvalidOperationException>(() => Builder.Build(number, Oracle, lastHead, d, f, t, w));
        Assert.Contains(refusal, e.Message);
        using var batch = Unchecked.Build(number, Oracle, lastHead, d, f, t, w);
        return Unsatisfied(batch.Assignment);
    }

    /// <summary>Solves and returns the label of the first unsatisfied constraint (failing the test if all hold).</summary>
    public string Unsatisfied(IReadOnlyDictionary<string, Fr> assignment)
    {
        var solution = Circuit.Solve(assignment);
        Assert.False(solution.IsSatisfied, "the circuit accepted a batch it must refuse");
        return solution.Failure!.Label;
    }

    /// <summary>The batch's assignment with one input replaced.</summary>
    public static Dictionary<string, Fr> Tampered(PendingBatch batch, string name, Func<Fr, Fr> change)
    {
        var values = new Dictionary<string, Fr>(batch.Assignment);
        Assert.True(values.ContainsKey(name), $"no input {name}");
        values[name] = change(values[name]);
        return values;
    }

    private Fr lastHead;

    /// <summary>The L1 chain head the last committed batch left, which the next batch continues.</summary>
    public Fr LastHead => lastHead;

    /// <summary>Commits a batch without solving: set-up for a test whose subject is a later batch.</summary>
    public void Commit(PendingBatch batch)
    {
        batch.Commit();
        lastHead = batch.NewOpsHead;
    }

    /// <summary>Solves the circuit on the batch, then commits it when satisfied.</summary>
    public Solution Prove(PendingBatch batch)
    {
        var solution = Circuit.Solve(batch.Assignment);
        if (solution.IsSatisfied)
        {
            batch.Commit();
            lastHead = batch.NewOpsHead;
        }
        return solution;
    }

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the test over it would hide the real result.
        }
    }
}
