using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// Committed node values held in memory, absent (empty) nodes included so a repeated miss does not go back
/// to the database. Bounded: past capacity the lowest levels go first, since every update passes through the
/// upper levels while a given low node is seldom touched twice. Not thread-safe; the store locks around it.
/// </summary>
internal sealed class NodeCache
{
    private readonly Dictionary<NodeKey, Fr> nodes = [];
    private readonly int capacity;

    public NodeCache(int capacity)
    {
        if (capacity < 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "cache capacity cannot be negative");
        this.capacity = capacity;
    }

    public int Count => nodes.Count;

    public bool TryGet(in NodeKey key, out Fr value) => nodes.TryGetValue(key, out value);

    public void Set(in NodeKey key, Fr value)
    {
        if (capacity == 0) return;
        nodes[key] = value;
    }

    /// <summary>Brings the cache back to three quarters of its capacity by dropping the lowest levels first.</summary>
    public void Trim()
    {
        if (nodes.Count <= capacity) return;
        int target = capacity / 4 * 3;
        var perLevel = new int[ZeroHashes.MaxDepth + 1];
        foreach (var k in nodes.Keys) perLevel[k.Level]++;
        int drop = nodes.Count - target, below = 0, dropped = 0;
        while (below <= ZeroHashes.MaxDepth && dropped < drop) dropped += perLevel[below++];
        foreach (var k in nodes.Keys.Where(k => k.Level < below).ToList()) nodes.Remove(k);
    }
}
