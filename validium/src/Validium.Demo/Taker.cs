using Validium.Exchange;

namespace Validium.Demo;

/// <summary>A taker's order: immediate-or-cancel at the opposite best price.</summary>
public readonly record struct TakerOrder(int Instrument, Side Side, long Price, long Quantity);

/// <summary>
/// A taker crossing the spread at a seeded random rate: each tick it trades with probability <paramref name="rate"/>,
/// on a random instrument and side, for 1..<paramref name="maxLots"/> lots. Seeded so a demo run can be repeated.
/// When both perpetuals and options are listed it alternates between the two kinds, starting with options when
/// <paramref name="optionsFirst"/>, so that even a short run's few trades include both.
/// </summary>
public sealed class Taker(int seed, double rate, long maxLots, bool optionsFirst = false)
{
    private readonly Random random = new(seed);
    private bool option = optionsFirst;

    public double Rate { get; } = rate is >= 0 and <= 1 ? rate : throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate must be 0..1");

    public long MaxLots { get; } = maxLots >= 1 ? maxLots : throw new ArgumentOutOfRangeException(nameof(maxLots), maxLots, "at least one lot");

    /// <summary>
    /// The order to send now, or null. <paramref name="books"/> holds each instrument's spec and best prices; a side with
    /// no resting quote is never taken, since an IOC against an empty side only costs a nonce.
    /// </summary>
    public TakerOrder? Decide(IReadOnlyList<(int Instrument, InstrumentSpec Spec, long? BestBid, long? BestAsk)> books)
    {
        ArgumentNullException.ThrowIfNull(books);
        if (books.Count == 0 || random.NextDouble() >= Rate) return null;
        var kind = books.Where(b => b.Spec.IsOption == option).ToList();
        if (kind.Count == 0) kind = [.. books];
        option = !kind[0].Spec.IsOption;
        var (instrument, spec, bid, ask) = kind[random.Next(kind.Count)];
        var side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
        var quantity = random.NextInt64(1, MaxLots + 1) * spec.LotSize;
        return side switch
        {
            Side.Buy when ask is { } a => new TakerOrder(instrument, Side.Buy, a, quantity),
            Side.Sell when bid is { } b => new TakerOrder(instrument, Side.Sell, b, quantity),
            _ => null,
        };
    }
}
