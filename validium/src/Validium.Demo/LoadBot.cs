using Validium.Exchange;
using Validium.Node.Client;

namespace Validium.Demo;

/// <summary>
/// A load trader for the API's throughput figures: each step places a post-only bid at the bottom of the price band
/// (it never trades, so the prover's pace does not throttle it) and cancels it, two signed, journaled commands.
/// Run with no pause between steps, one request at a time per bot, so the bots' count is the number in flight.
/// </summary>
public sealed class LoadBot(TraderClient client, long firstNonce, OrderLog? log = null)
{
    private long nonce = firstNonce;

    public TraderCounters Counters { get; } = new() { Log = log };

    public int Account => client.Account;

    public async Task StepAsync(InstrumentDto instrument, long now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var spec = instrument.Spec;
        var (low, _) = MarketMaker.Band(spec, instrument.MarkPrice);
        var place = Command.Place(now, Account, ++nonce, instrument.Id, Side.Buy, OrderType.PostOnly, low, spec.MinQuantity, nonce);
        await Counters.SendAsync(() => client.PlaceAsync(place, ct), Account, place.Nonce, ct).ConfigureAwait(false);
        long cancel = ++nonce;
        await Counters.SendAsync(() => client.CancelAllAsync(cancel, instrument.Id, ct), Account, cancel, ct).ConfigureAwait(false);
    }
}
