namespace Validium.Exchange;

internal struct Level
{
    public int Head, Tail;
    public long Lots;
    public int Count;
}

/// <summary>
/// One instrument's limit order book. Price levels sit in an array indexed by tick (allocated in pages on first use),
/// each a FIFO of pool nodes; two <see cref="LevelIndex"/> bitmaps find the next occupied level. Best bid and ask are
/// cached, so reading them is O(1) and insert/cancel cost O(1) plus a few-word bitmap walk when a level empties.
/// The pages covering the price band are allocated whenever the band moves, so matching itself never allocates.
/// </summary>
internal sealed class OrderBook
{
    private const int PageBits = 12;
    private readonly Level[]?[] pages;
    private readonly LevelIndex bids, asks;

    public long BestBid { get; private set; } = -1;
    public long BestAsk { get; private set; } = -1;

    public OrderBook(long maxTicks)
    {
        pages = new Level[]?[(maxTicks >> PageBits) + 1];
        bids = new LevelIndex(maxTicks + 1);
        asks = new LevelIndex(maxTicks + 1);
    }

    public ref Level LevelAt(long ticks)
    {
        var page = pages[ticks >> PageBits] ??= NewPage();
        return ref page[ticks & ((1 << PageBits) - 1)];
    }

    /// <summary>Allocates the pages of levels lo..hi ahead of time, so entering orders inside the band never allocates.</summary>
    public void Reserve(long lo, long hi)
    {
        for (long p = Math.Max(lo, 0) >> PageBits; p <= hi >> PageBits && p < pages.Length; p++) pages[p] ??= NewPage();
    }

    private static Level[] NewPage()
    {
        var p = new Level[1 << PageBits];
        for (int i = 0; i < p.Length; i++) p[i].Head = p[i].Tail = OrderPool.Nil;
        return p;
    }

    public void Append(OrderNode[] nodes, int n)
    {
        ref var node = ref nodes[n];
        ref var level = ref LevelAt(node.PriceTicks);
        node.Prev = level.Tail;
        node.Next = OrderPool.Nil;
        if (level.Tail == OrderPool.Nil) level.Head = n;
        else nodes[level.Tail].Next = n;
        level.Tail = n;
        level.Lots += node.Lots;
        if (level.Count++ == 0)
        {
            if (node.Side == Side.Buy)
            {
                bids.Set(node.PriceTicks);
                if (node.PriceTicks > BestBid) BestBid = node.PriceTicks;
            }
            else
            {
                asks.Set(node.PriceTicks);
                if (BestAsk < 0 || node.PriceTicks < BestAsk) BestAsk = node.PriceTicks;
            }
        }
    }

    public void Unlink(OrderNode[] nodes, int n)
    {
        ref var node = ref nodes[n];
        ref var level = ref LevelAt(node.PriceTicks);
        if (node.Prev == OrderPool.Nil) level.Head = node.Next;
        else nodes[node.Prev].Next = node.Next;
        if (node.Next == OrderPool.Nil) level.Tail = node.Prev;
        else nodes[node.Next].Prev = node.Prev;
        level.Lots -= node.Lots;
        if (--level.Count > 0) return;
        if (node.Side == Side.Buy)
        {
            bids.Clear(node.PriceTicks);
            if (node.PriceTicks == BestBid) BestBid = bids.NextAtOrBelow(node.PriceTicks);
        }
        else
        {
            asks.Clear(node.PriceTicks);
            if (node.PriceTicks == BestAsk) BestAsk = asks.NextAtOrAbove(node.PriceTicks);
        }
    }

    /// <summary>Next occupied level strictly worse than <paramref name="ticks"/> on a side, or -1.</summary>
    public long NextLevel(Side side, long ticks) => side == Side.Buy ? bids.NextAtOrBelow(ticks - 1) : asks.NextAtOrAbove(ticks + 1);

    public long Best(Side side) => side == Side.Buy ? BestBid : BestAsk;

    public bool IsCrossed => BestBid >= 0 && BestAsk >= 0 && BestBid >= BestAsk;
}
