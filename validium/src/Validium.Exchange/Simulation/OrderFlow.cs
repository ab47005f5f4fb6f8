using Validium.Crypto;

namespace Validium.Exchange.Simulation;

/// <summary>What a generated command is, for counting the realised mix.</summary>
public enum FlowKind : byte { Fill, Amend, Gtc, Ioc, Cancel, Oracle }

/// <summary>
/// A deterministic synthetic order flow for load runs in exchange-core's published mix: 82% amends (order moves),
/// 9% GTC limits, 3% IOC, 6% cancels, over several perpetuals and options and many accounts, with an oracle index
/// commit (every eighth time a funding period instead) every <c>oracleEvery</c> commands (0: none).
/// <para>
/// As in exchange-core's generator, the book is filled first (<see cref="Filling"/>: passive GTC orders up to
/// <see cref="TargetPerAccount"/> resting orders per account on average), so an amend or cancel always finds an
/// order to act on and the drawn mix is the realised one. The book is then held near its target without bending
/// the mix: amends reach through the mark more often while the book is above target, so fills take out as many
/// orders as GTCs and cancels leave. Same seed, same stream: the generator reads only engine state, itself deterministic.
/// </para>
/// </summary>
public sealed class OrderFlow
{
    public const long Usd = 1_000_000;
    public const int OrdersPerAccount = 32;
    /// <summary>
    /// Resting orders per account the book is held at: with the default 2,000 accounts and 12 instruments, about 1,000
    /// per book, the size exchange-core's single-symbol benchmark holds its book at.
    /// </summary>
    public const int TargetPerAccount = 6;
    /// <summary>The stream's clock: 1,000 commands per millisecond, the 1,000,000 commands/s the latency target is set for.</summary>
    public const int CommandsPerMs = 1000;

    private readonly Engine engine;
    private readonly int accounts;
    private readonly int instruments;
    private readonly long[] clientIds;   // [account × slot] → client id of an order the account may still have open, 0 = none
    private readonly long[] nonces;
    private readonly int oracleEvery;
    private readonly long startTime;
    private readonly int target;
    private ulong state;
    private long nextClientId;
    private long count;

    public OrderFlow(Engine engine, int accounts, ulong seed, int oracleEvery = 250_000, long firstClientId = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(oracleEvery);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstClientId, 1);
        this.engine = engine;
        this.accounts = accounts;
        this.oracleEvery = oracleEvery;
        instruments = engine.InstrumentCount;
        clientIds = new long[accounts * OrdersPerAccount];
        // Nonces continue from the engine's, so a flow can resume on a restored engine.
        nonces = new long[accounts];
        for (int a = 0; a < accounts; a++) nonces[a] = engine.HasAccount(a) ? engine.Account(a).Nonce : 0;
        state = seed ^ 0x9E3779B97F4A7C15UL;
        nextClientId = firstClientId;
        startTime = Math.Max(1, engine.Time);
        target = accounts * TargetPerAccount;
        Time = startTime;
    }

    public long Time { get; private set; }

    /// <summary>True while the book is still being filled to its target; the commands meanwhile are <see cref="FlowKind.Fill"/>.</summary>
    public bool Filling
    {
        get
        {
            // Once reached, the target is never looked at again: the fill phase happens once, at the start.
            if (!filled && engine.OpenOrders >= target) filled = true;
            return !filled;
        }
    }

    private bool filled;

    /// <summary>Amends or cancels that found no open order and became a GTC instead (zero once the book is filled).</summary>
    public long Substituted { get; private set; }

    /// <summary>Setup for <see cref="CreateMarket"/>: 4 perpetuals (one per underlying), 8 options on the first two underlyings, oracle prices, funded accounts.</summary>
    public static List<Command> SetupCommands(int accounts)
    {
        var list = new List<Command>();
        long[] spots = [50_000, 3_000, 150, 20];
        for (int u = 0; u < spots.Length; u++)
        {
            // A tick is 1/100,000 of spot (the ±10% band spans 20,000 levels); cheap underlyings trade in larger lots.
            long tick = spots[u] * Usd / 100_000, lot = u < 2 ? 100_000 : 10_000_000;
            list.Add(Command.List(0, new InstrumentSpec
            {
                Kind = InstrumentKind.Perpetual, Underlying = u, TickSize = tick, LotSize = lot, QuantityDecimals = 8,
                MinQuantity = lot, MaxQuantity = lot * 10_000, MaxPrice = tick * 400_000, MaxPosition = lot * 1_000_000,
                MakerFeePpm = -50, TakerFeePpm = 400, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
                PremiumCapPpm = 5_000, FundingCapPpm = 750,
            }));
        }
        var options = new List<InstrumentSpec>();
        for (int u = 0; u < 2; u++)
            foreach (var kind in (InstrumentKind[])[InstrumentKind.Call, InstrumentKind.Put])
                foreach (long k in (long[])[95, 105])
                {
                    long tick = spots[u] * Usd / 10_000;
                    options.Add(new InstrumentSpec
                    {
                        Kind = kind, Underlying = u, Strike = spots[u] * k / 100 * Usd / tick * tick, Expiry = long.MaxValue / 2, TickSize = tick,
                        LotSize = 1_000_000, QuantityDecimals = 8, MinQuantity = 1_000_000, MaxQuantity = 10_000_000_000, MaxPrice = tick * 20_000,
                        MaxPosition = 1_000_000_000_000, MakerFeePpm = 0, TakerFeePpm = 300, InitialMarginPpm = 150_000,
                        MaintenanceMarginPpm = 100_000, BandPpm = 500_000,
                    });
                }
        list.AddRange(options.Select(s => Command.List(0, s)));
        for (int u = 0; u < spots.Length; u++) list.Add(Command.OracleIndex(0, u, spots[u] * Usd));
        for (int i = 0; i < options.Count; i++)
        {
            var s = options[i];
            long spot = spots[s.Underlying] * Usd;
            long intrinsic = Math.Max(0, s.Kind == InstrumentKind.Call ? spot - s.Strike : s.Strike - spot);
            long mark = intrinsic + spot / 40 / s.TickSize * s.TickSize;
            list.Add(Command.OracleOption(0, spots.Length + i, mark, s.Kind == InstrumentKind.Call ? 500_000 : -500_000, 40_000));
        }
        // One throwaway key for every account: signature checks are measured separately, not in the matching run.
        var key = EdDsaPoseidon.PrivateToPublic(new byte[32]);
        for (int a = 0; a < accounts; a++) list.Add(Command.Deposit(0, a, key, 10_000_000 * Usd));
        return list;
    }

    /// <summary>An engine with the <see cref="SetupCommands"/> executed and its events cleared.</summary>
    public static Engine CreateMarket(int accounts, int orderCapacity, EventLog events)
    {
        var engine = new Engine(new EngineConfig { MaxAccounts = accounts, OrderCapacity = orderCapacity }, events);
        foreach (var c in SetupCommands(accounts))
        {
            var o = engine.Execute(c);
            if (!o.Accepted) throw new InvalidOperationException($"simulation setup refused {c.Kind}: {o.Code}");
        }
        engine.Events.Clear();
        return engine;
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

    /// <summary>The next command of the stream and what it is.</summary>
    public Command Next(out FlowKind kind)
    {
        if (Filling)
        {
            kind = FlowKind.Fill;
            return Gtc(FreeSlot(Below(accounts)), aggressive: false);
        }
        count++;
        Time = startTime + count / CommandsPerMs;
        if (oracleEvery > 0 && count % oracleEvery == 0)
        {
            kind = FlowKind.Oracle;
            long k = count / oracleEvery;
            int u = (int)(k % 4);
            long index = engine.IndexPrice(u);
            return k % 8 == 7 ? Command.Funding(Time, u) : Command.OracleIndex(Time, u, index + index / 1000 * (Below(5) - 2));
        }
        int r = Below(100);
        if (r >= 97)
        {
            kind = FlowKind.Ioc;
            int acc = Below(accounts), inst = Below(instruments);
            var side = (Side)Below(2);
            // IOCs take a few lots (resting orders hold up to ten), so they mostly trim makers rather than empty the book.
            return Command.Place(Time, acc, ++nonces[acc], inst, side, OrderType.Ioc, Price(inst, side, passive: false), Lots(inst, 3), nextClientId++);
        }
        if (r < 88 && LiveSlot(Below(accounts), out int slot, out var order))
        {
            int acc = slot / OrdersPerAccount;
            if (r >= 82)
            {
                kind = FlowKind.Cancel;
                return Command.Cancel(Time, acc, ++nonces[acc], clientIds[slot]);
            }
            kind = FlowKind.Amend;
            bool through = Below(Above ? 10 : 200) == 0;
            return order.Amend(Time, ++nonces[acc], Moved(order, through), order.Quantity);
        }
        if (r < 88) Substituted++;
        kind = FlowKind.Gtc;
        return Gtc(FreeSlot(Below(accounts)), aggressive: Below(Above ? 10 : 50) == 0);
    }

    /// <summary>
    /// The book's size is steered by how often amends and GTCs reach through the mark (and so trade orders away):
    /// more often while it holds more than its target.
    /// </summary>
    private bool Above => engine.OpenOrders > target;

    /// <summary>A slot holding an open order, searched from the given account onward; false only when no account has one.</summary>
    private bool LiveSlot(int from, out int slot, out OrderView order)
    {
        for (int k = 0; k < accounts; k++)
        {
            int acc = (from + k) % accounts, first = acc * OrdersPerAccount, pick = Below(OrdersPerAccount);
            for (int j = 0; j < OrdersPerAccount; j++)
            {
                slot = first + (pick + j) % OrdersPerAccount;
                if (clientIds[slot] != 0 && engine.TryGetOrder(acc, clientIds[slot], out order)) return true;
            }
        }
        slot = -1;
        order = default;
        return false;
    }

    /// <summary>A slot with no open order, searched from the given account onward (the book is kept far below the slots' capacity).</summary>
    private int FreeSlot(int from)
    {
        for (int k = 0; k < accounts; k++)
        {
            int acc = (from + k) % accounts, first = acc * OrdersPerAccount, pick = Below(OrdersPerAccount);
            for (int j = 0; j < OrdersPerAccount; j++)
            {
                int slot = first + (pick + j) % OrdersPerAccount;
                if (clientIds[slot] == 0 || !engine.TryGetOrder(acc, clientIds[slot], out _)) return slot;
            }
        }
        throw new InvalidOperationException("every order slot of every account is in use");
    }

    private Command Gtc(int slot, bool aggressive)
    {
        int acc = slot / OrdersPerAccount, inst = Below(instruments);
        var side = (Side)Below(2);
        long cid = clientIds[slot] = nextClientId++;
        return Command.Place(Time, acc, ++nonces[acc], inst, side, OrderType.Limit, Price(inst, side, passive: !aggressive), Lots(inst, 10), cid);
    }

    /// <summary>A new price for an amend, never the order's current one (that would be a no-op the engine refuses).</summary>
    private long Moved(OrderView o, bool through)
    {
        long p = Price(o.Instrument, o.Side, passive: !through);
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

    private long Lots(int inst, int most) => engine.Instrument(inst).LotSize * (1 + Below(most));
}
