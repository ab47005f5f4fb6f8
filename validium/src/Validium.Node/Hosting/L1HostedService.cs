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
/// acknowledgements under DataDir/l1/watcher) whose deposits become <see cref="ExchangeService.DepositAsync"/> and whose
/// oracle rounds become <see cref="ExchangeService.OracleRoundAsync"/>. An event is acknowledged only once the exchange
/// journaled it (its ack has a sequence number) or knew it already (Duplicate), so a crash between the two delivers it
/// again and the exchange refuses the copy.
/// <para>
/// Forced withdrawals and trades cannot be taken by the batch pipeline yet. Taking the operations after one would break
/// the opIndex order the contract checks, so the first one holds the watcher: it is logged, counted, and health says
/// Degraded until the node serves forced requests (the contract freezes at the request's deadline).
/// </para>
/// </summary>
public sealed partial class L1HostedService(NodeOptions options, ExchangeHostedService exchange, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    public const string MeterName = "Validium.Node.L1";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Deposits = Meter.CreateCounter<long>("vld.l1.deposits_taken", description: "L1 deposits the exchange journaled");
    private static readonly Counter<long> Rounds = Meter.CreateCounter<long>("vld.l1.oracle_rounds_taken", description: "oracle rounds the exchange journaled");
    private static readonly Counter<long> Forced = Meter.CreateCounter<long>("vld.l1.forced_requests_held", description: "forced requests seen on L1 that the node cannot serve yet");

    private readonly ILogger logger = loggers.CreateLogger("Validium.Node.L1");
    private readonly CancellationTokenSource stop = new();
    private JsonRpcClient? rpc;
    private L1Watcher? watcher;
    private Task? consuming;
    private volatile string? held;
    private volatile string? fault;
    private int disposed;

    public L1Watcher? Watcher => watcher;

    /// <summary>Why the watcher is held on a forced request, or null.</summary>
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
        try
        {
            await foreach (var e in w.Events.ReadAllAsync(ct).ConfigureAwait(false))
            {
                Ack ack;
                switch (e)
                {
                    case L1OperationEvent op when op.IsDeposit:
                        var d = op.ToDeposit();
                        ack = await ex.DepositAsync(new L1Deposit(op.Index, d.Key, d.Amount, d.Depositor), ct).ConfigureAwait(false);
                        if (ack.Sequence > 0) Deposits.Add(1);
                        break;
                    case L1OperationEvent op:
                        Forced.Add(1);
                        held = $"forced request #{op.Index} (block {op.Block}, deadline {DateTimeOffset.FromUnixTimeSeconds(op.Deadline):u}) waits: " +
                            "forced requests are not yet served: the contract will freeze at the deadline";
                        LogForced(logger, op.Index, op.Block, op.Deadline);
                        return;
                    case L1PriceEvent p:
                        ack = await ex.OracleRoundAsync(p.Round, ct).ConfigureAwait(false);
                        if (ack.Sequence > 0) Rounds.Add(1);
                        break;
                    default:
                        throw new InvalidOperationException($"the L1 watcher delivered an unknown event {e.GetType().Name}");
                }
                if (ack.Sequence == 0 && ack.Code != AckCodes.Duplicate)
                {
                    // Not journaled (the node is stopping, or the command could not be taken): it stays unacknowledged and comes again at the next start.
                    if (!ct.IsCancellationRequested) fault = $"the exchange did not take {Describe(e)}: {ack.Code}: {ack.Message}";
                    LogNotTaken(logger, Describe(e), ack.Code, ack.Message);
                    return;
                }
                if (!ack.Accepted) LogRefused(logger, Describe(e), ack.Code, ack.Message);
                w.Acknowledge(e);
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

    private static string Describe(L1Event e) => e switch
    {
        L1OperationEvent op => $"L1 deposit #{op.Index}",
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

    [LoggerMessage(Level = LogLevel.Error, Message = "L1: forced request #{Index} in block {Block} (deadline {Deadline}) cannot be served by this node yet; following L1 is held there and the contract will freeze at the deadline")]
    private static partial void LogForced(ILogger logger, ulong index, long block, uint deadline);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1: the exchange did not take {Event} ({Code}: {Message}); it is read again at the next start")]
    private static partial void LogNotTaken(ILogger logger, string @event, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1: the exchange journaled and refused {Event} ({Code}: {Message})")]
    private static partial void LogRefused(ILogger logger, string @event, string code, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "L1: taking events from the watcher stopped")]
    private static partial void LogFailed(ILogger logger, Exception e);
}

/// <summary>"l1-watcher": the watcher's state and lag, Degraded while held on a forced request, Unhealthy once it or its consumer stopped.</summary>
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
