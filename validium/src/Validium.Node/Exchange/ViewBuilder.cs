using System.Collections.Immutable;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Node.Exchange;

/// <summary>What one command changed, for subscribers: books redrawn, trades, per-account order events and fills.</summary>
internal sealed record ViewDelta(ImmutableArray<BookDepth> Books, ImmutableArray<TradeView> Trades, ImmutableArray<AccountUpdate> Accounts)
{
    public static ViewDelta None { get; } = new([], [], []);
}

/// <summary>
/// Keeps <see cref="ExchangeView"/> up to date on the apply thread: after each command it re-reads from the engine
/// only what the command's events touched (its accounts, its instruments' books), or everything after a command that
/// re-marks (oracle, funding, listing), and publishes a new immutable view.
/// </summary>
internal sealed class ViewBuilder(int depthLevels, int fillHistory, int tradeHistory)
{
    private readonly Dictionary<int, Dictionary<long, long>> liveOrders = [];
    private readonly Dictionary<long, long> clientIdOfOrder = [];
    private ExchangeView view = ExchangeView.Empty;

    public ExchangeView View => Volatile.Read(ref view);

    public ViewDelta Update(Engine engine, long sequence, long time, ReadOnlySpan<Event> events, bool everything, Func<int, ulong> withdrawalNonce,
        long lastL1Operation, ulong lastOracleRound)
    {
        var old = view;
        var accounts = new HashSet<int>();
        var instruments = new HashSet<int>();
        var orderUpdates = new Dictionary<int, List<OrderUpdate>>();
        var fills = new Dictionary<int, List<FillView>>();
        var trades = ImmutableArray.CreateBuilder<TradeView>();
        foreach (ref readonly var e in events)
        {
            switch (e.Kind)
            {
                case EventKind.Accepted:
                    var live = Live(e.Account);
                    if (live.TryGetValue(e.ClientId, out long replaced)) clientIdOfOrder.Remove(replaced);
                    live[e.ClientId] = e.OrderId;
                    clientIdOfOrder[e.OrderId] = e.ClientId;
                    goto case EventKind.Amended;
                case EventKind.Cancelled:
                case EventKind.Amended:
                case EventKind.Rejected:
                    accounts.Add(e.Account);
                    if (e.Kind != EventKind.Rejected) instruments.Add(e.Instrument);
                    Add(orderUpdates, e.Account, new OrderUpdate(sequence, e.Time, e.Kind, e.Instrument, e.OrderId, e.ClientId, e.Side, e.Price, e.Quantity, e.Reason));
                    break;
                case EventKind.Trade:
                    accounts.Add(e.Account);
                    accounts.Add(e.Counterparty);
                    instruments.Add(e.Instrument);
                    var makerSide = e.Side == Side.Buy ? Side.Sell : Side.Buy;
                    Add(fills, e.Account, new FillView(sequence, e.Time, e.Account, e.Instrument, e.OrderId, e.ClientId, e.Side, e.Price, e.Quantity, e.Amount, false));
                    Add(fills, e.Counterparty, new FillView(sequence, e.Time, e.Counterparty, e.Instrument, e.CounterOrderId,
                        clientIdOfOrder.GetValueOrDefault(e.CounterOrderId, -1), makerSide, e.Price, e.Quantity, e.Amount2, true));
                    trades.Add(new TradeView(sequence, e.Time, e.Instrument, e.Side, e.Price, e.Quantity, e.Account, e.Counterparty));
                    break;
                default:
                    accounts.Add(e.Account);
                    if (e.Kind is EventKind.PositionTransfer or EventKind.Deleverage or EventKind.ForcedTrade) accounts.Add(e.Counterparty);
                    break;
            }
        }
        if (everything)
        {
            accounts.UnionWith(engine.AccountIds());
            for (int i = 0; i < engine.InstrumentCount; i++) instruments.Add(i);
        }

        var accountMap = old.Accounts.ToBuilder();
        var accountUpdates = ImmutableArray.CreateBuilder<AccountUpdate>();
        foreach (int id in accounts.Order())
        {
            if (!engine.HasAccount(id)) continue;
            var previous = old.Accounts.GetValueOrDefault(id);
            var history = previous?.Fills ?? [];
            if (fills.TryGetValue(id, out var newFills))
            {
                history = history.AddRange(newFills);
                if (history.Count > fillHistory) history = history.RemoveRange(0, history.Count - fillHistory);
            }
            var state = Account(engine, id, withdrawalNonce(id), history);
            accountMap[id] = state;
            var orders = orderUpdates.TryGetValue(id, out var o) ? [.. o] : ImmutableArray<OrderUpdate>.Empty;
            accountUpdates.Add(new AccountUpdate(sequence, id, orders, newFills is null ? [] : [.. newFills], state));
        }
        // Refusals of commands for accounts that do not exist still reach whoever watches that account number.
        foreach (var (id, list) in orderUpdates)
            if (!engine.HasAccount(id)) accountUpdates.Add(new AccountUpdate(sequence, id, [.. list], [], null));

        var infos = old.Instruments.ToBuilder();
        var books = old.Books.ToBuilder();
        var changedBooks = ImmutableArray.CreateBuilder<BookDepth>();
        for (int i = infos.Count; i < engine.InstrumentCount; i++)
        {
            infos.Add(null!);
            books.Add(null!);
        }
        foreach (int i in instruments.Order())
        {
            var (bid, ask) = engine.BestPrices(i);
            infos[i] = new InstrumentInfo(i, engine.Instrument(i), engine.MarkPrice(i), engine.IndexPrice(i), engine.FundingIndex(i), bid, ask, engine.IsExpired(i));
            var book = new BookDepth(i, sequence, [.. engine.Depth(i, Side.Buy, depthLevels)], [.. engine.Depth(i, Side.Sell, depthLevels)]);
            if (old.Books.Length <= i || !SameLevels(old.Books[i], book)) changedBooks.Add(book);
            books[i] = book;
        }

        var tape = old.RecentTrades;
        if (trades.Count > 0)
        {
            tape = tape.AddRange(trades);
            if (tape.Count > tradeHistory) tape = tape.RemoveRange(0, tape.Count - tradeHistory);
        }
        Volatile.Write(ref view, new ExchangeView(sequence, time, infos.ToImmutable(), accountMap.ToImmutable(), books.ToImmutable(), tape, lastL1Operation, lastOracleRound));
        return changedBooks.Count == 0 && trades.Count == 0 && accountUpdates.Count == 0
            ? ViewDelta.None
            : new ViewDelta(changedBooks.ToImmutable(), trades.ToImmutable(), accountUpdates.ToImmutable());
    }

    /// <summary>Publishes the sequence of a command that changed nothing (refused before the engine saw it).</summary>
    public void Touch(long sequence, long time) => Volatile.Write(ref view, view with { Sequence = sequence, Time = time });

    private static bool SameLevels(BookDepth a, BookDepth b) => a.Bids.SequenceEqual(b.Bids) && a.Asks.SequenceEqual(b.Asks);

    /// <summary>Client id → order id of an account's orders that may still rest (re-checked against the engine on every refresh).</summary>
    private Dictionary<long, long> Live(int account)
    {
        if (!liveOrders.TryGetValue(account, out var map)) liveOrders[account] = map = [];
        return map;
    }

    private AccountState Account(Engine engine, int id, ulong withdrawalNonce, ImmutableList<FillView> fills)
    {
        var orders = ImmutableArray.CreateBuilder<OrderView>();
        if (liveOrders.TryGetValue(id, out var live))
        {
            foreach (var (clientId, orderId) in live.ToList())
            {
                if (engine.TryGetOrder(id, clientId, out var order) && order.OrderId == orderId)
                {
                    orders.Add(order);
                    continue;
                }
                live.Remove(clientId);
                clientIdOfOrder.Remove(orderId);
            }
        }
        orders.Sort((a, b) => a.OrderId.CompareTo(b.OrderId));
        var positions = ImmutableArray.CreateBuilder<PositionView>();
        var underlyings = new SortedSet<int>();
        for (int i = 0; i < engine.InstrumentCount; i++)
        {
            var (q, cost) = engine.Position(id, i);
            if (q != 0 || cost != 0) positions.Add(new PositionView(i, q, cost));
            if (q != 0) underlyings.Add(engine.Instrument(i).Underlying);
        }
        var greeks = underlyings.Select(u =>
        {
            var (d, g) = engine.Greeks(id, u);
            return new GreeksView(u, d, g);
        }).ToImmutableArray();
        engine.TryGetAccountKey(id, out BabyJubjubPoint key);
        return new AccountState(engine.Account(id), key, withdrawalNonce, positions.ToImmutable(), greeks, orders.ToImmutable(), fills);
    }

    private static void Add<T>(Dictionary<int, List<T>> map, int key, T item)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(item);
    }
}
