using CsCheck;

namespace Validium.Exchange.Tests;

/// <summary>The book's building blocks against plain .NET collections on random operation sequences.</summary>
public class StructureTests
{
    [Fact]
    public void Level_index_agrees_with_a_sorted_set()
    {
        Gen.Select(Gen.Int[1, 300_000], Gen.Int[0, 299_999].Array[1, 400]).Sample((size, ops) =>
        {
            var idx = new LevelIndex(size);
            var set = new SortedSet<long>();
            foreach (var raw in ops)
            {
                long i = raw % size;
                if (set.Contains(i)) { idx.Clear(i); set.Remove(i); }
                else { idx.Set(i); set.Add(i); }
                long probe = (raw * 7919L) % size;
                var above = set.GetViewBetween(probe, long.MaxValue);
                var below = set.GetViewBetween(long.MinValue, probe);
                Assert.Equal(above.Count == 0 ? -1 : above.Min, idx.NextAtOrAbove(probe));
                Assert.Equal(below.Count == 0 ? -1 : below.Max, idx.NextAtOrBelow(probe));
                Assert.Equal(set.Contains(probe), idx.Contains(probe));
            }
        }, iter: 300);
    }

    [Fact]
    public void Order_map_agrees_with_a_dictionary()
    {
        Gen.Select(Gen.Int[0, 7], Gen.Long[-20, 20], Gen.Bool).Array[1, 600].Sample(ops =>
        {
            var map = new OrderMap(2);
            var dict = new Dictionary<(int, long), int>();
            int next = 0;
            foreach (var (acc, cid, add) in ops)
            {
                if (add && !dict.ContainsKey((acc, cid))) { map.Add(acc, cid, next); dict[(acc, cid)] = next++; }
                else if (!add) { map.Remove(acc, cid); dict.Remove((acc, cid)); }
                Assert.Equal(dict.Count, map.Count);
                foreach (var ((a, c), v) in dict)
                {
                    Assert.True(map.TryGet(a, c, out int got));
                    Assert.Equal(v, got);
                }
                Assert.Equal(dict.ContainsKey((acc, cid + 1)), map.TryGet(acc, cid + 1, out _));
            }
        }, iter: 200);
    }
}
