namespace Validium.State;

/// <summary>Where a batch's time went: hashing (through the accelerator), node reads, and the RocksDB write.</summary>
public sealed class CommitStats
{
    public long LeavesUpdated { get; internal set; }

    public long Hashes { get; internal set; }

    /// <summary>Sibling nodes fetched from committed state (cache or database).</summary>
    public long NodeReads { get; internal set; }

    /// <summary>Node reads the cache could not answer and RocksDB did.</summary>
    public long DbReads { get; internal set; }

    public long NodesWritten { get; internal set; }

    public TimeSpan HashTime { get; internal set; }

    public TimeSpan ReadTime { get; internal set; }

    /// <summary>Building the WriteBatch and writing it (including the fsync when the store syncs).</summary>
    public TimeSpan WriteTime { get; internal set; }

    public override string ToString() =>
        $"{LeavesUpdated} leaves, {Hashes} hashes in {HashTime.TotalMilliseconds:0.0} ms, {NodeReads} node reads ({DbReads} from RocksDB) in {ReadTime.TotalMilliseconds:0.0} ms, {NodesWritten} nodes written in {WriteTime.TotalMilliseconds:0.0} ms";
}
