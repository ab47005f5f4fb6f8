using System.Diagnostics;
using System.Globalization;
using System.Net;
using Validium.DevNet;
using Validium.Exchange;
using Validium.Node.Client;

namespace Validium.Demo;

/// <summary>What one trader sent and what became of it; read by the progress display while the trader runs.</summary>
public sealed class TraderCounters
{
    private long sent, accepted, rejected;

    public long Sent => Interlocked.Read(ref sent);
    public long Accepted => Interlocked.Read(ref accepted);
    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>The last rejection's code and message, so a demo that trades nothing can say why.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>Where every command's timing goes as well, for the run's throughput and latency figures; null keeps none.</summary>
    public OrderLog? Log { get; init; }

    internal void Record(CommandResult result, int account, long nonce, long startTicks)
    {
        Log?.Add(account, nonce, Stopwatch.GetElapsedTime(startTicks), result.Accepted);
        Interlocked.Increment(ref sent);
        if (result.Accepted) Interlocked.Increment(ref accepted);
        else
        {
            Interlocked.Increment(ref rejected);
            LastRejection = $"{result.Code}: {result.Message}";
        }
    }

    /// <summary>
    /// Sends one command and counts its answer. The node answers a refusal (a post-only that would cross, margin, a
    /// fill slot taken, the rate limit) with a problem status: that is part of trading, so it is counted and the bot
    /// carries on; anything else (the node unreachable, a fault) is thrown for the swarm to report.
    /// </summary>
    internal async Task SendAsync(Func<Task<CommandResult>> send, int account, long nonce, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        CommandResult result;
        TimeSpan? wait = null;
        try
        {
            result = await send().ConfigureAwait(false);
        }
        catch (TraderApiException e) when (e.Status is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.TooManyRequests)
        {
            result = new CommandResult(e.Sequence ?? 0, false, e.Code ?? ((int)e.Status).ToString(CultureInfo.InvariantCulture), e.Detail ?? e.Title, 0);
            wait = e.RetryAfter;
        }
        Record(result, account, nonce, started);
        if (wait is { } w) await Task.Delay(w, ct).ConfigureAwait(false);
    }
}

/// <summary>
/// A market maker over the trader API: on each step it reads the marks and its positions, re-quotes every instrument
/// (perpetual or option) whose mark moved (post-only bid and ask around the oracle's mark: a quote still on the book is
/// moved with a signed amend, as most of exchange-core's order flow is, and one that has gone is placed anew), and
/// hedges past its limit with an IOC. A perpetual's inventory is the maker's whole delta on its
/// underlying (<see cref="MarketMaker.DeltaInventory"/>, each option's delta from <see cref="OptionModel"/>, the model
/// the oracle prices options with), so option fills are hedged in the perpetual.
/// </summary>
public sealed class MarketMakerBot(TraderClient client, MarketMakerConfig config, long firstNonce, OrderLog? log = null)
{
    private long hedges;

    /// <summary>Hedge orders sent (IOCs back toward the inventory target, perpetuals on the whole delta).</summary>
    public long Hedges => Interlocked.Read(ref hedges);

    private readonly Dictionary<int, Quote> quotes = [];
    // The client id of the maker's bid and ask per instrument, while they may still rest.
    private readonly Dictionary<(int Instrument, Side Side), long> resting = [];
    private long nonce = firstNonce;
    private long amends;

    /// <summary>Quotes moved with an amend instead of a cancel and a new order.</summary>
    public long Amends => Interlocked.Read(ref amends);
    private long clientId;

    public TraderCounters Counters { get; } = new() { Log = log };

    public int Account => client.Account;

    public async Task StepAsync(long now, CancellationToken ct = default)
    {
        var instruments = await client.GetInstrumentsAsync(ct).ConfigureAwait(false);
        var positions = (await client.GetPositionsAsync(ct).ConfigureAwait(false)).ToDictionary(p => p.Instrument, p => p.Quantity);
        Dictionary<long, OrderDto>? open = null;
        foreach (var i in instruments)
        {
            if (i.Expired || i.MarkPrice <= 0) continue;
            var inventory = i.Spec.IsOption ? positions.GetValueOrDefault(i.Id) : DeltaOf(i, instruments, positions, now);
            if (MarketMaker.HedgeFor(i.Spec, config, i.MarkPrice, inventory) is { } hedge)
            {
                Interlocked.Increment(ref hedges);
                // Its own quotes first: self-trade prevention would otherwise cancel the hedge against the maker's own bid or ask.
                long withdraw = ++nonce;
                await Counters.SendAsync(() => client.CancelAllAsync(withdraw, i.Id, ct), Account, withdraw, ct).ConfigureAwait(false);
                await SendAsync(Command.Place(now, Account, ++nonce, i.Id, hedge.Side, OrderType.Ioc, hedge.LimitPrice, hedge.Quantity, ++clientId), ct).ConfigureAwait(false);
                quotes.Remove(i.Id);
                resting.Remove((i.Id, Side.Buy));
                resting.Remove((i.Id, Side.Sell));
                continue;
            }
            bool quoted = quotes.TryGetValue(i.Id, out var current);
            if (quoted && !MarketMaker.NeedsRequote(i.Spec, config, current, i.MarkPrice)) continue;
            open ??= (await client.GetOpenOrdersAsync(ct).ConfigureAwait(false)).ToDictionary(o => o.ClientId);
            var quote = MarketMaker.QuoteAround(i.Spec, config, i.MarkPrice, inventory);
            // The side moving away from the other goes first, so an amended quote never meets the maker's own other side.
            bool up = quoted && i.MarkPrice > current.Mark;
            foreach (var side in up ? [Side.Sell, Side.Buy] : new[] { Side.Buy, Side.Sell })
            {
                var (price, quantity) = side == Side.Buy ? (quote.BidPrice, quote.BidQuantity) : (quote.AskPrice, quote.AskQuantity);
                await QuoteAsync(now, i.Id, side, price, quantity, open, ct).ConfigureAwait(false);
            }
            quotes[i.Id] = quote;
        }
    }

    /// <summary>One side of a quote: the resting order amended to it, a new post-only order, or the resting one cancelled when the side is empty.</summary>
    private async Task QuoteAsync(long now, int instrument, Side side, long price, long quantity, Dictionary<long, OrderDto> open, CancellationToken ct)
    {
        OrderDto? order = null;
        bool live = resting.TryGetValue((instrument, side), out long id) && open.TryGetValue(id, out order);
        if (quantity <= 0)
        {
            resting.Remove((instrument, side));
            if (!live) return;
            long cancel = ++nonce;
            await Counters.SendAsync(() => client.CancelAsync(cancel, id, ct), Account, cancel, ct).ConfigureAwait(false);
            return;
        }
        if (live)
        {
            // The engine refuses an amend that changes nothing (NothingToAmend): a side whose quote came out the same stays.
            if (order!.Price == price && order.Quantity == quantity) return;
            var amend = Command.Amend(now, Account, ++nonce, id, price, quantity, instrument, side, OrderType.PostOnly);
            Interlocked.Increment(ref amends);
            await Counters.SendAsync(() => client.AmendAsync(amend, ct), Account, amend.Nonce, ct).ConfigureAwait(false);
            return;
        }
        var place = Command.Place(now, Account, ++nonce, instrument, side, OrderType.PostOnly, price, quantity, ++clientId);
        resting[(instrument, side)] = place.ClientId;
        await SendAsync(place, ct).ConfigureAwait(false);
    }

    private Task SendAsync(Command order, CancellationToken ct) => Counters.SendAsync(() => client.PlaceAsync(order, ct), order.Account, order.Nonce, ct);

    /// <summary>The perpetual's position plus the delta of every live option held on its underlying, priced at the perpetual's index.</summary>
    private static long DeltaOf(InstrumentDto perpetual, List<InstrumentDto> instruments, Dictionary<int, long> positions, long now)
    {
        var options = instruments
            .Where(o => o.Spec.IsOption && !o.Expired && o.Spec.Underlying == perpetual.Spec.Underlying && positions.GetValueOrDefault(o.Id) != 0 && perpetual.IndexPrice > 0)
            .Select(o => (o.Spec, positions[o.Id], OptionModel.Delta(o.Spec, perpetual.IndexPrice, now)));
        return MarketMaker.DeltaInventory(perpetual.Spec, positions.GetValueOrDefault(perpetual.Id), options);
    }
}

/// <summary>A taker over the trader API: each step, <see cref="Taker"/> decides whether to cross a live instrument's spread, perpetual or option.</summary>
public sealed class TakerBot(TraderClient client, Taker taker, long firstNonce, OrderLog? log = null)
{
    private long nonce = firstNonce;

    public TraderCounters Counters { get; } = new() { Log = log };

    public int Account => client.Account;

    public async Task StepAsync(long now, CancellationToken ct = default)
    {
        var books = (await client.GetInstrumentsAsync(ct).ConfigureAwait(false))
            .Where(i => !i.Expired)
            .Select(i => (i.Id, i.Spec, i.BestBid, i.BestAsk))
            .ToList();
        if (taker.Decide(books) is not { } order) return;
        var place = Command.Place(now, Account, ++nonce, order.Instrument, order.Side, OrderType.Ioc, order.Price, order.Quantity, nonce);
        await Counters.SendAsync(() => client.PlaceAsync(place, ct), Account, place.Nonce, ct).ConfigureAwait(false);
    }
}
