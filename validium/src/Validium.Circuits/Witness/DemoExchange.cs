using System.Numerics;
using System.Security.Cryptography;
using Validium.Crypto;
using Validium.Exchange;
using Validium.State;

namespace Validium.Circuits.Witness;

/// <summary>
/// A small exchange that settles a chosen number of trades in one batch: a BTC and an ETH perpetual, an operator
/// account 0 that collects fees, four makers resting one-lot sells up the book and four takers lifting them with IOC
/// buys, all funded by L1 deposits in the same batch, then one L1 forced withdrawal. The engine matches; its events become the batch. What
/// `vld batch demo` proves and the batch benchmark measures.
/// </summary>
public sealed class DemoExchange
{
    public const long Usd = 1_000_000;
    private const long Btc = 100_000_000;
    public const int Makers = 4, Takers = 4;

    public static readonly InstrumentSpec BtcPerp = new()
    {
        Kind = InstrumentKind.Perpetual, Underlying = 0, TickSize = Usd / 2, LotSize = Btc / 1000, QuantityDecimals = 8,
        MinQuantity = Btc / 1000, MaxQuantity = 10 * Btc, MaxPrice = 200_000 * Usd, MaxPosition = 100 * Btc,
        MakerFeePpm = -100, TakerFeePpm = 500, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
        PremiumCapPpm = 5_000, FundingCapPpm = 750,
    };

    public static readonly InstrumentSpec EthPerp = BtcPerp with { Underlying = 1, TickSize = Usd / 20, LotSize = Btc / 100, MinQuantity = Btc / 100, MaxPrice = 20_000 * Usd };

    private readonly Dictionary<int, long> nonces = [];
    private readonly HashSet<ulong> usedSlots = [];
    private long now = 1_700_000_000_000;

    public DemoExchange(int trades, int accountDepth = 8, int fillDepth = 16)
    {
        if (trades is < 1 or > BatchShape.MaxSlots) throw new ArgumentOutOfRangeException(nameof(trades), $"1..{BatchShape.MaxSlots} trades");
        Trades = trades;
        Engine = new Engine(new EngineConfig { MaxAccounts = 1 + Makers + Takers, OrderCapacity = Math.Max(64, 2 * trades) });
        Recorder = new ExchangeRecorder(Engine);
        Recorder.Execute(Command.List(now, BtcPerp));
        Recorder.Execute(Command.List(now, EthPerp));
        Recorder.Execute(Command.OracleIndex(now, 0, 50_000 * Usd));
        Recorder.Execute(Command.OracleIndex(now, 1, 3_000 * Usd));
        Config = new CircuitConfig
        {
            AccountDepth = accountDepth, PositionsDepth = 1, FillDepth = fillDepth, Instruments = Recorder.Instruments(), FeeAccount = 0,
            Shape = new BatchShape(1 + Makers + Takers, trades, 0, Forced: 1),
        };
    }

    public int Trades { get; }
    public Engine Engine { get; }
    public ExchangeRecorder Recorder { get; }
    public CircuitConfig Config { get; }

    /// <summary>Deterministic demo keys: SHA-256 of the account number (never for real funds).</summary>
    public static byte[] PrivateKey(int account) => SHA256.HashData(BitConverter.GetBytes(account));

    public static BigInteger Address(int account) => (BigInteger.One << 159) + account;

    /// <summary>Runs the exchange and builds the batch on <paramref name="store"/>'s (empty) state: batch 1, opsHead 0.</summary>
    public PendingBatch Build(StateStore store)
    {
        var builder = new BatchBuilder(Config, store);
        for (int a = 0; a <= Makers + Takers; a++)
            Check(Recorder.Deposit(now, a, EdDsaPoseidon.PrivateToPublic(PrivateKey(a)), a == 0 ? Usd : 100_000 * Usd, Address(a)), "deposit");
        for (int k = 0; k < Trades; k++)
            Check(Place(1 + k % Makers, Side.Sell, 50_000 * Usd + k * (Usd / 2), OrderType.Limit), "resting sell");
        for (int k = 0; k < Trades; k++)
            Check(Place(1 + Makers + k % Takers, Side.Buy, 50_000 * Usd + k * (Usd / 2), OrderType.Ioc), "taker buy");
        var (deposits, trades, withdrawals) = Recorder.TakeBatch();
        if (trades.Count != Trades) throw new InvalidOperationException($"the engine made {trades.Count} trades, not {Trades}");
        // Queued on L1 after the deposits: maker 1 forces out 1,000 of its free collateral (the engine has no forced
        // commands yet; the circuit decides the request from the state alone).
        var forced = ForcedOp.Withdrawal(1, EdDsaPoseidon.PrivateToPublic(PrivateKey(1)), 1_000 * Usd, Address(1));
        return builder.Build(1, Recorder.OracleRound(1, (ulong)(now / 1000)), Fr.Zero, deposits, [forced], trades, withdrawals);
    }

    private static void Check(Outcome o, string what)
    {
        if (!o.Accepted) throw new InvalidOperationException($"demo {what} refused by the engine: {o.Code}");
    }

    /// <summary>
    /// A one-lot order on the BTC perpetual, re-signed with the next nonce while its hash would land on an order-fill
    /// slot another order of the batch already holds (STATE.md: the owner re-signs).
    /// </summary>
    private Outcome Place(int account, Side side, long price, OrderType type)
    {
        now += 1;
        Command c;
        do
        {
            long nonce = nonces[account] = nonces.GetValueOrDefault(account) + 1;
            c = Command.Place(now, account, nonce, 0, side, type, price, BtcPerp.LotSize, nonce);
        }
        while (!usedSlots.Add(OrderFillLeaf.Slot(OrderSigning.Hash(c), Config.FillDepth)));
        return Recorder.Place(c, OrderSigning.Sign(c, PrivateKey(account)));
    }
}
