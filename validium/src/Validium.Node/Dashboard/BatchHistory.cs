using System.Collections.Concurrent;
using Validium.Batcher;

namespace Validium.Node.Dashboard;

/// <summary>
/// The latest batches' summaries from the batch files. A proven batch file never changes again, so its summary is
/// kept; a cut one is read again when its file changes (it is replaced once, when proven). The store is opened when
/// the node has initialised the directory.
/// </summary>
public sealed class BatchHistory(string directory)
{
    private readonly ConcurrentDictionary<ulong, (DateTime Written, Summary Summary)> cache = new();
    private BatchStore? store;

    public sealed record Summary(ulong Number, BatchStatus Status, CutReason Reason, int Deposits, int Trades, int Withdrawals);

    /// <summary>The store once its directory is initialised; null before.</summary>
    public BatchStore? Store
    {
        get
        {
            if (Volatile.Read(ref store) is { } s) return s;
            if (!File.Exists(Path.Combine(directory, BatchStore.ConfigFile))) return null;
            s = BatchStore.Open(directory);
            return Interlocked.CompareExchange(ref store, s, null) ?? s;
        }
    }

    /// <summary>The last <paramref name="count"/> batches, newest first; a damaged file is an <see cref="InvalidDataException"/> naming it.</summary>
    public IReadOnlyList<Summary> Latest(int count)
    {
        if (Store is not { } s) return [];
        var numbers = s.List();
        var rows = new List<Summary>(Math.Min(count, numbers.Count));
        for (int i = numbers.Count - 1; i >= 0 && rows.Count < count; i--)
        {
            ulong n = numbers[i];
            var written = File.GetLastWriteTimeUtc(s.PathOf(n));
            if (!cache.TryGetValue(n, out var hit) || hit.Summary.Status != BatchStatus.Proven && hit.Written != written)
            {
                var r = s.Read(n);
                hit = (written, new Summary(n, r.Status, r.Reason, r.Deposits.Length, r.Trades.Length, r.Withdrawals.Length));
                cache[n] = hit;
            }
            rows.Add(hit.Summary);
        }
        // Batches that left the window are never shown again.
        if (rows.Count > 0)
            foreach (var old in cache.Keys)
                if (old < rows[^1].Number) cache.TryRemove(old, out _);
        return rows;
    }
}
