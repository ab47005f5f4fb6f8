using RocksDbSharp;
using Validium.Accel;
using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// All state trees in one RocksDB database: column family "nodes" holds every tree's non-empty nodes under
/// (tree, level, index) keys, "meta" holds each tree's depth, its root after every batch that changed it, and
/// the last committed batch number. Changes are staged in a <see cref="StateBatch"/> and land in one
/// WriteBatch, so a crash leaves either the whole batch or none of it. One batch is open at a time; reads of
/// committed state may come from any thread.
/// </summary>
public sealed class StateStore : IDisposable
{
    private const string NodesFamily = "nodes";
    private const string MetaFamily = "meta";

    private readonly RocksDb db;
    private readonly ColumnFamilyHandle nodes;
    private readonly ColumnFamilyHandle meta;
    private readonly WriteOptions writeOptions;
    private readonly NodeCache cache;
    private readonly Dictionary<TreeId, int> depths = [];
    private readonly object gate = new();
    private StateBatch? openBatch;
    private bool disposed;

    private StateStore(string path, RocksDb db, AccelDispatcher accel, StateStoreOptions options)
    {
        Path = path;
        this.db = db;
        nodes = db.GetColumnFamily(NodesFamily);
        meta = db.GetColumnFamily(MetaFamily);
        writeOptions = new WriteOptions().SetSync(options.SyncWrites);
        cache = new NodeCache(options.NodeCacheCapacity);
        Accel = accel;
        var last = db.Get(StateKeys.LastBatch, meta);
        LastBatch = last is null ? null : StateKeys.ReadUInt64(last, "last committed batch");
    }

    public string Path { get; }

    public AccelDispatcher Accel { get; }

    /// <summary>The number of the last committed batch; null before the first.</summary>
    public ulong? LastBatch { get; private set; }

    /// <summary>Opens (creating when missing) the state database in <paramref name="path"/>.</summary>
    public static StateStore Open(string path, AccelDispatcher accel, StateStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(accel);
        options ??= new StateStoreOptions();
        Directory.CreateDirectory(path);
        var table = new BlockBasedTableOptions()
            .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
            .SetWholeKeyFiltering(true)
            .SetBlockCache(Cache.CreateLru(options.BlockCacheBytes));
        // Node values are uniformly random field elements: compression costs time and saves nothing.
        var nodeOptions = new ColumnFamilyOptions().SetBlockBasedTableFactory(table).SetCompression(Compression.No);
        var families = new ColumnFamilies { { NodesFamily, nodeOptions }, { MetaFamily, new ColumnFamilyOptions() } };
        var dbOptions = new DbOptions().SetCreateIfMissing(true).SetCreateMissingColumnFamilies(true);
        RocksDb db;
        try
        {
            db = RocksDb.Open(dbOptions, path, families);
        }
        catch (RocksDbException e)
        {
            throw new IOException($"cannot open the state database in {path}: {e.Message}", e);
        }
        return new StateStore(path, db, accel, options);
    }

    /// <summary>
    /// A handle on one tree. The depth is fixed by the tree's first commit; asking for another depth later,
    /// in this process or after a reopen, is refused rather than silently reading a different tree.
    /// </summary>
    public SparseMerkleTree Tree(TreeId id, int depth)
    {
        TreeShape.CheckDepth(depth);
        lock (gate)
        {
            ThrowIfDisposed();
            if (!depths.TryGetValue(id, out int known))
            {
                var stored = db.Get(StateKeys.Depth(id), meta);
                known = stored is null ? depth : stored.Length == 1 ? stored[0] : throw new InvalidDataException($"{id}: stored depth record has {stored.Length} bytes");
                depths[id] = known;
            }
            if (known != depth) throw new InvalidOperationException($"tree {id} has depth {known}; it cannot be opened with depth {depth}");
        }
        return new SparseMerkleTree(this, id, depth);
    }

    /// <summary>Starts staging batch <paramref name="batchNumber"/>, which must be above <see cref="LastBatch"/>.</summary>
    public StateBatch BeginBatch(ulong batchNumber)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            if (openBatch is not null) throw new InvalidOperationException($"batch {openBatch.BatchNumber} is still open: commit or dispose it before starting batch {batchNumber}");
            if (LastBatch is { } last && batchNumber <= last)
                throw new ArgumentOutOfRangeException(nameof(batchNumber), batchNumber, $"batch numbers must increase: batch {last} is already committed");
            openBatch = new StateBatch(this, batchNumber);
            return openBatch;
        }
    }

    /// <summary>The committed root of a tree after batch <paramref name="batchNumber"/> (the empty root before its first change).</summary>
    internal Fr RootAt(SparseMerkleTree tree, ulong batchNumber)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            if (LastBatch is not { } last || batchNumber > last)
                throw new ArgumentOutOfRangeException(nameof(batchNumber), batchNumber, LastBatch is null ? "no batch is committed yet" : $"batch {batchNumber} is not committed (the last is {LastBatch})");
            using var it = db.NewIterator(meta);
            it.SeekForPrev(StateKeys.BatchRoot(tree.Id, batchNumber));
            return it.Valid() && StateKeys.IsBatchRootOf(it.GetKeySpan(), tree.Id)
                ? StateKeys.ReadValue(it.GetValueSpan(), $"{tree.Id} root at batch {StateKeys.BatchOfRootKey(it.GetKeySpan())}")
                : ZeroHashes.At(tree.Depth);
        }
    }

    /// <summary>Committed values of nodes at one level; <paramref name="dbReads"/> counts the lookups the cache could not answer.</summary>
    internal void ReadNodes(TreeId tree, int level, ReadOnlySpan<ulong> indices, Span<Fr> values, ref long dbReads)
    {
        var empty = ZeroHashes.At(level);
        Span<byte> key = stackalloc byte[StateKeys.NodeKeyLength];
        Span<byte> value = stackalloc byte[StateKeys.ValueLength];
        lock (gate)
        {
            ThrowIfDisposed();
            for (int i = 0; i < indices.Length; i++)
            {
                var k = new NodeKey(tree, level, indices[i]);
                if (cache.TryGet(k, out values[i])) continue;
                dbReads++;
                StateKeys.WriteNode(k, key);
                values[i] = db.GetFixedSizeValue(key, value, nodes) ? StateKeys.ReadValue(value, $"{tree} node ({level}, {indices[i]})") : empty;
                cache.Set(k, values[i]);
            }
        }
    }

    internal Fr ReadNode(TreeId tree, int level, ulong index)
    {
        long ignored = 0;
        Span<Fr> v = stackalloc Fr[1];
        ReadNodes(tree, level, [index], v, ref ignored);
        return v[0];
    }

    /// <summary>Writes a batch's staged nodes and roots in one atomic WriteBatch, then lets the cache see them.</summary>
    internal void Commit(StateBatch batch, IReadOnlyDictionary<NodeKey, Fr> staged, IReadOnlyDictionary<TreeId, (int Depth, Fr Root)> roots)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            if (!ReferenceEquals(openBatch, batch)) throw new InvalidOperationException($"batch {batch.BatchNumber} is not the open batch of this store");
            using var wb = new WriteBatch();
            Span<byte> key = stackalloc byte[StateKeys.NodeKeyLength];
            Span<byte> value = stackalloc byte[StateKeys.ValueLength];
            var zeros = ZeroHashes.All;
            foreach (var (k, v) in staged)
            {
                StateKeys.WriteNode(k, key);
                if (v == zeros[k.Level]) wb.Delete(key, nodes);
                else
                {
                    v.WriteBigEndian(value);
                    wb.Put(key, value, nodes);
                }
            }
            foreach (var (tree, (depth, root)) in roots)
            {
                wb.Put(StateKeys.Depth(tree), new[] { (byte)depth }, meta);
                wb.Put(StateKeys.BatchRoot(tree, batch.BatchNumber), StateKeys.Value(root), meta);
            }
            wb.Put(StateKeys.LastBatch, StateKeys.UInt64(batch.BatchNumber), meta);
            db.Write(wb, writeOptions);

            foreach (var (k, v) in staged) cache.Set(k, v);
            cache.Trim();
            LastBatch = batch.BatchNumber;
            openBatch = null;
        }
    }

    internal void Abandon(StateBatch batch)
    {
        lock (gate)
            if (ReferenceEquals(openBatch, batch)) openBatch = null;
    }

    /// <summary>How many nodes of a tree the database holds (empty nodes never are).</summary>
    internal long StoredNodeCount(TreeId tree)
    {
        long n = 0;
        Scan(tree, onlyLeaves: false, (_, _) => n++);
        return n;
    }

    /// <summary>Every committed non-empty leaf of a tree, by index.</summary>
    internal List<LeafUpdate> StoredLeaves(TreeId tree)
    {
        var leaves = new List<LeafUpdate>();
        Scan(tree, onlyLeaves: true, (k, v) => leaves.Add(new LeafUpdate(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(k[(StateKeys.TreePrefixLength + 1)..]),
            StateKeys.ReadValue(v, $"{tree} leaf"))));
        return leaves;
    }

    private delegate void NodeVisitor(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    private void Scan(TreeId tree, bool onlyLeaves, NodeVisitor visit)
    {
        var first = StateKeys.Node(new NodeKey(tree, 0, 0));
        int prefix = onlyLeaves ? StateKeys.TreePrefixLength + 1 : StateKeys.TreePrefixLength;
        lock (gate)
        {
            ThrowIfDisposed();
            using var it = db.NewIterator(nodes);
            for (it.Seek(first); it.Valid() && it.GetKeySpan()[..prefix].SequenceEqual(first.AsSpan(0, prefix)); it.Next())
                visit(it.GetKeySpan(), it.GetValueSpan());
        }
    }

    internal void CheckOwns(SparseMerkleTree tree)
    {
        if (!ReferenceEquals(tree.Store, this)) throw new ArgumentException($"tree {tree.Id} belongs to the store in {tree.Store.Path}, not to the one in {Path}", nameof(tree));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            openBatch = null;
            db.Dispose();
        }
    }
}
