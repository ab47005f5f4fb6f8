using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.L1.Rpc;

namespace Validium.L1.Events;

/// <summary>A reorganisation went below every block hash the watcher kept: it cannot tell where the chains fork.</summary>
public sealed class ReorgTooDeepException(string message) : Exception(message);

/// <summary>
/// Reads a contract's logs in block ranges that stay <see cref="EventWatcherOptions.Confirmations"/> behind the head,
/// and survives reorganisations and restarts.
/// Each poll first checks that the last processed block is still on the chain (same hash at its height); if not,
/// it walks back through the kept hashes to the highest block that still is, tells the consumer to rewind there, and
/// reads forward again. A range is delivered only if its headers link to the processed tip and to each other and every
/// log's block hash is the header's: a chain that changed mid-poll is read again at the next poll instead.
/// The cursor file is replaced atomically after the consumer returns (at-least-once across crashes: see <see cref="ILogConsumer"/>).
/// </summary>
public sealed class EventWatcher
{
    private const int FormatVersion = 1;
    private readonly EthClient eth;
    private readonly EventWatcherOptions options;
    private readonly ILogConsumer consumer;
    private readonly ILogger logger;
    private readonly string filterId;

    // Processed blocks still within the hash window, oldest first; the last is the cursor.
    private readonly List<(long Number, byte[] Hash)> processed = [];

    private EventWatcher(EthClient eth, EventWatcherOptions options, ILogConsumer consumer, ILogger logger)
    {
        this.eth = eth;
        this.options = options;
        this.consumer = consumer;
        this.logger = logger;
        filterId = string.Join(";", options.Addresses.Select(a => a.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal)) + "|" +
                   string.Join(";", options.Topics.Select(t => t is null ? "*" : string.Join(",", t.Select(x => Hex.Encode(x)))));
    }

    /// <summary>The highest block whose logs have been delivered; StartBlock - 1 before the first.</summary>
    public long LastProcessedBlock => processed.Count > 0 ? processed[^1].Number : options.StartBlock - 1;

    /// <summary>How many reorganisations have been handled since opening.</summary>
    public int Rewinds { get; private set; }

    public static EventWatcher Open(EthClient eth, EventWatcherOptions options, ILogConsumer consumer, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(eth);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(consumer);
        options.Validate();
        var w = new EventWatcher(eth, options, consumer, logger ?? NullLogger.Instance);
        w.Load();
        return w;
    }

    /// <summary>Polls until cancelled; transport failures are logged and the poll is tried again after the interval.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            long advanced;
            try
            {
                advanced = await PollOnceAsync(ct);
            }
            catch (RpcTransportException e)
            {
                logger.LogWarning("event watcher: {Error}; trying again in {Interval}", e.Message, options.PollInterval);
                advanced = 0;
            }
            if (advanced == 0) await Task.Delay(options.PollInterval, ct);
        }
    }

    /// <summary>
    /// One step: handles a reorganisation if the tip moved, otherwise reads and delivers the next range.
    /// Returns the number of blocks delivered (0 when caught up, after a rewind, or when the chain changed mid-read).
    /// </summary>
    public async Task<long> PollOnceAsync(CancellationToken ct = default)
    {
        if (processed.Count > 0)
        {
            var (tipNumber, tipHash) = processed[^1];
            var now = await eth.GetBlockHeaderAsync(tipNumber, ct);
            if (now is null || !now.Hash.AsSpan().SequenceEqual(tipHash))
            {
                await RewindAsync(ct);
                return 0;
            }
        }
        long head = await eth.BlockNumberAsync(ct);
        long from = LastProcessedBlock + 1;
        long to = Math.Min(head - options.Confirmations, from + options.MaxBlockRange - 1);
        if (to < from) return 0;

        var numbers = Enumerable.Range(0, (int)(to - from + 1)).Select(i => from + i).ToArray();
        var headers = await eth.GetBlockHeadersAsync(numbers, ct);
        for (int i = 0; i < headers.Length; i++)
        {
            var h = headers[i];
            if (h is null || h.Number != numbers[i]) return Changed($"block {numbers[i]} is missing");
            var expectedParent = i > 0 ? headers[i - 1]!.Hash : processed.Count > 0 ? processed[^1].Hash : null;
            if (expectedParent is not null && !h.ParentHash.AsSpan().SequenceEqual(expectedParent))
                return Changed($"block {h.Number} does not link to block {h.Number - 1} as read");
        }

        var logs = await eth.GetLogsAsync(new LogFilter(from, to, options.Addresses, options.Topics), ct);
        foreach (var log in logs)
        {
            if (log.BlockNumber < from || log.BlockNumber > to) throw new InvalidDataException($"eth_getLogs for {from}..{to} returned a log of block {log.BlockNumber}");
            if (log.Removed || !log.BlockHash.AsSpan().SequenceEqual(headers[log.BlockNumber - from]!.Hash))
                return Changed($"a log of block {log.BlockNumber} is from another version of that block");
        }
        var ordered = logs.OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex).ToArray();
        await consumer.HandleAsync(new LogBatch(from, to, headers[^1]!.Hash, ordered), ct);

        foreach (var h in headers) processed.Add((h!.Number, h.Hash));
        if (processed.Count > options.HashWindow) processed.RemoveRange(0, processed.Count - options.HashWindow);
        Save();
        return to - from + 1;
    }

    private long Changed(string why)
    {
        logger.LogInformation("event watcher: the chain changed while reading ({Why}); reading again next poll", why);
        return 0;
    }

    private async Task RewindAsync(CancellationToken ct)
    {
        long oldTip = LastProcessedBlock;
        var chain = await eth.GetBlockHeadersAsync(processed.Select(p => p.Number).ToArray(), ct);
        int keep = processed.Count;
        while (keep > 0 && !(chain[keep - 1] is { } h && h.Hash.AsSpan().SequenceEqual(processed[keep - 1].Hash))) keep--;
        long fork;
        if (keep > 0) fork = processed[keep - 1].Number;
        else if (processed[0].Number == options.StartBlock) fork = options.StartBlock - 1;
        else
            throw new ReorgTooDeepException(
                $"event watcher: none of the {processed.Count} kept block hashes ({processed[0].Number}..{oldTip}) is on the chain any more; " +
                $"the reorganisation is deeper than the hash window ({options.HashWindow}). Raise HashWindow/Confirmations and restart from a known-good block.");
        logger.LogWarning("event watcher: reorganisation: block {Tip} is no longer canonical; rewinding to {Fork}", oldTip, fork);
        // The consumer first: if the process dies before the cursor is saved, the rewind is simply found again.
        await consumer.RewindAsync(fork, ct);
        processed.RemoveRange(keep, processed.Count - keep);
        Rewinds++;
        Save();
    }

    private void Load()
    {
        if (!File.Exists(options.CursorPath)) return;
        CursorFile? c;
        try
        {
            c = JsonSerializer.Deserialize<CursorFile>(File.ReadAllBytes(options.CursorPath));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"event cursor {options.CursorPath} is not valid JSON: {e.Message}", e);
        }
        if (c is null || c.Version != FormatVersion) throw new InvalidDataException($"event cursor {options.CursorPath}: unknown format (version {c?.Version})");
        if (c.Filter != filterId) throw new InvalidDataException($"event cursor {options.CursorPath} was written for another filter ({c.Filter}); this watcher's is {filterId}");
        if (c.StartBlock != options.StartBlock) throw new InvalidDataException($"event cursor {options.CursorPath} starts at block {c.StartBlock}, the options say {options.StartBlock}");
        long previous = options.StartBlock - 1;
        foreach (var b in c.Blocks)
        {
            byte[] hash;
            try
            {
                hash = Hex.Decode(b.Hash);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"event cursor {options.CursorPath}: block {b.Number}: {e.Message}", e);
            }
            if (hash.Length != 32 || b.Number <= previous)
                throw new InvalidDataException($"event cursor {options.CursorPath}: block entries must have 32-byte hashes and rising numbers (at {b.Number})");
            processed.Add((b.Number, hash));
            previous = b.Number;
        }
    }

    private void Save()
    {
        var c = new CursorFile
        {
            Version = FormatVersion,
            Filter = filterId,
            StartBlock = options.StartBlock,
            Blocks = processed.Select(p => new BlockEntry { Number = p.Number, Hash = Hex.Encode(p.Hash) }).ToArray(),
        };
        AtomicFile.Write(options.CursorPath, JsonSerializer.SerializeToUtf8Bytes(c));
    }

    private sealed class CursorFile
    {
        [JsonPropertyName("version")] public int Version { get; set; }
        [JsonPropertyName("filter")] public string Filter { get; set; } = "";
        [JsonPropertyName("startBlock")] public long StartBlock { get; set; }
        [JsonPropertyName("blocks")] public BlockEntry[] Blocks { get; set; } = [];
    }

    private sealed class BlockEntry
    {
        [JsonPropertyName("n")] public long Number { get; set; }
        [JsonPropertyName("h")] public string Hash { get; set; } = "";
    }
}
