using System.Numerics;

namespace Validium.Exchange;

/// <summary>
/// A set of price levels (ticks) as a 64-ary tree of bitmaps: set, clear and "next/previous occupied level"
/// each touch one word per tree level (4 levels cover 2^24 ticks), so the best price after a level empties is
/// found in a few instructions whatever the gap, and nothing allocates after construction.
/// </summary>
internal sealed class LevelIndex
{
    private readonly ulong[][] layers; // layers[0] has one bit per tick; layers[k+1] one bit per non-empty word of layers[k]

    public LevelIndex(long size)
    {
        var list = new List<ulong[]>();
        long bits = Math.Max(size, 1);
        do
        {
            long words = (bits + 63) >> 6;
            list.Add(new ulong[words]);
            bits = words;
        } while (bits > 1);
        layers = [.. list];
    }

    public bool Contains(long i) => (layers[0][i >> 6] & (1UL << (int)(i & 63))) != 0;

    public void Set(long i)
    {
        for (int k = 0; k < layers.Length; k++)
        {
            ref ulong w = ref layers[k][i >> 6];
            bool wasEmpty = w == 0;
            w |= 1UL << (int)(i & 63);
            if (!wasEmpty) return;
            i >>= 6;
        }
    }

    public void Clear(long i)
    {
        for (int k = 0; k < layers.Length; k++)
        {
            ref ulong w = ref layers[k][i >> 6];
            w &= ~(1UL << (int)(i & 63));
            if (w != 0) return;
            i >>= 6;
        }
    }

    /// <summary>Smallest member ≥ from, or -1.</summary>
    public long NextAtOrAbove(long from)
    {
        if (from < 0) from = 0;
        int k = 0;
        long i = from;
        // Climb until a word holds a member at or after the position, then descend taking the lowest bit.
        while (true)
        {
            var layer = layers[k];
            long wi = i >> 6;
            if (wi >= layer.Length) return -1;
            ulong masked = layer[wi] & (ulong.MaxValue << (int)(i & 63));
            if (masked != 0)
            {
                i = (wi << 6) | (long)BitOperations.TrailingZeroCount(masked);
                break;
            }
            if (k == layers.Length - 1) return -1;
            k++;
            i = wi + 1;
        }
        while (k > 0)
        {
            k--;
            i = (i << 6) | (long)BitOperations.TrailingZeroCount(layers[k][i]);
        }
        return i;
    }

    /// <summary>Largest member ≤ from, or -1.</summary>
    public long NextAtOrBelow(long from)
    {
        int k = 0;
        long i = Math.Min(from, ((long)layers[0].Length << 6) - 1);
        while (true)
        {
            if (i < 0) return -1;
            long wi = i >> 6;
            int bit = (int)(i & 63);
            ulong masked = layers[k][wi] & (bit == 63 ? ulong.MaxValue : (1UL << (bit + 1)) - 1);
            if (masked != 0)
            {
                i = (wi << 6) | (long)(63 - BitOperations.LeadingZeroCount(masked));
                break;
            }
            if (k == layers.Length - 1) return -1;
            k++;
            i = wi - 1;
        }
        while (k > 0)
        {
            k--;
            i = (i << 6) | (long)(63 - BitOperations.LeadingZeroCount(layers[k][i]));
        }
        return i;
    }
}
