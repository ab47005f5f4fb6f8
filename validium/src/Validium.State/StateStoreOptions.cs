namespace Validium.State;

public sealed record StateStoreOptions
{
    /// <summary>Committed nodes kept in memory (about 100 bytes each); 0 turns the node cache off.</summary>
    public int NodeCacheCapacity { get; init; } = 1 << 20;

    /// <summary>
    /// Whether a commit waits for fsync. Off, a commit still survives the process being killed (RocksDB's
    /// write-ahead log is in the OS) but not a power cut.
    /// </summary>
    public bool SyncWrites { get; init; } = true;

    /// <summary>RocksDB's block cache for the nodes, in bytes.</summary>
    public ulong BlockCacheBytes { get; init; } = 64UL << 20;
}
