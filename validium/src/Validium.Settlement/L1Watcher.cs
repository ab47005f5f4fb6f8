using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Crypto;
using Validium.L1.Events;
using Validium.L1.Rpc;
using Validium.Sequencer;

namespace Validium.Settlement;

/// <summary>
/// Follows what L1 asks of the node: the Validium contract's L1Operation events (deposits, forced withdrawals and
/// trades) and the PriceOracle's PricesUpdated rounds, <see cref="L1WatcherOptions.Confirmations"/> blocks behind the
/// head, through an <see cref="EventWatcher"/> (reorganisation-safe, persisted block cursor). Events come out of
/// <see cref="Events"/> in chain order, operations by opIndex without gaps and rounds consecutive; the consumer calls
/// <see cref="Acknowledge"/> for each, in order, once it has made the event its own (e.g. journaled it).
/// <para>
/// Nothing is lost or repeated across restarts: each acknowledgement is written durably before the next event can be
/// acknowledged, and the block cursor moves past a range only once all of that range's events are acknowledged. After
/// a crash the range is read again and what was acknowledged is skipped, checked against what was acknowledged
/// (an operation's chain head, a round's commitment): a chain that now says something else stops the watcher with an
/// <see cref="L1WatcherException"/>, as does a gap in opIndex. A node that cannot be reached is retried with
/// exponential backoff while <see cref="Status"/> says Degraded, with the last error; it resumes by itself.
/// </para>
/// </summary>
public sealed class L1Watcher : IAsyncDisposable
{
    private const int AckVersion = 1;
    private readonly EthClient eth;
    private readonly L1WatcherOptions options;
    private readonly ILogger logger;
    private readonly EventWatcher watcher;
    private readonly Channel<L1Event> channel;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private readonly Queue<L1Event> outstanding = new();
    private readonly string ackPath;
    private TaskCompletionSource? drained;
    private AckState acked;
    private ulong expectOperation;
    private ulong expectRound;
    private L1WatcherStatus status;

    private L1Watcher(EthClient eth, L1WatcherOptions options, ILogger logger)
    {
        this.eth = eth;
        this.options = options;
        this.logger = logger;
        System.IO.Directory.CreateDirectory(options.Directory);
        ackPath = Path.Combine(options.Directory, "l1-acknowledged.json");
        acked = LoadAck() ?? new AckState { NextOperation = options.FirstOperation, LastRound = options.LastKnownRound };
        expectOperation = acked.NextOperation;
        expectRound = acked.LastRound + 1;
        channel = Channel.CreateBounded<L1Event>(new BoundedChannelOptions(options.Capacity) { SingleWriter = true });
        watcher = EventWatcher.Open(eth, new EventWatcherOptions
        {
            Addresses = [options.Validium, options.Oracle],
            Topics = [[L1Events.Operation.Topic0, L1Events.Prices.Topic0]],
            CursorPath = Path.Combine(options.Directory, "l1-cursor.json"),
            StartBlock = options.StartBlock,
            Confirmations = options.Confirmations,
            MaxBlockRange = options.MaxBlockRange,
            HashWindow = Math.Max(256, options.Confirmations + 2),
            PollInterval = options.PollInterval,
        }, new Consumer(this), logger);
        status = new L1WatcherStatus(L1WatcherState.Starting, null, watcher.LastProcessedBlock, null, null, null, 0, acked.NextOperation, acked.LastRound);
        Completion = Task.Run(RunAsync);
    }

    /// <summary>Opens (or creates) the watcher's directory and starts following L1.</summary>
    public static L1Watcher Start(EthClient eth, L1WatcherOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(eth);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new L1Watcher(eth, options, logger ?? NullLogger.Instance);
    }

    /// <summary>
    /// Deposits, forced requests and oracle rounds in chain order; completes with the error when the watcher faults.
    /// The watcher reads the next block range only once every event it handed out is acknowledged, so a consumer
    /// takes an event, makes it its own and acknowledges it before it waits for the next.
    /// </summary>
    public ChannelReader<L1Event> Events => channel.Reader;

    /// <summary>Completes when the watcher is disposed; faults with the reason it stopped on its own.</summary>
    public Task Completion { get; }

    public L1WatcherStatus Status
    {
        get
        {
            lock (gate) return status;
        }
    }

    /// <summary>Raised (on the watcher's thread) whenever <see cref="Status"/> changes state or error.</summary>
    public event Action<L1WatcherStatus>? StatusChanged;

    /// <summary>The opIndex the next new operation must have: every operation below it is acknowledged.</summary>
    public ulong NextOperation
    {
        get
        {
            lock (gate) return acked.NextOperation;
        }
    }

    /// <summary>
    /// Marks <paramref name="e"/>, the oldest event handed out and not yet acknowledged, as the consumer's own; it is
    /// never delivered again once this returns. Acknowledging out of order is refused.
    /// </summary>
    public void Acknowledge(L1Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        lock (gate)
        {
            if (!outstanding.TryPeek(out var oldest))
                throw new InvalidOperationException("no event is waiting for an acknowledgement");
            if (!ReferenceEquals(oldest, e))
                throw new InvalidOperationException($"acknowledge events in the order they were delivered: the oldest waiting is {Describe(oldest)}, not {Describe(e)}");
            var next = e switch
            {
                L1OperationEvent op => acked with { NextOperation = op.Index + 1, LastHead = op.Operation.Head.ToString() },
                L1PriceEvent p => acked with { LastRound = p.Round.Round, LastRoundCommitment = p.Round.Commitment.ToString() },
                _ => throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(e)),
            };
            Durability.WriteAtomically(ackPath, JsonSerializer.SerializeToUtf8Bytes(next));
            acked = next;
            outstanding.Dequeue();
            status = status with { NextOperation = acked.NextOperation, LastRound = acked.LastRound };
            if (outstanding.Count == 0) drained?.TrySetResult();
        }
    }

    private static string Describe(L1Event e) => e switch
    {
        L1OperationEvent op => $"L1 operation #{op.Index}",
        L1PriceEvent p => $"oracle round {p.Round.Round}",
        _ => e.GetType().Name,
    };

    private async Task RunAsync()
    {
        var ct = stop.Token;
        var backoff = options.InitialBackoff;
        int failures = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                long advanced;
                try
                {
                    long head = await eth.BlockNumberAsync(ct);
                    advanced = await watcher.PollOnceAsync(ct);
                    failures = 0;
                    backoff = options.InitialBackoff;
                    long through = watcher.LastProcessedBlock;
                    SetStatus(s => s with
                    {
                        State = L1WatcherState.Healthy, HeadBlock = head, DeliveredThroughBlock = through, Lag = Math.Max(0, head - through), ConsecutiveFailures = 0,
                    });
                }
                catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested)
                {
                    failures++;
                    var message = e.Message;
                    SetStatus(s => s with { State = L1WatcherState.Degraded, LastError = message, LastErrorAt = DateTimeOffset.UtcNow, ConsecutiveFailures = failures });
                    logger.LogWarning("L1 watcher: {Error}; retrying in {Backoff} (failure {Count})", message, backoff, failures);
                    await Task.Delay(backoff, ct);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
                    continue;
                }
                if (advanced == 0) await Task.Delay(options.PollInterval, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            SetStatus(s => s with { State = L1WatcherState.Stopped });
            channel.Writer.TryComplete();
            return;
        }
        catch (Exception e)
        {
            logger.LogError(e, "L1 watcher stopped: {Error}", e.Message);
            SetStatus(s => s with { State = L1WatcherState.Faulted, LastError = e.Message, LastErrorAt = DateTimeOffset.UtcNow });
            channel.Writer.TryComplete(e);
            throw;
        }
        SetStatus(s => s with { State = L1WatcherState.Stopped });
        channel.Writer.TryComplete();
    }

    /// <summary>The node unreachable, timing out or answering with an error: worth another try. Bad data is not.</summary>
    private static bool IsTransient(Exception e) => e is RpcTransportException or JsonRpcException or HttpRequestException or TimeoutException;

    private void SetStatus(Func<L1WatcherStatus, L1WatcherStatus> change)
    {
        L1WatcherStatus before, after;
        lock (gate)
        {
            before = status;
            after = status = change(status);
        }
        if (before.State != after.State || before.LastError != after.LastError) StatusChanged?.Invoke(after);
    }

    private async Task HandleAsync(LogBatch batch, CancellationToken ct)
    {
        foreach (var log in batch.Logs)
        {
            L1Event? e = null;
            if (L1Events.IsOperation(log, options.Validium)) e = Operation(log);
            else if (L1Events.IsPrices(log, options.Oracle)) e = Round(log);
            if (e is null) continue;
            lock (gate) outstanding.Enqueue(e);
            await channel.Writer.WriteAsync(e, ct);
        }
        // The block cursor must not pass events the consumer has not made its own.
        Task wait;
        lock (gate)
        {
            if (outstanding.Count == 0) return;
            drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = drained.Task;
        }
        await wait.WaitAsync(ct);
    }

    private L1OperationEvent? Operation(LogEntry log)
    {
        var op = L1Events.DecodeOperation(log);
        lock (gate)
        {
            if (op.Index < expectOperation)
            {
                if (op.Index + 1 == acked.NextOperation && acked.LastHead is { } head && op.Head != Fr.Parse(head))
                    throw new L1WatcherException(
                        $"L1 operation #{op.Index} was acknowledged with chain head {head}, but block {log.BlockNumber} now logs it with head {op.Head}: " +
                        "a reorganisation replaced an operation the node already took; it must not continue on its own");
                return null;
            }
            if (op.Index > expectOperation)
                throw new L1WatcherException($"L1 operation #{op.Index} in block {log.BlockNumber} follows #{expectOperation - 1}: operation #{expectOperation} is missing (wrong StartBlock or FirstOperation, or a node that drops logs)");
            expectOperation++;
        }
        return new L1OperationEvent(op, L1Events.DecodeDeadline(log), log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex);
    }

    private L1PriceEvent? Round(LogEntry log)
    {
        var round = L1Events.DecodePrices(log);
        lock (gate)
        {
            if (round.Round < expectRound)
            {
                if (round.Round == acked.LastRound && acked.LastRoundCommitment is { } c && round.Commitment != Fr.Parse(c))
                    throw new L1WatcherException($"oracle round {round.Round} was acknowledged with commitment {c}, but block {log.BlockNumber} now logs commitment {round.Commitment}");
                return null;
            }
            if (round.Round > expectRound)
                throw new L1WatcherException($"oracle round {round.Round} in block {log.BlockNumber} follows round {expectRound - 1}: round {expectRound} is missing (wrong StartBlock or LastKnownRound?)");
            expectRound++;
        }
        return new L1PriceEvent(round, log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex);
    }

    private void Rewind(long forkBlock)
    {
        lock (gate)
        {
            // Everything delivered was acknowledged before the watcher could rewind (it waits for that), so what comes
            // again from the fork on is checked against the acknowledgements and what is new is delivered.
            expectOperation = acked.NextOperation;
            expectRound = acked.LastRound + 1;
        }
        logger.LogWarning("L1 watcher: reorganisation, reading again from block {Block}", forkBlock + 1);
    }

    private AckState? LoadAck()
    {
        if (!File.Exists(ackPath)) return null;
        AckState? a;
        try
        {
            a = JsonSerializer.Deserialize<AckState>(File.ReadAllBytes(ackPath));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{ackPath}: not an acknowledgement record: {e.Message}", e);
        }
        if (a is null || a.Version != AckVersion) throw new InvalidDataException($"{ackPath}: unknown format (version {a?.Version})");
        try
        {
            if (a.LastHead is { } h) _ = Fr.Parse(h);
            if (a.LastRoundCommitment is { } c) _ = Fr.Parse(c);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{ackPath}: {e.Message}", e);
        }
        return a;
    }

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested) return;
        await stop.CancelAsync();
        try
        {
            await Completion;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Reported through Completion, Events and Status already.
        }
        stop.Dispose();
    }

    private sealed record AckState
    {
        [JsonPropertyName("version")] public int Version { get; init; } = AckVersion;
        [JsonPropertyName("nextOperation")] public ulong NextOperation { get; init; }
        [JsonPropertyName("lastHead")] public string? LastHead { get; init; }
        [JsonPropertyName("lastRound")] public ulong LastRound { get; init; }
        [JsonPropertyName("lastRoundCommitment")] public string? LastRoundCommitment { get; init; }
    }

    private sealed class Consumer(L1Watcher owner) : ILogConsumer
    {
        public Task HandleAsync(LogBatch batch, CancellationToken ct) => owner.HandleAsync(batch, ct);

        public Task RewindAsync(long forkBlock, CancellationToken ct)
        {
            owner.Rewind(forkBlock);
            return Task.CompletedTask;
        }
    }
}
