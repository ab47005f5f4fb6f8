using System.Buffers.Binary;
using RocksDbSharp;
using Validium.Crypto;
using ZstdSharp;

namespace Validium.DaCommittee;

/// <summary>A stored batch whose bytes no longer match what was verified at ingest (disk damage, tampering).</summary>
public sealed class CorruptedBatchException(ulong batchNumber, string detail) : Exception($"stored batch {batchNumber} is corrupted: {detail}")
{
    public ulong BatchNumber { get; } = batchNumber;
}

public sealed record StoredBatch(ulong Number, Fr Commitment, long Size);

/// <summary>
/// Batch data in RocksDB, zstd-compressed, keyed by batch number, with an index by data commitment. A record carries
/// keccak256(number ‖ commitment ‖ data) taken when the data was verified, and every read checks it, so damage to
/// the number, the commitment or the data is reported instead of served. Writes are synced before they return: a
/// member signs only what is on disk.
/// </summary>
public sealed class BatchStore : IDisposable
{
    internal const string BatchesFamily = "batches";
    internal const string CommitmentsFamily = "commitments";
    internal const string NoncesFamily = "nonces";

    // version (1) ‖ commitment (32) ‖ checksum (32) ‖ raw length (8) ‖ zstd frame
    private const byte RecordVersion = 1;
    private const int HeaderLength = 1 + 32 + 32 + 8;

    private readonly RocksDb db;
    private readonly ColumnFamilyHandle batches, commitments, nonces;
    private readonly int compressionLevel;
    private readonly WriteOptions synced = new WriteOptions().SetSync(true);
    private int disposed;

    private BatchStore(RocksDb db, int compressionLevel)
    {
        this.db = db;
        this.compressionLevel = compressionLevel;
        batches = db.GetColumnFamily(BatchesFamily);
        commitments = db.GetColumnFamily(CommitmentsFamily);
        nonces = db.GetColumnFamily(NoncesFamily);
    }

    public static BatchStore Open(string path, int compressionLevel = 1)
    {
        if (compressionLevel is < 1 or > 19) throw new ArgumentOutOfRangeException(nameof(compressionLevel), "zstd levels are 1..19");
        Directory.CreateDirectory(path);
        // Values are already zstd frames: RocksDB's own block compression would only spend time.
        var plain = new ColumnFamilyOptions().SetCompression(Compression.No);
        var families = new ColumnFamilies { { BatchesFamily, plain }, { CommitmentsFamily, new ColumnFamilyOptions() }, { NoncesFamily, new ColumnFamilyOptions() } };
        try
        {
            return new BatchStore(RocksDb.Open(new DbOptions().SetCreateIfMissing(true).SetCreateMissingColumnFamilies(true), path, families), compressionLevel);
        }
        catch (RocksDbException e)
        {
            throw new IOException($"cannot open the committee store in {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The record for a batch whose commitment the caller computed from <paramref name="data"/> (compressed,
    /// checksummed): built apart from <see cref="Write"/> so it can happen outside the member's write lock.
    /// </summary>
    public byte[] Encode(ulong number, Fr commitment, ReadOnlySpan<byte> data)
    {
        var commitmentBytes = commitment.ToBigEndianBytes();
        using var compressor = new Compressor(compressionLevel);
        var frame = compressor.Wrap(data);
        var record = new byte[HeaderLength + frame.Length];
        record[0] = RecordVersion;
        commitmentBytes.CopyTo(record, 1);
        Checksum(number, commitmentBytes, data, record.AsSpan(33, 32));
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(65, 8), data.Length);
        frame.CopyTo(record.AsSpan(HeaderLength));
        return record;
    }

    /// <summary>Writes a record from <see cref="Encode"/> and its commitment index entry; durable when this returns.</summary>
    public void Write(ulong number, byte[] record)
    {
        Header(number, record);
        using var batch = new WriteBatch();
        batch.Put(NumberKey(number), record, batches);
        batch.Put([.. record.AsSpan(1, 32), .. NumberKey(number)], [], commitments);
        db.Write(batch, synced);
    }

    /// <summary>Number, commitment and size from the record header, without decompressing; null when absent.</summary>
    public StoredBatch? Describe(ulong number)
    {
        var record = db.Get(NumberKey(number), batches);
        return record is null ? null : Header(number, record);
    }

    /// <summary>The batch's bytes after the integrity check; null when absent; <see cref="CorruptedBatchException"/> when damaged.</summary>
    public (StoredBatch Batch, byte[] Data)? Get(ulong number)
    {
        var record = db.Get(NumberKey(number), batches);
        if (record is null) return null;
        var header = Header(number, record);
        byte[] data;
        try
        {
            data = new byte[header.Size];
            using var decompressor = new Decompressor();
            int written = decompressor.Unwrap(record.AsSpan(HeaderLength), data);
            if (written != data.Length) throw new CorruptedBatchException(number, $"decompressed to {written} bytes, the record says {data.Length}");
        }
        catch (ZstdException e)
        {
            throw new CorruptedBatchException(number, $"the zstd frame does not decompress: {e.Message}");
        }
        Span<byte> sum = stackalloc byte[32];
        Checksum(number, record.AsSpan(1, 32), data, sum);
        if (!sum.SequenceEqual(record.AsSpan(33, 32))) throw new CorruptedBatchException(number, "checksum mismatch");
        return (header, data);
    }

    /// <summary>The lowest batch number stored under this commitment (equal data can be sent for two batches).</summary>
    public ulong? FindByCommitment(Fr commitment)
    {
        var prefix = commitment.ToBigEndianBytes();
        using var it = db.NewIterator(commitments);
        it.Seek(prefix);
        if (!it.Valid()) return null;
        var key = it.Key();
        return key.Length == 40 && key.AsSpan(0, 32).SequenceEqual(prefix) ? BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(32)) : null;
    }

    /// <summary>Up to <paramref name="limit"/> stored batches from <paramref name="from"/> up, in order.</summary>
    public IReadOnlyList<StoredBatch> List(ulong from, int limit)
    {
        var result = new List<StoredBatch>();
        using var it = db.NewIterator(batches);
        for (it.Seek(NumberKey(from)); it.Valid() && result.Count < limit; it.Next())
        {
            var number = BinaryPrimitives.ReadUInt64BigEndian(it.Key());
            result.Add(Header(number, it.Value()));
        }
        return result;
    }

    /// <summary>Deletes every batch numbered below <paramref name="belowNumber"/>; returns how many.</summary>
    public int PruneBelow(ulong belowNumber)
    {
        var doomed = new List<(ulong Number, byte[] Commitment)>();
        using (var it = db.NewIterator(batches))
            for (it.SeekToFirst(); it.Valid(); it.Next())
            {
                var number = BinaryPrimitives.ReadUInt64BigEndian(it.Key());
                if (number >= belowNumber) break;
                doomed.Add((number, it.Value().AsSpan(1, 32).ToArray()));
            }
        if (doomed.Count == 0) return 0;
        using var batch = new WriteBatch();
        foreach (var (number, commitment) in doomed)
        {
            batch.Delete(NumberKey(number), batches);
            batch.Delete([.. commitment, .. NumberKey(number)], commitments);
        }
        db.Write(batch, synced);
        return doomed.Count;
    }

    /// <summary>Records a submission nonce; false when it was seen before. Not synced itself: a later synced batch write carries it.</summary>
    public bool TryRecordNonce(ReadOnlySpan<byte> nonce, long timestampMs)
    {
        var key = nonce.ToArray();
        lock (nonces)
        {
            if (db.Get(key, nonces) is not null) return false;
            var value = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(value, timestampMs);
            db.Put(key, value, nonces);
            return true;
        }
    }

    /// <summary>Forgets nonces whose timestamps are older than <paramref name="beforeMs"/>: the freshness window refuses those requests anyway.</summary>
    public int ForgetNoncesBefore(long beforeMs)
    {
        using var batch = new WriteBatch();
        int n = 0;
        lock (nonces)
        {
            using (var it = db.NewIterator(nonces))
                for (it.SeekToFirst(); it.Valid(); it.Next())
                    if (BinaryPrimitives.ReadInt64BigEndian(it.Value()) < beforeMs)
                    {
                        batch.Delete(it.Key(), nonces);
                        n++;
                    }
            if (n > 0) db.Write(batch);
        }
        return n;
    }

    /// <summary>RocksDB's estimate of the stored batch count (exact after a flush; cheap, for the gauge).</summary>
    public long EstimatedCount() => long.TryParse(db.GetProperty("rocksdb.estimate-num-keys", batches), out long n) ? n : -1;

    private static StoredBatch Header(ulong number, byte[] record)
    {
        if (record.Length < HeaderLength || record[0] != RecordVersion) throw new CorruptedBatchException(number, "the record header is damaged");
        var size = BinaryPrimitives.ReadInt64BigEndian(record.AsSpan(65, 8));
        var limbs = Limbs4.ReadBigEndian(record.AsSpan(1, 32));
        if (size < 0 || size > int.MaxValue || !Mont<FrModulus>.IsCanonical(limbs)) throw new CorruptedBatchException(number, "the record header is damaged");
        return new StoredBatch(number, Fr.FromCanonical(limbs), size);
    }

    private static void Checksum(ulong number, ReadOnlySpan<byte> commitment, ReadOnlySpan<byte> data, Span<byte> destination) =>
        new Keccak256().Append(NumberKey(number)).Append(commitment).Append(data).GetHashAndReset(destination);

    internal static byte[] NumberKey(ulong number)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, number);
        return key;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) db.Dispose();
    }
}
