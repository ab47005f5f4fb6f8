using Validium.Crypto;

namespace Validium.Exchange.Simulation;

/// <summary>
/// A deterministic synthetic order flow for load runs, in exchange-core's mix: about 82% amends (order moves),
/// 9% GTC limits, 3% IOC, 6% cancels, over several perpetuals and options and many accounts, with an oracle index
/// commit (and every eighth time a funding period instead) every <c>oracleEvery</c> commands (0: none). Same seed, same stream: the generator
/// reads only engine state, which is itself deterministic.
/// </summary>
public sealed class OrderFlow
{
    public const long Usd = 1_000_000;
    private const int OrdersPerAccount = 32;

    private readonly Engine engine;
    private readonly int accounts;
    private readonly int instruments;
    private readonly long[] clientIds;   // [account × slot] → client id of an order the account may still have open, 0 = none
    private readonly long[] nonces;
    private ulong state;
    private long nextClientId = 1;
    private long count;
    private readonly int oracleEvery;

    public long Time { get; private set; } = 1;

    public OrderFlow(Engine engine, int accounts, ulong seed, int oracleEvery = 50_000)
    {
        this.oracleEvery = oracleEvery;
        this.engine = engine;
        this.accounts = accounts;
        instruments = engine.InstrumentCount;
        clientIds = new long[accounts * OrdersPerAccount];
        nonces = new long[accounts];
        state = seed ^ 0x9E3779B97F4A7C15UL;
    }

    /// <summary>An engine with 4 perpetuals (one per underlying) and 8 options on the first two underlyings, accounts funded.</summary>
    public static Engine CreateMarket(int accounts, int orderCapacity, EventLog events)
    {
        var engine = new Engine(new EngineConfig { MaxAccounts = accounts, OrderCapacity = orderCapacity }, events);
        long[] spots = [50_000, 3_000, 150, 20];
        for (int u = 0; u < spots.Length; u++)
        {
            // A tick is 1/100,000 of spot (the ±10% band spans 20,000 levels); cheap underlyings trade in larger lots.
            long tick = spots[u] * Usd / 100_000, lot = u < 2 ? 100_000 : 10_000_000;
            var perp = new InstrumentSpec
            {
                Kind = InstrumentKind.Perpetual, Underlying = u, TickSize = tick, LotSize = lot, QuantityDecimals = 8,
                MinQuantity = lot, MaxQuantity = lot * 10_000, MaxPrice = tick * 400_000, MaxPosition = lot * 1_000_000,
                MakerFeePpm = -50, TakerFeePpm = 400, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
                PremiumCapPpm = 5_000, FundingCapPpm = 750,
            };
            Require(engine.Execute(Command.List(0, perp)));
        }
        for (int u = 0; u < 2; u++)
            foreach (var kind in (InstrumentKind[])[InstrumentKind.Call, InstrumentKind.Put])
                foreach (long k in (long[])[95, 105])
                {
                    long tick = spots[u] * Usd / 10_000;
                    var option = new InstrumentSpec
                    {
                        Kind = kind, Underlying = u, Strike = spots[u] * k / 100 * Usd / tick * tick, Expiry = long.MaxValue / 2, TickSize = tick,
                        LotSize = 1_000_000, QuantityDecimals = 8, MinQuantity = 1_000_000, MaxQuantity = 10_000_000_000, MaxPrice = tick * 20_000,
                        MaxPosition = 1_000_000_000_000, MakerFeePpm = 0, TakerFeePpm = 300, InitialMarginPpm = 150_000,
                        MaintenanceMarginPpm = 100_000, BandPpm = 500_000,
                    };
                    Require(engine.Execute(Command.List(0, option)));
                }
        for (int u = 0; u < spots.Length; u++) Require(engine.Execute(Command.OracleIndex(0, u, spots[u] * Usd)));
        for (int i = 4; i < engine.InstrumentCount; i++)
        {
            var s = engine.Instrument(i);
            long spot = engine.IndexPrice(i);
            long intrinsic = Math.Max(0, s.Kind == InstrumentKind.Call ? spot - s.Strike : s.Strike - spot);
            Require(engine.Execute(Command.OracleOption(0, i, intrinsic + spot / 40 / s.TickSize * s.TickSize, s.Kind == InstrumentKind.Call ? 500_000 : -500_000, 40_000)));
        }
        // One throwaway key for every account: signature checks are measured separately, not in the matching run.
        var key = EdDsaPoseidon.PrivateToPublic(new byte[32]);
        for (int a = 0; a < accounts; a++) Require(engine.Execute(Command.Deposit(0, a, key, 10_000_000 * Usd)));
        engine.Events.Clear();
        return engine;
    }

    private static void Require(Outcome o)
    {
        if (!o.Accepted) throw new InvalidOperationException($"simulation setup refused: {o.Code}");
    }

    private ulong Next()
    {
        // splitmix64: small, well known, reproducible anywhere.
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private int Below(int n) => (int)(Next() % (ulong)n);

    /// <summary>The next command of the stream.</summary>
    public Command Next(out bool isOracle)
    {
        count++;
        Time++;
        isOracle = oracleEvery > 0 && count % oracleEvery == 0;
        if (isOracle)
        {
            int u = (int)(count / oracleEvery % 4);
            long index = engine.IndexPrice(u);
            return (count / oracleEvery) % 8 == 7
                ? Command.Funding(Time, u)
                : Command.OracleIndex(Time, u, index + index / 1000 * (Below(5) - 2));
        }
        int acc = Below(accounts);
        int r = Below(100);
        if (r >= 97)
        {
            int inst = Below(instruments);
            var side = (Side)Below(2);
            return Command.Place(Time, acc, ++nonces[acc], inst, side, OrderType.Ioc, Price(inst, side, passive: false), Lots(inst), nextClientId++);
        }
        // Every resting order sits in one of the account's slots, so none is forgotten and the book stays bounded.
        int first = acc * OrdersPerAccount, pick = Below(OrdersPerAccount);
        if (r < 82 + 6)
        {
            for (int k = 0; k < OrdersPerAccount; k++)
            {
                int slot = first + (pick + k) % OrdersPerAccount;
                if (Live(acc, slot, out var o))
                    return r >= 82
                        ? Command.Cancel(Time, acc, ++nonces[acc], clientIds[slot])
                        : Command.Amend(Time, acc, ++nonces[acc], clientIds[slot], Moved(o), o.Quantity);
            }
        }
        for (int k = 0; k < OrdersPerAccount; k++)
        {
            int slot = first + (pick + k) % OrdersPerAccount;
            if (!Live(acc, slot, out _)) return Gtc(acc, slot);
        }
        return Command.Cancel(Time, acc, ++nonces[acc], clientIds[first + pick]);
    }

    private bool Live(int acc, int slot, out OrderView order)
    {
        order = default;
        return clientIds[slot] != 0 && engine.TryGetOrder(acc, clientIds[slot], out order);
    }

    private Command Gtc(int acc, int slot)
    {
        int inst = Below(instruments);
        var side = (Side)Below(2);
        long cid = clientIds[slot] = nextClientId++;
        return Command.Place(Time, acc, ++nonces[acc], inst, side, OrderType.Limit, Price(inst, side, passive: Below(10) != 0), Lots(inst), cid);
    }

    /// <summary>A new price for an amend, never the order's current one (that would be a no-op the engine refuses).</summary>
    private long Moved(OrderView o)
    {
        long p = Price(o.Instrument, o.Side, passive: Below(40) != 0);
        long tick = engine.Instrument(o.Instrument).TickSize;
        return p != o.Price ? p : o.Side == Side.Buy ? p - tick : p + tick;
    }

    /// <summary>A price a few ticks behind the mark on the order's own side (passive) or a little through it.</summary>
    private long Price(int inst, Side side, bool passive)
    {
        var s = engine.Instrument(inst);
        long mark = engine.MarkPrice(inst);
        long ticks = passive ? 1 + Below(40) : -Below(8);
        return mark + (side == Side.Buy ? -ticks : ticks) * s.TickSize;
    }

    private long Lots(int inst) => engine.Instrument(inst).LotSize * (1 + Below(10));
}
