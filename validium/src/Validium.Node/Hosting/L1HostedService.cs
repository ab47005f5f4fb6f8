using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Validium.Crypto;
using Validium.L1.Rpc;
using Validium.Node.Exchange;
using Validium.Settlement;

namespace Validium.Node.Hosting;

/// <summary>
/// Follows L1 for the exchange when <see cref="L1Options.Enabled"/>: an <see cref="L1Watcher"/> (its cursor and
/// acknowledgements under DataDir/l1/watcher) whose deposits become <see cref="ExchangeService.DepositAsync"/>, whose
/// forced withdrawals and trades become <see cref="ExchangeService.ForcedAsync"/> and whose oracle rounds become
/// <see cref="ExchangeService.OracleRoundAsync"/>. An event is acknowledged only once the exchange journaled it (its ack
/// has a sequence number) or knew it already (Duplicate), in delivery order, so a crash between the two delivers it
/// again and the exchange refuses the copy.
/// <para>
/// A forced trade is decided at an oracle round's prices. One queued before the exchange knows any round waits, and
/// the L1 operations behind it wait with it (the opIndex order the contract checks), while oracle rounds delivered
/// with it go on being taken; once a round is journaled they are submitted in queue order and everything is
/// acknowledged. Meanwhile health says Degraded with the reason. (The watcher delivers the next blocks only once these
/// are acknowledged, so a round must come in the same poll; a forced trade before a deployment's first round is the
/// one case still held: CIRCUIT.md.) A circuit without forced-request slots cannot serve a forced request at all: the
/// watcher is held there, Degraded, and the contract will freeze at the request's deadline.
/// </para>
/// </summary>
public sealed partial class L1HostedService(NodeOptions options, ExchangeHostedService exchange, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    public const string MeterName = "Validium.Node.L1";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Deposits = Meter.CreateCounter<long>("vld.l1.deposits_taken", description: "L1 deposits the exchange journaled");
    private static readonly Counter<long> Rounds = Meter.CreateCounter<long>("vld.l1.oracle_rounds_taken", description: "oracle rounds the exchange journaled");
    private static readonly Counter<long> Forced = Meter.CreateCounter<long>("vld.l1.forced_requests_taken",
        description: "L1 forced requests the exchange journaled, by outcome (executed, or refused by the batch circuit's rule; consumed either way)");

    private readonly ILogger logger = loggers.CreateLogger("Validium.Node.L1");
    private readonly CancellationTokenSource stop = new();
    private JsonRpcClient? rpc;
    private L1Watcher? watcher;
    private Task? consuming;
    private volatile string? held;
    private volatile string? fault;
    private int disposed;

    public L1Watcher? Watcher => watcher;

    /// <summary>Why L1 operations wait (a forced trade before the first oracle round, or a forced request the circuit cannot serve), or null.</summary>
    public string? Held => held;

    /// <summary>Why consuming events stopped for good (the exchange refused an event without journaling it), or null.</summary>
    public string? Fault => fault;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.L1.Enabled) return Task.CompletedTask;
        rpc = new JsonRpcClient(options.L1.Rpc, logger: loggers.CreateLogger("Validium.L1.Rpc"));
        watcher = L1Watcher.Start(new EthClient(rpc), new L1WatcherOptions
        {
            Validium = EthereumAddress.Parse(options.L1.Validium!), Oracle = EthereumAddress.Parse(options.L1.Oracle!),
            Directory = Path.Combine(options.L1Dir, "watcher"), StartBlock = options.L1.StartBlock, Confirmations = options.L1.Confirmations,
            PollInterval = options.L1.PollInterval,
        }, loggers.CreateLogger("Validium.Settlement.L1Watcher"));
        consuming = Task.Run(() => ConsumeAsync(watcher, exchange.Exchange, stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task ConsumeAsync(L1Watcher w, ExchangeService ex, CancellationToken ct)
    {
        // Delivered and not acknowledged yet, in delivery order; and the L1 operations waiting behind a forced request
        // that needs an oracle round (a suffix of the operations among them).
        var delivered = new Queue<L1Event>();
        var waiting = new List<L1OperationEvent>();
        try
        {
            await foreach (var e in w.Events.ReadAllAsync(ct).ConfigureAwait(false))
            {
                delivered.Enqueue(e);
                if (e is L1OperationEvent queued && waiting.Count > 0)
                {
                    waiting.Add(queued);
                    continue;
                }
                var ack = await SubmitAsync(ex, e, ct).ConfigureAwait(false);
                if (ack is null) return;
                if (ack.Code == AckCodes.NoOracleRound)
                {
                    var op = (L1OperationEvent)e;
                    waiting.Add(op);
                    held = $"forced request #{op.Index} (deadline {DateTimeOffset.FromUnixTimeSeconds(op.Deadline):u}) and the L1 operations after it wait for the first oracle round";
                    LogWaitingForRound(logger, op.Index);
                    continue;
                }
                if (ack.Code == AckCodes.NotProvable && e is L1OperationEvent { IsDeposit: false } unserved)
                {
                    held = $"forced request #{unserved.Index} (block {unserved.Block}, deadline {DateTimeOffset.FromUnixTimeSeconds(unserved.Deadline):u}) cannot be served: " +
                        $"{ack.Message}; the contract will freeze at the deadline";
                    LogUnservable(logger, unserved.Index, unserved.Block, unserved.Deadline, ack.Message);
                    return;
                }
                if (e is L1PriceEvent && ack.Accepted && waiting.Count > 0)
                {
                    foreach (var op in waiting)
                    {
                        var taken = await SubmitAsync(ex, op, ct).ConfigureAwait(false);
                        if (taken is null) return;
                        if (taken.Code == AckCodes.NoOracleRound) throw new InvalidOperationException($"the exchange journaled oracle round {((L1PriceEvent)e).Round.Round} but still knows no round");
                    }
                    waiting.Clear();
                    held = null;
                }
                while (waiting.Count == 0 && delivered.TryDequeue(out var done)) w.Acknowledge(done);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            fault = e.Message;
            LogFailed(logger, e);
        }
    }

    /// <summary>Hands one event to the exchange; null when it was not journaled (it stays unacknowledged and comes again at the next start).</summary>
    private async Task<Ack?> SubmitAsync(ExchangeService ex, L1Event e, CancellationToken ct)
    {
        var ack = e switch
        {
            L1OperationEvent op when op.IsDeposit => await DepositAsync(ex, op, ct).ConfigureAwait(false),
            L1OperationEvent op => await ex.ForcedAsync(new L1Forced(op.Index, op.ToForced()), ct).ConfigureAwait(false),
            L1PriceEvent p => await ex.OracleRoundAsync(p.Round, ct).ConfigureAwait(false),
            _ => throw new InvalidOperationException($"the L1 watcher delivered an unknown event {e.GetType().Name}"),
        };
        if (ack.Sequence > 0)
        {
            if (e is L1PriceEvent) Rounds.Add(1);
            else if (e is L1OperationEvent { IsDeposit: false } && ack.Code != AckCodes.NoOracleRound && ack.Code != AckCodes.NotProvable)
                Forced.Add(1, new KeyValuePair<string, object?>("outcome", ack.Accepted ? "executed" : "refused"));
        }
        if (ack.Sequence == 0 && ack.Code != AckCodes.Duplicate)
        {
            // Not journaled (the node is stopping, or the command could not be taken): it stays unacknowledged and comes again at the next start.
            if (!ct.IsCancellationRequested) fault = $"the exchange did not take {Describe(e)}: {ack.Code}: {ack.Message}";
            LogNotTaken(logger, Describe(e), ack.Code, ack.Message);
            return null;
        }
        if (!ack.Accepted && ack.Code is not (AckCodes.Duplicate or AckCodes.NoOracleRound)) LogRefused(logger, Describe(e), ack.Code, ack.Message);
        return ack;
    }

    private static async Task<Ack> DepositAsync(ExchangeService ex, L1OperationEvent op, CancellationToken ct)
    {
        var d = op.ToDeposit();
        var ack = await ex.DepositAsync(new L1Deposit(op.Index, d.Key, d.Amount, d.Depositor), ct).ConfigureAwait(false);
        if (ack.Sequence > 0) Deposits.Add(1);
        return ack;
    }

    private static string Describe(L1Event e) => e switch
    {
        L1OperationEvent op => $"L1 {(op.IsDeposit ? "deposit" : "forced request")} #{op.Index}",
        L1PriceEvent p => $"oracle round {p.Round.Round}",
        _ => e.GetType().Name,
    };

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (consuming is not null) await consuming.ConfigureAwait(false);
        if (watcher is not null) await watcher.DisposeAsync().ConfigureAwait(false);
        watcher = null;
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this once as itself and once as the hosted service it also is.
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        rpc?.Dispose();
        stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1: forced request #{Index} waits for the first oracle round; the L1 operations after it wait with it")]
    private static partial void LogWaitingForRound(ILogger logger, ulong index);

    [LoggerMessage(Level = LogLevel.Critical, Message = "L1: forced request #{Index} in block {Block} (deadline {Deadline}) cannot be served ({Reason}); following L1 is held there and the contract will freeze at the deadline")]
    private static partial void LogUnservable(ILogger logger, ulong index, long block, uint deadline, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1: the exchange did not take {Event} ({Code}: {Message}); it is read again at the next start")]
    private static partial void LogNotTaken(ILogger logger, string @event, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1: the exchange journaled and refused {Event} ({Code}: {Message})")]
    private static partial void LogRefused(ILogger logger, string @event, string code, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "L1: taking events from the watcher stopped")]
    private static partial void LogFailed(ILogger logger, Exception e);
}

/// <summary>"l1-watcher": the watcher's state and lag, Degraded while L1 operations wait (<see cref="L1HostedService.Held"/>), Unhealthy once it or its consumer stopped.</summary>
internal sealed class L1WatcherHealthCheck(L1HostedService l1, NodeOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        if (!options.L1.Enabled) return HealthCheckResult.Healthy("L1 is disabled (L1:Enabled)");
        if (l1.Watcher is not { } w) return HealthCheckResult.Unhealthy("not running");
        var s = w.Status;
        if (s.State is L1WatcherState.Faulted or L1WatcherState.Stopped) return HealthCheckResult.Unhealthy($"{s.State}: {s.LastError}");
        if (l1.Fault is { } fault) return HealthCheckResult.Unhealthy(fault);
        if (l1.Held is { } held) return HealthCheckResult.Degraded(held);
        return s.State switch
        {
            L1WatcherState.Starting => HealthCheckResult.Degraded("starting: no poll has finished yet"),
            L1WatcherState.Degraded => HealthCheckResult.Degraded($"L1 unreachable ({s.ConsecutiveFailures} failures): {s.LastError}"),
            _ => HealthCheckResult.Healthy($"through block {s.DeliveredThroughBlock} (head {s.HeadBlock}, lag {s.Lag}); next operation #{s.NextOperation}, last round {s.LastRound}"),
        };
    }
}
