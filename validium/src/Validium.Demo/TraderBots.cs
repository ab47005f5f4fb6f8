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

    internal void Record(CommandResult result)
    {
        Interlocked.Increment(ref sent);
        if (result.Accepted) Interlocked.Increment(ref accepted);
        else
        {
            Interlocked.Increment(ref rejected);
            LastRejection = $"{result.Code}: {result.Message}";
        }
    }
}

/// <summary>
/// A market maker over the trader API: on each step it reads the marks and its positions, re-quotes every perpetual
/// whose mark moved (cancel the instrument's orders, then post-only bid and ask), and hedges inventory past its limit
/// with an IOC. Options are left alone: the batch circuit proves perpetuals only.
/// </summary>
public sealed class MarketMakerBot(TraderClient client, MarketMakerConfig config, long firstNonce)
{
    private readonly Dictionary<int, Quote> quotes = [];
    private long nonce = firstNonce;
    private long clientId;

    public TraderCounters Counters { get; } = new();

    public int Account => client.Account;

    public async Task StepAsync(long now, CancellationToken ct = default)
    {
        var instruments = await client.GetInstrumentsAsync(ct).ConfigureAwait(false);
        var positions = (await client.GetPositionsAsync(ct).ConfigureAwait(false)).ToDictionary(p => p.Instrument, p => p.Quantity);
        foreach (var i in instruments)
        {
            if (i.Spec.IsOption || i.Expired || i.MarkPrice <= 0) continue;
            var inventory = positions.GetValueOrDefault(i.Id);
            if (MarketMaker.HedgeFor(i.Spec, config, i.MarkPrice, inventory) is { } hedge)
            {
                await SendAsync(Command.Place(now, Account, ++nonce, i.Id, hedge.Side, OrderType.Ioc, hedge.LimitPrice, hedge.Quantity, ++clientId), ct).ConfigureAwait(false);
                quotes.Remove(i.Id);
                continue;
            }
            if (quotes.TryGetValue(i.Id, out var current) && !MarketMaker.NeedsRequote(i.Spec, config, current, i.MarkPrice)) continue;
            Counters.Record(await client.CancelAllAsync(++nonce, i.Id, ct).ConfigureAwait(false));
            var quote = MarketMaker.QuoteAround(i.Spec, config, i.MarkPrice, inventory);
            if (quote.BidQuantity > 0)
                await SendAsync(Command.Place(now, Account, ++nonce, i.Id, Side.Buy, OrderType.PostOnly, quote.BidPrice, quote.BidQuantity, ++clientId), ct).ConfigureAwait(false);
            if (quote.AskQuantity > 0)
                await SendAsync(Command.Place(now, Account, ++nonce, i.Id, Side.Sell, OrderType.PostOnly, quote.AskPrice, quote.AskQuantity, ++clientId), ct).ConfigureAwait(false);
            quotes[i.Id] = quote;
        }
    }

    private async Task SendAsync(Command order, CancellationToken ct) => Counters.Record(await client.PlaceAsync(order, ct).ConfigureAwait(false));
}

/// <summary>A taker over the trader API: each step, <see cref="Taker"/> decides whether to cross a perpetual's spread.</summary>
public sealed class TakerBot(TraderClient client, Taker taker, long firstNonce)
{
    private long nonce = firstNonce;

    public TraderCounters Counters { get; } = new();

    public int Account => client.Account;

    public async Task StepAsync(long now, CancellationToken ct = default)
    {
        var books = (await client.GetInstrumentsAsync(ct).ConfigureAwait(false))
            .Where(i => !i.Spec.IsOption && !i.Expired)
            .Select(i => (i.Id, i.Spec, i.BestBid, i.BestAsk))
            .ToList();
        if (taker.Decide(books) is not { } order) return;
        ++nonce;
        Counters.Record(await client.PlaceAsync(Command.Place(now, Account, nonce, order.Instrument, order.Side, OrderType.Ioc, order.Price, order.Quantity, nonce), ct)
            .ConfigureAwait(false));
    }
}
