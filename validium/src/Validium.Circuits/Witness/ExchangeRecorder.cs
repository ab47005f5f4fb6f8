using System.Collections.Immutable;
using System.Numerics;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Circuits.Witness;

/// <summary>
/// Drives an <see cref="Engine"/> and turns what it reports into batch operations: deposits as the L1 queued them,
/// each Trade event as a <see cref="TradeOp"/> carrying the two signed orders behind it, accepted withdrawals with
/// their signed requests, liquidations with every transfer, cover and loss, and the oracle round of the engine's current marks. The engine decides; the circuit checks
/// what its events claim. Batches are cut at oracle commits: a batch is proven against one committed round.
/// </summary>
public sealed partial class ExchangeRecorder(Engine engine)
{
    // Orders still on the book, with what is left of them in the order's raw quantity; an order that has traded
    // fully or left the book is dropped, so a long-running node does not keep every order it ever saw.
    private readonly Dictionary<long, OpenOrder> orders = [];
    private readonly List<DepositOp> deposits = [];
    private readonly List<TradeOp> trades = [];
    private readonly List<WithdrawalOp> withdrawals = [];
    private int seen = engine.Events.Count;

    public Engine Engine { get; } = engine;

    /// <summary>The circuit's instrument table for the engine's listed instruments.</summary>
    public ImmutableArray<InstrumentParams> Instruments() =>
        [.. Enumerable.Range(0, Engine.InstrumentCount).Select(i => InstrumentParams.FromSpec(Engine.Instrument(i)))];

    /// <summary>The engine's funding caps per listed instrument, for a circuit with funding slots.</summary>
    public ImmutableArray<int> FundingCaps() => [.. Enumerable.Range(0, Engine.InstrumentCount).Select(i => Engine.Instrument(i).FundingCapPpm)];

    /// <summary>The engine's premium caps per listed instrument, for a circuit with funding slots.</summary>
    public ImmutableArray<int> PremiumCaps() => [.. Enumerable.Range(0, Engine.InstrumentCount).Select(i => Engine.Instrument(i).PremiumCapPpm)];

    /// <summary>
    /// Marks per lot (the circuit's and the escape's price unit): mark ticks × cash per tick-lot, then each option's
    /// spot (<see cref="SpotSlots"/>). An option's mark is at least one tick: before its first mark and after expiry
    /// (intrinsic, maybe 0) nobody holds it, and the round's prices must be non-zero.
    /// </summary>
    public OracleRound OracleRound(ulong round, ulong timestampSeconds) =>
        new(round, timestampSeconds, [.. Enumerable.Range(0, Engine.InstrumentCount).Select(i =>
        {
            var s = Engine.Instrument(i);
            long ticks = Engine.MarkPrice(i) / s.TickSize;
            return checked((ulong)((s.IsOption ? Math.Max(1, ticks) : ticks) * s.CashPerTickLot));
        }).Concat(SpotSlots())]);

    public Outcome Deposit(long time, int account, BabyJubjubPoint key, long amount, BigInteger depositor)
    {
        var outcome = Engine.Execute(Command.Deposit(time, account, key, amount));
        Drain(null);
        if (outcome.Accepted) deposits.Add(new DepositOp((ulong)account, key, (ulong)amount, depositor));
        return outcome;
    }

    /// <summary>A signed place order: the engine verifies it and matches it; every resulting trade is recorded.</summary>
    public Outcome Place(in Command order, EdDsaSignature signature) => Signed(order, signature, verified: false);

    /// <summary>
    /// A signed amend (ORDERS.md: it signs the whole order with its new price and remaining quantity): the order's later
    /// trades are proven from the amend's signature, which is the only one that allows its new price.
    /// </summary>
    public Outcome Amend(in Command amend, EdDsaSignature signature) => Signed(amend, signature, verified: false);

    /// <summary>
    /// A signed place or amend. With <paramref name="verified"/> the caller has already checked the signature against
    /// the account's key (on an intake thread, off the matching thread), and the engine matches it without checking
    /// again; the batch circuit still checks it.
    /// </summary>
    public Outcome Signed(in Command order, EdDsaSignature signature, bool verified)
    {
        if (order.Kind is not (CommandKind.Place or CommandKind.Amend)) throw new ArgumentException($"{order.Kind} is not a place or an amend", nameof(order));
        var outcome = verified ? Engine.Execute(order) : Engine.ExecuteSigned(order, signature);
        Drain(new SignedOrder(order, signature));
        return outcome;
    }

    public Outcome Execute(in Command command)
    {
        var outcome = Engine.Execute(command);
        Drain(null);
        return outcome;
    }

    /// <summary>A withdrawal the account's key signed (<see cref="BatchEncoding.WithdrawalMessage"/>); recorded when the engine allows it.</summary>
    public Outcome Withdraw(long time, int account, long amount, ulong nonce, BigInteger recipient, EdDsaSignature signature)
    {
        var outcome = Engine.Execute(Command.Withdraw(time, account, amount));
        Drain(null);
        if (outcome.Accepted) withdrawals.Add(new WithdrawalOp((ulong)account, nonce, (ulong)amount, recipient, signature));
        return outcome;
    }

    public int PendingDeposits => deposits.Count;
    public int PendingTrades => trades.Count;
    public int PendingWithdrawals => withdrawals.Count;

    /// <summary>Everything recorded since the last call, in the engine's order within each kind.</summary>
    public (List<DepositOp> Deposits, List<TradeOp> Trades, List<WithdrawalOp> Withdrawals) TakeBatch()
    {
        var r = (deposits.ToList(), trades.ToList(), withdrawals.ToList());
        deposits.Clear();
        trades.Clear();
        withdrawals.Clear();
        return r;
    }

    /// <summary>
    /// Empties the engine's event log once the caller has read the last command's events, so a long-running recorder
    /// does not keep every event ever emitted; the recorder has already taken what it needs from them.
    /// </summary>
    public void ReleaseEvents()
    {
        if (seen != Engine.Events.Count) throw new InvalidOperationException("the engine has events the recorder has not seen; execute through the recorder");
        Engine.Events.Clear();
        seen = 0;
    }

    private void Drain(SignedOrder? current)
    {
        var events = Engine.Events.Events;
        if (seen > events.Length) throw new InvalidOperationException("the engine's event log was cleared behind the recorder's back; it must be the log's only reader");
        for (; seen < events.Length; seen++)
        {
            ref readonly var e = ref events[seen];
            if (LiquidationEvent(in e) || FundingEvent(in e) || ExpiryEvent(in e)) continue;
            if (e.Kind == EventKind.Accepted && current is { Order.Kind: CommandKind.Place }) orders[e.OrderId] = new OpenOrder(current, current.Order.Quantity);
            else if (e.Kind == EventKind.Trade)
            {
                var spec = Engine.Instrument(e.Instrument);
                if (!orders.TryGetValue(e.OrderId, out var taker) || !orders.TryGetValue(e.CounterOrderId, out var maker))
                    throw new InvalidOperationException($"trade event {e.Seq} involves an order this recorder holds no signature for (placed or amended without one)");
                trades.Add(new TradeOp(taker.Signed, maker.Signed, e.Price / spec.TickSize, e.Quantity / spec.LotSize));
                Traded(e.OrderId, taker, e.Quantity);
                Traded(e.CounterOrderId, maker, e.Quantity);
            }
            else if (e.Kind == EventKind.Cancelled) orders.Remove(e.OrderId);
            else if (e.Kind == EventKind.Amended)
            {
                // From now on only the amend's signature allows the order's price and remaining quantity; an amend
                // executed without one leaves the order unprovable, and a trade of it then names that.
                if (current is { Order.Kind: CommandKind.Amend }) orders[e.OrderId] = new OpenOrder(current, e.Quantity);
                else orders.Remove(e.OrderId);
            }
            else if (e.Kind is EventKind.ForcedWithdrawal or EventKind.ForcedTrade) RecordForced(e);
        }
        FinishLiquidation();
    }

    /// <summary>Orders the recorder still holds for trades to come (the book's open orders).</summary>
    public int OpenOrders => orders.Count;

    private void Traded(long orderId, OpenOrder order, long quantity)
    {
        order.Remaining -= quantity;
        if (order.Remaining <= 0) orders.Remove(orderId);
    }

    private sealed class OpenOrder(SignedOrder signed, long remaining)
    {
        public SignedOrder Signed { get; } = signed;
        public long Remaining { get; set; } = remaining;
    }
}
