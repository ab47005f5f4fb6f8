using Validium.Crypto;

namespace Validium.Exchange.Tests;

/// <summary>
/// A small exchange for tests: BTC perpetual (0), BTC 50,000 call (1) and put (2), ETH perpetual (3).
/// Units: prices in micro-USD, BTC quantities in satoshi-like 1e-8 units.
/// </summary>
internal sealed class Fixture
{
    public const long Usd = 1_000_000;
    public const long Btc = 100_000_000;
    public const long Milli = Btc / 1000;
    public const int Perp = 0, Call = 1, Put = 2, EthPerp = 3;
    public const long Expiry = 10_000_000;

    public static readonly InstrumentSpec PerpSpec = new()
    {
        Kind = InstrumentKind.Perpetual, Underlying = 0, TickSize = Usd / 2, LotSize = Milli, QuantityDecimals = 8,
        MinQuantity = Milli, MaxQuantity = 10 * Btc, MaxPrice = 200_000 * Usd, MaxPosition = 100 * Btc,
        MakerFeePpm = -100, TakerFeePpm = 500, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
        PremiumCapPpm = 5_000, FundingCapPpm = 750,
    };

    public static readonly InstrumentSpec CallSpec = new()
    {
        Kind = InstrumentKind.Call, Underlying = 0, Strike = 50_000 * Usd, Expiry = Expiry, TickSize = 5 * Usd, LotSize = Btc / 100,
        QuantityDecimals = 8, MinQuantity = Btc / 100, MaxQuantity = 10 * Btc, MaxPrice = 100_000 * Usd, MaxPosition = 100 * Btc,
        MakerFeePpm = 0, TakerFeePpm = 300, InitialMarginPpm = 150_000, MaintenanceMarginPpm = 100_000, BandPpm = 500_000,
    };

    public static readonly InstrumentSpec PutSpec = CallSpec with { Kind = InstrumentKind.Put };

    public static readonly InstrumentSpec EthSpec = PerpSpec with { Underlying = 1, TickSize = Usd / 20, LotSize = Btc / 100, MinQuantity = Btc / 100, MaxPrice = 20_000 * Usd };

    public readonly Engine Engine;
    public long Now = 1000;
    private readonly Dictionary<int, long> nonces = [];
    private long nextClientId = 1;

    public Fixture(EngineConfig? config = null, long btc = 50_000, bool options = true)
    {
        Engine = new Engine(config ?? new EngineConfig { MaxAccounts = 64, OrderCapacity = 64 });
        foreach (var s in (InstrumentSpec[])[PerpSpec, CallSpec, PutSpec, EthSpec]) Ok(Command.List(Now, s));
        Ok(Command.OracleIndex(Now, 0, btc * Usd));
        Ok(Command.OracleIndex(Now, 1, 3_000 * Usd));
        if (options)
        {
            Ok(Command.OracleOption(Now, Call, 2_000 * Usd, 500_000, 30_000));
            Ok(Command.OracleOption(Now, Put, 2_000 * Usd, -500_000, 30_000));
        }
    }

    public static BabyJubjubPoint KeyOf(int account) => EdDsaPoseidon.PrivateToPublic(PrivateKey(account));

    public static byte[] PrivateKey(int account)
    {
        var k = new byte[32];
        k[0] = (byte)(account + 1);
        k[31] = 0x42;
        return k;
    }

    private static readonly Dictionary<int, BabyJubjubPoint> keys = [];

    public static BabyJubjubPoint CachedKey(int account)
    {
        lock (keys)
        {
            if (!keys.TryGetValue(account, out var k)) keys[account] = k = KeyOf(account);
            return k;
        }
    }

    public Fixture Fund(int account, long usd)
    {
        Ok(Command.Deposit(Now, account, CachedKey(account), usd * Usd));
        return this;
    }

    public long Nonce(int account) => nonces[account] = nonces.GetValueOrDefault(account) + 1;

    public long ClientId() => nextClientId++;

    public Outcome Run(Command c) => Engine.Execute(c);

    public Outcome Ok(Command c)
    {
        var o = Engine.Execute(c);
        Assert.True(o.Accepted, $"{c.Kind} rejected: {o.Code}");
        return o;
    }

    public Outcome Limit(int account, Side side, long usd, long qty, out long clientId, int instrument = Perp, OrderType type = OrderType.Limit,
        SelfTradePrevention stp = SelfTradePrevention.CancelNewest, bool reduceOnly = false, long expiresAt = 0)
    {
        clientId = ClientId();
        long price = usd * Usd;
        return Run(Command.Place(Now, account, Nonce(account), instrument, side, type, price, qty, clientId, expiresAt, reduceOnly, stp));
    }

    public Outcome Limit(int account, Side side, long usd, long qty, int instrument = Perp, OrderType type = OrderType.Limit,
        SelfTradePrevention stp = SelfTradePrevention.CancelNewest, bool reduceOnly = false) =>
        Limit(account, side, usd, qty, out _, instrument, type, stp, reduceOnly);

    /// <summary>An amend of the account's open order, carrying the order's unchanged fields as a client must.</summary>
    public Command Amend(int account, long clientId, long price, long quantity)
    {
        Assert.True(Engine.TryGetOrder(account, clientId, out var order), $"account {account} has no open order {clientId}");
        return order.Amend(Now, Nonce(account), price, quantity);
    }

    public List<Event> Drain()
    {
        var list = Engine.Events.Events.ToArray().ToList();
        Engine.Events.Clear();
        return list;
    }

    public IEnumerable<Event> Trades() => Drain().Where(e => e.Kind == EventKind.Trade);

    /// <summary>Σ collateral − Σ open cost + fees + insurance: must equal deposits − withdrawals at every step.</summary>
    public long Conserved()
    {
        long sum = Engine.FeePool + Engine.InsuranceFund;
        foreach (var id in Engine.AccountIds())
        {
            sum += Engine.Account(id).Collateral;
            for (int i = 0; i < Engine.InstrumentCount; i++) sum -= Engine.Position(id, i).Cost;
        }
        return sum;
    }
}
