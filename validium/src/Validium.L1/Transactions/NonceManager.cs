using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Crypto;
using Validium.L1.Rpc;

namespace Validium.L1.Transactions;

/// <summary>A nonce in flight: the newest signed version (what a rebroadcast sends) and every hash sent for it (any may be mined).</summary>
public sealed record PendingNonce(ulong Nonce, byte[] LatestRaw, IReadOnlyList<byte[]> Hashes, DateTimeOffset FirstSent, DateTimeOffset LastSent)
{
    public SignedEip1559Transaction Latest => SignedEip1559Transaction.Decode(LatestRaw);
}

/// <summary>
/// Nonces of one account, kept in a small file so they survive restarts. Every signed transaction is recorded
/// (write-ahead, fsynced) before it is sent, so after a crash the manager knows what may be in flight and resends it.
/// On open it reconciles with the chain: nonces below the mined count are done; recorded ones above are resent;
/// the next nonce is the smallest at or above the node's pending count that no recorded transaction holds, which
/// both skips nonces someone else used (stale file) and fills gaps a lost mempool left (file ahead of the chain).
/// Thread-safe (one lock around the in-memory state and its file).
/// </summary>
public sealed class NonceManager
{
    private const int FormatVersion = 1;
    private readonly string path;
    private readonly SortedDictionary<ulong, PendingNonce> pending = [];
    private readonly Lock sync = new();

    private NonceManager(string path, EthereumAddress address, BigInteger chainId)
    {
        this.path = path;
        Address = address;
        ChainId = chainId;
    }

    public EthereumAddress Address { get; }
    public BigInteger ChainId { get; }

    /// <summary>The nonce <see cref="Reserve"/> hands out next.</summary>
    public ulong NextNonce
    {
        get
        {
            lock (sync) return next;
        }
    }

    private ulong next;

    public IReadOnlyCollection<PendingNonce> Pending
    {
        get
        {
            lock (sync) return pending.Values.ToArray();
        }
    }

    public static async Task<NonceManager> OpenAsync(string path, EthClient eth, EthereumAddress address, ILogger? logger = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(eth);
        logger ??= NullLogger.Instance;
        var chainId = await eth.ChainIdAsync(ct);
        var m = new NonceManager(path, address, chainId);
        ulong persistedNext = m.Load();
        ulong mined = await eth.GetTransactionCountAsync(address, "latest", ct);
        foreach (var n in m.pending.Keys.Where(n => n < mined).ToList())
        {
            logger.LogInformation("nonce {Nonce} of {Address} was mined while stopped ({Hashes})", n, address, string.Join(", ", m.pending[n].Hashes.Select(h => Hex.Encode(h))));
            m.pending.Remove(n);
        }
        foreach (var p in m.pending.Values)
        {
            try
            {
                await eth.SendRawTransactionAsync(p.LatestRaw, ct);
                logger.LogInformation("resent nonce {Nonce} of {Address} ({Hash})", p.Nonce, address, Hex.Encode(p.Hashes[^1]));
            }
            catch (JsonRpcException e)
            {
                // "already known" and kin: the node kept it. Anything else shows up when the sender polls for it.
                logger.LogInformation("resending nonce {Nonce} of {Address}: {Error}", p.Nonce, address, e.RpcMessage);
            }
        }
        ulong chainPending = await eth.GetTransactionCountAsync(address, "pending", ct);
        m.next = Math.Max(chainPending, mined);
        m.SkipRecorded();
        if (m.next != persistedNext)
            logger.LogWarning("nonce state of {Address} in {Path} said next {Persisted}; the chain says mined {Mined}, pending {Pending}: continuing at {Next}",
                address, path, persistedNext, mined, chainPending, m.next);
        m.Save();
        return m;
    }

    /// <summary>Hands out the next nonce. It is not persisted until <see cref="Record"/>; an unrecorded nonce is handed out again after a restart.</summary>
    public ulong Reserve()
    {
        lock (sync)
        {
            ulong n = next++;
            SkipRecorded();
            return n;
        }
    }

    /// <summary>
    /// Gives back a reserved nonce whose transaction the node rejected, so the next transaction takes it instead of
    /// leaving a gap that would hold up every later nonce.
    /// </summary>
    public void Release(ulong nonce)
    {
        lock (sync)
        {
            pending.Remove(nonce);
            next = Math.Min(next, nonce);
            Save();
        }
    }

    /// <summary>Persists a signed transaction (first version or replacement) before it is sent.</summary>
    public PendingNonce Record(SignedEip1559Transaction tx, DateTimeOffset now)
    {
        var t = tx.Transaction;
        if (t.ChainId != ChainId) throw new ArgumentException($"transaction is for chain {t.ChainId}, this account's state is for chain {ChainId}");
        var raw = tx.Encode();
        var hash = Keccak256.Hash(raw);
        lock (sync)
        {
            var entry = pending.TryGetValue(t.Nonce, out var old)
                ? old with { LatestRaw = raw, Hashes = old.Hashes.Any(h => h.AsSpan().SequenceEqual(hash)) ? old.Hashes : [.. old.Hashes, hash], LastSent = now }
                : new PendingNonce(t.Nonce, raw, [hash], now, now);
            pending[t.Nonce] = entry;
            Save();
            return entry;
        }
    }

    public PendingNonce? Get(ulong nonce)
    {
        lock (sync) return pending.GetValueOrDefault(nonce);
    }

    /// <summary>The nonce is settled (mined at enough depth, or given up on): forget it.</summary>
    public void Complete(ulong nonce)
    {
        lock (sync)
            if (pending.Remove(nonce)) Save();
    }

    private void SkipRecorded()
    {
        while (pending.ContainsKey(next)) next++;
    }

    private ulong Load()
    {
        if (!File.Exists(path)) return 0;
        StateFile? s;
        try
        {
            s = JsonSerializer.Deserialize<StateFile>(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"nonce state {path} is not valid JSON: {e.Message}", e);
        }
        if (s is null || s.Version != FormatVersion) throw new InvalidDataException($"nonce state {path}: unknown format (version {s?.Version})");
        if (!EthereumAddress.TryParse(s.Address, out var a) || a != Address)
            throw new InvalidDataException($"nonce state {path} belongs to {s.Address}, not {Address}: use one file per account");
        if (!BigInteger.TryParse(s.ChainId, out var chain) || chain != ChainId)
            throw new InvalidDataException($"nonce state {path} is for chain {s.ChainId}, the node is on chain {ChainId}");
        foreach (var p in s.Pending)
        {
            PendingNonce entry;
            try
            {
                var raw = Hex.Decode(p.Raw);
                var tx = SignedEip1559Transaction.Decode(raw);
                if (tx.Transaction.Nonce != p.Nonce || tx.Sender() != Address || tx.Transaction.ChainId != ChainId)
                    throw new FormatException("the recorded transaction does not match its nonce, account or chain");
                entry = new PendingNonce(p.Nonce, raw, p.Hashes.Select(Hex.Decode).ToArray(), p.FirstSent, p.LastSent);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"nonce state {path}: pending nonce {p.Nonce}: {e.Message}", e);
            }
            if (!pending.TryAdd(p.Nonce, entry)) throw new InvalidDataException($"nonce state {path} lists nonce {p.Nonce} twice");
        }
        return s.NextNonce;
    }

    private void Save()
    {
        var s = new StateFile
        {
            Version = FormatVersion,
            Address = Address.ToString(),
            ChainId = ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            NextNonce = next,
            Pending = pending.Values.Select(p => new PendingFile
            {
                Nonce = p.Nonce,
                Raw = Hex.Encode(p.LatestRaw),
                Hashes = p.Hashes.Select(h => Hex.Encode(h)).ToArray(),
                FirstSent = p.FirstSent,
                LastSent = p.LastSent,
            }).ToArray(),
        };
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(s, new JsonSerializerOptions { WriteIndented = true }));
    }

    private sealed class StateFile
    {
        [JsonPropertyName("version")] public int Version { get; set; }
        [JsonPropertyName("address")] public string Address { get; set; } = "";
        [JsonPropertyName("chainId")] public string ChainId { get; set; } = "";
        [JsonPropertyName("nextNonce")] public ulong NextNonce { get; set; }
        [JsonPropertyName("pending")] public PendingFile[] Pending { get; set; } = [];
    }

    private sealed class PendingFile
    {
        [JsonPropertyName("nonce")] public ulong Nonce { get; set; }
        [JsonPropertyName("raw")] public string Raw { get; set; } = "";
        [JsonPropertyName("hashes")] public string[] Hashes { get; set; } = [];
        [JsonPropertyName("firstSent")] public DateTimeOffset FirstSent { get; set; }
        [JsonPropertyName("lastSent")] public DateTimeOffset LastSent { get; set; }
    }
}
