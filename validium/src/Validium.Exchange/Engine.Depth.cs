namespace Validium.Exchange;

/// <summary>One price level of a book: raw price, total resting raw quantity, number of orders.</summary>
public readonly record struct DepthLevel(long Price, long Quantity, int Orders);

public sealed partial class Engine
{
    /// <summary>
    /// The best <paramref name="maxLevels"/> occupied levels of one side of an instrument's book, best first. Walks
    /// the level bitmaps, so the cost is the number of levels returned, not the book's price range.
    /// </summary>
    public DepthLevel[] Depth(int instrument, Side side, int maxLevels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLevels);
        var m = MarketOrNull(instrument) ?? throw new ArgumentOutOfRangeException(nameof(instrument), $"no instrument {instrument}");
        var levels = new List<DepthLevel>(Math.Min(maxLevels, 64));
        for (long ticks = m.Book.Best(side); ticks >= 0 && levels.Count < maxLevels; ticks = m.Book.NextLevel(side, ticks))
        {
            ref var level = ref m.Book.LevelAt(ticks);
            levels.Add(new DepthLevel(ticks * m.Spec.TickSize, level.Lots * m.Spec.LotSize, level.Count));
        }
        return [.. levels];
    }
}
