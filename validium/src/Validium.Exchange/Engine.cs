using Validium.Crypto;

namespace Validium.Exchange;

/// <summary>
/// The exchange core: a deterministic state machine. Each <see cref="Execute"/> applies one command at the time it
/// carries and appends the resulting state changes to <see cref="Events"/>. Single-threaded by design: the sequencer
/// feeds it from one thread; signature checks (<see cref="OrderSigning"/>) run before, on any thread.
/// </summary>
public sealed partial class Engine
{
    public EngineConfig Config { get; }
    public EventLog Events { get; }

    private readonly Account?[] accounts;
    private readonly List<Market> markets = [];
    private readonly OrderPool pool;
    private readonly OrderMap orderMap;
    private readonly long[] shocks;
    private int[] scratch = new int[64];

    // Committed engine-wide state.
    public long Time { get; private set; }
    public long Sequence { get; private set; }
    private long orderSeq;
    public long FeePool { get; private set; }
    public long InsuranceFund { get; private set; }
    public long TotalDeposits { get; private set; }
    public long TotalWithdrawals { get; private set; }

    public Engine(EngineConfig config, EventLog? events = null)
    {
        if (config.Validate() is { } err) throw new ArgumentException(err, nameof(config));
        Config = config;
        Events = events ?? new EventLog();
        accounts = new Account?[config.MaxAccounts];
        pool = new OrderPool(config.OrderCapacity);
        orderMap = new OrderMap(config.OrderCapacity);
        shocks = [.. config.ScenarioShocksPpm];
        dirty = new LevelIndex(config.MaxAccounts);
        members = NewMembers(config.MaxAccounts);
        expiring = new PriorityQueue<(int, long), long>(config.OrderCapacity);
    }

    public int InstrumentCount => markets.Count;
    public int OpenOrders => pool.Count;

    public Outcome Execute(in Command c)
    {
        if (c.Time < Time) return Reject(c, RejectCode.TimeWentBackwards);
        Time = c.Time;
        var outcome = c.Kind switch
        {
            CommandKind.Place => Place(c),
            CommandKind.Cancel => Cancel(c),
            CommandKind.Amend => Amend(c),
            CommandKind.CancelAll => CancelAll(c),
            CommandKind.Deposit => Deposit(c),
            CommandKind.Withdraw => Withdraw(c),
            CommandKind.OracleIndex => OracleIndex(c),
            CommandKind.OracleOption => OracleOption(c),
            CommandKind.OracleRound => OracleRound(c),
            CommandKind.Funding => Funding(c),
            CommandKind.ListInstrument => List(c),
            _ => new Outcome(RejectCode.BadOrderType),
        };
        if (!outcome.Accepted) Reject(c, outcome.Code);
        return outcome;
    }

    /// <summary>Checks a signed trader command and executes it: the convenience path when verification need not be split off.</summary>
    public Outcome ExecuteSigned(in Command c, EdDsaSignature signature)
    {
        var acc = AccountOrNull(c.Account);
        if (acc is null) return Execute(c); // rejected there as UnknownAccount
        if (!OrderSigning.Verify(c, signature, acc.Key))
        {
            if (c.Time >= Time) Time = c.Time;
            return Reject(c, RejectCode.BadSignature);
        }
        return Execute(c);
    }

    /// <summary>The key a verifier thread should check a trader command against (keys never change once set).</summary>
    public bool TryGetAccountKey(int account, out BabyJubjubPoint key)
    {
        var a = AccountOrNull(account);
        key = a?.Key ?? default;
        return a is not null;
    }

    private Outcome Reject(in Command c, RejectCode code)
    {
        ref var e = ref Emit(EventKind.Rejected);
        e.Account = c.Account;
        e.Instrument = c.Instrument;
        e.ClientId = c.ClientId;
        e.Reason = (byte)code;
        e.Amount = (long)c.Kind;
        return new Outcome(code);
    }

    private ref Event Emit(EventKind kind)
    {
        ref var e = ref Events.Append();
        e.Seq = ++Sequence;
        e.Time = Time;
        e.Kind = kind;
        return ref e;
    }

    private Account? AccountOrNull(int id) => (uint)id < (uint)accounts.Length ? accounts[id] : null;

    private Market? MarketOrNull(int id) => (uint)id < (uint)markets.Count ? markets[id] : null;

    /// <summary>Checks and consumes a trader command's nonce: it must exceed the last one used (gaps allowed).</summary>
    private RejectCode Authorise(in Command c, out Account acc)
    {
        acc = AccountOrNull(c.Account)!;
        if (acc is null) return RejectCode.UnknownAccount;
        if (c.Nonce <= acc.Nonce) return RejectCode.BadNonce;
        acc.Nonce = c.Nonce;
        return RejectCode.None;
    }

    private Outcome Deposit(in Command c)
    {
        if ((uint)c.Account >= (uint)accounts.Length) return new(RejectCode.AccountLimit);
        if (c.Amount <= 0 || c.Amount > long.MaxValue / 4 - TotalDeposits) return new(RejectCode.BadAmount);
        var acc = accounts[c.Account];
        if (acc is null)
        {
            if (c.Payload is not BabyJubjubPoint key || !key.IsOnCurve) return new(RejectCode.KeyMismatch);
            acc = accounts[c.Account] = new Account(c.Account, key, markets.Count, shocks.Length);
        }
        acc.Collateral += c.Amount;
        TotalDeposits += c.Amount;
        MarkDirty(acc);
        ref var e = ref Emit(EventKind.Deposit);
        e.Account = c.Account;
        e.Amount = c.Amount;
        return Outcome.Ok();
    }

    /// <summary>An L1 withdrawal request: needs the amount in settled collateral and in free collateral.</summary>
    private Outcome Withdraw(in Command c)
    {
        var acc = AccountOrNull(c.Account);
        if (acc is null) return new(RejectCode.UnknownAccount);
        if (c.Amount <= 0) return new(RejectCode.BadAmount);
        if (c.Amount > acc.Collateral || c.Amount > acc.FreeCollateral) return new(RejectCode.InsufficientCollateral);
        acc.Collateral -= c.Amount;
        TotalWithdrawals += c.Amount;
        MarkDirty(acc);
        ref var e = ref Emit(EventKind.Withdrawal);
        e.Account = c.Account;
        e.Amount = c.Amount;
        return Outcome.Ok();
    }

    private Outcome List(in Command c)
    {
        if (c.Payload is not InstrumentSpec spec || spec.Validate() is not null) return new(RejectCode.BadInstrumentSpec);
        if (markets.Count >= Limits.MaxInstruments) return new(RejectCode.InstrumentLimit);
        var m = new Market(markets.Count, spec, shocks.Length);
        markets.Add(m);
        groups[spec.Underlying].Add(m);
        RefreshRiskFigures(m);
        ref var e = ref Emit(EventKind.InstrumentListed);
        e.Instrument = m.Id;
        return Outcome.Ok();
    }

    // Read-only views for the sequencer, tests and tools.

    public InstrumentSpec Instrument(int id) => markets[id].Spec;

    public long MarkPrice(int instrument) => markets[instrument].MarkTicks * markets[instrument].Spec.TickSize;

    public long IndexPrice(int instrument) => markets[instrument].IndexTicks * markets[instrument].Spec.TickSize;

    public long FundingIndex(int instrument) => markets[instrument].FundingIndex;

    public bool IsExpired(int instrument) => markets[instrument].Expired;

    /// <summary>Best bid and ask (raw prices; -1 when that side is empty).</summary>
    public (long Bid, long Ask) BestPrices(int instrument)
    {
        var m = markets[instrument];
        long t = m.Spec.TickSize;
        return (m.Book.BestBid < 0 ? -1 : m.Book.BestBid * t, m.Book.BestAsk < 0 ? -1 : m.Book.BestAsk * t);
    }

    public bool IsCrossed(int instrument) => markets[instrument].Book.IsCrossed;

    public bool HasAccount(int id) => AccountOrNull(id) is not null;

    public IEnumerable<int> AccountIds()
    {
        for (int i = 0; i < accounts.Length; i++)
            if (accounts[i] is not null) yield return i;
    }

    public AccountView Account(int id)
    {
        var a = AccountOrNull(id) ?? throw new ArgumentOutOfRangeException(nameof(id), $"no account {id}");
        return new AccountView(a.Id, a.Nonce, a.Collateral, a.TotalValue, a.Im + a.OrderCharge, a.Mm, a.FreeCollateral, a.OrderCount);
    }

    /// <summary>Signed position (raw quantity) and its open cost (collateral micro-units).</summary>
    public (long Quantity, long Cost) Position(int account, int instrument)
    {
        var a = AccountOrNull(account);
        if (a is null || instrument >= a.Exposures.Length) return (0, 0);
        var x = a.Exposures[instrument];
        return (x.Lots * markets[instrument].Spec.LotSize, x.Cost);
    }

    public bool TryGetOrder(int account, long clientId, out OrderView order)
    {
        order = default;
        if (!orderMap.TryGet(account, clientId, out int n)) return false;
        ref var o = ref pool.Nodes[n];
        var s = markets[o.Instrument].Spec;
        order = new OrderView(o.OrderId, o.Account, o.ClientId, o.Instrument, o.Side, o.PriceTicks * s.TickSize, o.Lots * s.LotSize, o.FilledLots * s.LotSize,
            o.PostOnly ? OrderType.PostOnly : OrderType.Limit, o.ExpiresAt, o.ReduceOnly, o.Stp);
        return true;
    }

    /// <summary>Net delta (ppm-weighted raw quantity: perpetuals count 1, options their oracle delta) and gamma per underlying.</summary>
    public (long Delta, long Gamma) Greeks(int account, int underlying)
    {
        var a = AccountOrNull(account);
        if (a is null) return (0, 0);
        long delta = 0, gamma = 0;
        for (int i = 0; i < markets.Count && i < a.Exposures.Length; i++)
        {
            var m = markets[i];
            long q = a.Exposures[i].Lots * m.Spec.LotSize;
            if (q == 0 || m.Spec.Underlying != underlying) continue;
            delta += m.Spec.IsOption ? q * m.DeltaPpm / 1_000_000 : q;
            gamma += m.Spec.IsOption ? q * m.GammaPpm / 1_000_000 : 0;
        }
        return (delta, gamma);
    }
}

public readonly record struct AccountView(int Id, long Nonce, long Collateral, long TotalValue, long InitialMargin, long MaintenanceMargin, long FreeCollateral, int OpenOrders);

/// <summary>An open order; <see cref="Type"/>, <see cref="ExpiresAt"/>, <see cref="ReduceOnly"/> and <see cref="Stp"/> are what an amend of it must carry.</summary>
public readonly record struct OrderView(long OrderId, int Account, long ClientId, int Instrument, Side Side, long Price, long Quantity, long Filled,
    OrderType Type, long ExpiresAt, bool ReduceOnly, SelfTradePrevention Stp)
{
    /// <summary>The amend of this order to a new price and remaining quantity (unsigned: the caller signs it).</summary>
    public Command Amend(long time, long nonce, long price, long quantity) =>
        Command.Amend(time, Account, nonce, ClientId, price, quantity, Instrument, Side, Type, ExpiresAt, ReduceOnly, Stp);
}
