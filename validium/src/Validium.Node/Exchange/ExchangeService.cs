using System.Diagnostics;
using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Batcher;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Sequencer;

namespace Validium.Node.Exchange;

public sealed record ExchangeServiceOptions
{
    /// <summary>The sequencer's directory (journal/ inside it).</summary>
    public required string Directory { get; init; }

    public EngineConfig Engine { get; init; } = new();

    /// <summary>The key whose first deposit opens the circuit's fee account; other keys never get that account number.</summary>
    public BabyJubjubPoint? OperatorKey { get; init; }

    /// <summary>Levels per side in <see cref="BookDepth"/>.</summary>
    public int DepthLevels { get; init; } = 20;

    /// <summary>Fills kept per account in <see cref="AccountState.Fills"/>.</summary>
    public int FillHistory { get; init; } = 100;

    /// <summary>Trades kept in <see cref="ExchangeView.RecentTrades"/>.</summary>
    public int TradeHistory { get; init; } = 200;

    /// <summary>Updates a subscriber may fall behind before it is dropped.</summary>
    public int SubscriberCapacity { get; init; } = 1024;

    /// <summary>How long stopping waits for submitted commands to be applied and answered.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) return "a directory is required";
        if (Engine is null || Engine.Validate() is { } e) return $"engine: {Engine?.Validate() ?? "required"}";
        if (DepthLevels is < 1 or > 1000) return "DepthLevels must be 1..1000";
        if (FillHistory is < 0 or > 100_000) return "FillHistory must be 0..100000";
        if (TradeHistory is < 0 or > 100_000) return "TradeHistory must be 0..100000";
        if (SubscriberCapacity < 1) return "SubscriberCapacity must be at least 1";
        if (DrainTimeout <= TimeSpan.Zero) return "DrainTimeout must be positive";
        return Time is null ? "a TimeProvider is required" : null;
    }
}

/// <summary>
/// The node's matching core. Commands are checked, journaled by the sequencer (group-commit fsync), applied to the
/// exchange in sequence order on one thread, and answered with an <see cref="Ack"/> once applied; their batch
/// operations and oracle rounds flow to the <see cref="BatchPipeline"/>. Reads come from an immutable
/// <see cref="ExchangeView"/> published after every apply, safe from any thread; subscriptions are bounded and drop a
/// subscriber that falls behind rather than wait for it.
/// <para>
/// Start-up replays the whole journal (no snapshots; see <see cref="ExchangeJournalHandler"/>) and feeds the
/// pipeline everything after its <see cref="BatchPipeline.ResumeAfter"/>, so a restart rebuilds the same state and
/// the same batches.
/// </para>
/// </summary>
public sealed partial class ExchangeService : IAsyncDisposable
{
    private readonly ExchangeServiceOptions options;
    private readonly BatchPipeline pipeline;
    private readonly ILogger logger;
    private readonly ExchangeJournalHandler handler;
    private readonly ViewBuilder view;
    private readonly Sequencer<Applied> sequencer;
    private readonly AckTable acks = new();
    private readonly Lock stampGate = new();
    private readonly Topic<int, BookDepth> books = new();
    private readonly Topic<int, TradeView> trades = new();
    private readonly Topic<int, AccountUpdate> accounts = new();
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task pump;
    private readonly Lock fedGate = new();
    private readonly List<(long Sequence, TaskCompletionSource Done)> fedWaiters = [];
    private long fed;
    private bool pumpDone;
    private long lastStamp;
    private int inFlight;
    private volatile bool stopping;
    private volatile string? pipelineFault;
    private int disposed;

    private ExchangeService(ExchangeServiceOptions options, BatchPipeline pipeline, ILoggerFactory loggers)
    {
        this.options = options;
        this.pipeline = pipeline;
        logger = loggers.CreateLogger("Validium.Node.Exchange");
        view = new ViewBuilder(options.DepthLevels, options.FillHistory, options.TradeHistory);
        handler = new ExchangeJournalHandler(options.Engine, pipeline.Config, options.OperatorKey, view);
        sequencer = Sequencer<Applied>.Start(new SequencerOptions { Directory = options.Directory, SnapshotEvery = 0 }, handler, loggers);
        Metrics = new ExchangeMetrics(() => sequencer.LastApplied, () => Volatile.Read(ref inFlight), () => handler.HeldFundingTicks);
        pump = Task.Run(PumpAsync);
    }

    /// <summary>Opens the journal, replays it through the exchange and into the pipeline, and returns once the service takes commands.</summary>
    public static async Task<ExchangeService> StartAsync(ExchangeServiceOptions options, BatchPipeline pipeline, ILoggerFactory? loggers = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        if (options.Validate() is { } err) throw new ArgumentException($"exchange options: {err}", nameof(options));
        var service = new ExchangeService(options, pipeline, loggers ?? NullLoggerFactory.Instance);
        try
        {
            await service.sequencer.Replayed.WaitAsync(ct).ConfigureAwait(false);
            await service.WaitFedAsync(service.sequencer.LastApplied, ct).ConfigureAwait(false);
            service.lastStamp = service.handler.LastTime;
            LogStarted(service.logger, service.sequencer.LastApplied, pipeline.ResumeAfter?.ToString() ?? "the start");
            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The exchange as of the last applied command.</summary>
    public ExchangeView View => view.View;

    public long LastApplied => sequencer.LastApplied;

    public ExchangeMetrics Metrics { get; }

    /// <summary>Null while commands are applied; otherwise why applying stopped.</summary>
    public string? ApplyFault => sequencer.Output.Completion.IsFaulted ? $"the sequencer stopped: {sequencer.Output.Completion.Exception?.GetBaseException().Message}" : null;

    /// <summary>Null while the pipeline takes this exchange's operations; otherwise why it refused them (batching resumes after a restart).</summary>
    public string? BatcherFault => pipelineFault is { } p ? $"the batcher refused operations: {p}" : null;

    /// <summary>Null while healthy; otherwise why commands are no longer applied or batched.</summary>
    public string? Fault => ApplyFault ?? BatcherFault;

    /// <summary>Perpetuals whose due funding tick waits because their holders do not fit the circuit's settlement slots (also the gauge <c>validium.node.funding.held</c>).</summary>
    public int HeldFundingTicks => handler.HeldFundingTicks;

    /// <summary>The engine's canonical state hash (Keccak of its snapshot), taken between two commands.</summary>
    public byte[] StateHash()
    {
        lock (handler.Gate) return handler.Engine.StateHash();
    }

    /// <summary>A signed place, amend, cancel or cancel-all (ORDERS.md); its <see cref="Command.Time"/> is ignored: the node stamps it.</summary>
    public Task<Ack> SubmitAsync(Command command, EdDsaSignature signature, CancellationToken ct = default)
    {
        if (!OrderSigning.IsSignable(command.Kind))
            return Refuse(AckCodes.Malformed, $"{command.Kind} is not a trader command (place, amend, cancel, cancel-all)");
        // Checked here, on the caller's thread, when the account's key is known (keys never change): a forged command never
        // takes journal space and the single matching thread does not check it again. Commands for accounts not known yet
        // are checked when applied.
        bool verified = false;
        if (View.Accounts.TryGetValue(command.Account, out var account))
        {
            if (!OrderSigning.Verify(command, signature, account.Key))
                return Refuse(AckCodes.BadSignature, $"the signature is not account {command.Account}'s key's over the command");
            verified = true;
        }
        return SubmitAsync(new SignedCommand(command, signature, verified), ct);
    }

    public Task<Ack> PlaceAsync(Command order, EdDsaSignature signature, CancellationToken ct = default) =>
        order.Kind == CommandKind.Place ? SubmitAsync(order, signature, ct) : Refuse(AckCodes.Malformed, $"{order.Kind} is not a place");

    /// <summary>A signed amend: the whole order as it rests, with a new price and remaining quantity (<see cref="Command.AmendOf"/>).</summary>
    public Task<Ack> AmendAsync(Command amend, EdDsaSignature signature, CancellationToken ct = default) =>
        amend.Kind == CommandKind.Amend ? SubmitAsync(amend, signature, ct) : Refuse(AckCodes.Malformed, $"{amend.Kind} is not an amend");

    public Task<Ack> CancelAsync(Command cancel, EdDsaSignature signature, CancellationToken ct = default) =>
        cancel.Kind is CommandKind.Cancel or CommandKind.CancelAll ? SubmitAsync(cancel, signature, ct) : Refuse(AckCodes.Malformed, $"{cancel.Kind} is not a cancel");

    /// <summary>A signed withdrawal (<see cref="Circuits.BatchEncoding.WithdrawalMessage"/>); accepted ones go into the next batch and out on L1.</summary>
    public Task<Ack> WithdrawAsync(WithdrawalRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (View.Accounts.TryGetValue(request.Account, out var account))
        {
            if (request.Nonce <= account.WithdrawalNonce)
                return Refuse(AckCodes.BadNonce, $"withdrawal nonce {request.Nonce} is not above account {request.Account}'s last withdrawal nonce {account.WithdrawalNonce}");
            if (request.Recipient.Sign >= 0 && request.Recipient < BigInteger.One << 160 && request.Amount > 0 &&
                !EdDsaPoseidon.Verify(Circuits.BatchEncoding.WithdrawalMessage((ulong)request.Account, request.Nonce, request.Amount, request.Recipient), request.Signature, account.Key))
                return Refuse(AckCodes.BadSignature, $"the signature is not account {request.Account}'s key's over the withdrawal");
        }
        return SubmitAsync(request, ct);
    }

    /// <summary>An L1 deposit from the watcher; a deposit at or before the last applied operation index is refused as a duplicate.</summary>
    public Task<Ack> DepositAsync(L1Deposit deposit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        return SubmitAsync(deposit, ct);
    }

    /// <summary>
    /// An L1 forced withdrawal or trade from the watcher, decided by the batch circuit's rule and consumed either way
    /// (a refused one answers with the rule's reason); one at or before the last applied operation index is a duplicate.
    /// </summary>
    public Task<Ack> ForcedAsync(L1Forced forced, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(forced);
        return SubmitAsync(forced, ct);
    }

    /// <summary>A committed PriceOracle round: re-marks the exchange and starts a new batch.</summary>
    public Task<Ack> OracleRoundAsync(OracleRound round, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(round);
        return SubmitAsync(new OracleRoundCommitted(round), ct);
    }

    /// <summary>Lists the next instrument; it must equal the batch circuit's table entry at that index.</summary>
    public Task<Ack> ListInstrumentAsync(InstrumentSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Validate() is { } err) return Refuse(nameof(RejectCode.BadInstrumentSpec), $"instrument spec: {err}");
        return SubmitAsync(new OperatorCommand(Command.List(0, spec)), ct);
    }

    /// <summary>Settles funding on a perpetual at the current marks.</summary>
    public Task<Ack> FundingAsync(int instrument, CancellationToken ct = default) => SubmitAsync(new OperatorCommand(Command.Funding(0, instrument)), ct);

    /// <summary>Book depth updates of one instrument, each a whole <see cref="BookDepth"/>, from the next change on.</summary>
    public Subscription<BookDepth> SubscribeBook(int instrument) => books.Subscribe(instrument, options.SubscriberCapacity);

    /// <summary>Every trade, from the next one on.</summary>
    public Subscription<TradeView> SubscribeTrades() => trades.Subscribe(0, options.SubscriberCapacity);

    /// <summary>One account's order events and fills, with the account after each command that touched it.</summary>
    public Subscription<AccountUpdate> SubscribeAccount(int account) => accounts.Subscribe(account, options.SubscriberCapacity);

    /// <summary>
    /// Completes once the command with this sequence number, and every one before it, has been handed to the pipeline
    /// (or held for the first oracle round); a <see cref="BatchPipeline.FlushAsync"/> after it cuts them.
    /// </summary>
    public Task WaitFedAsync(long sequence, CancellationToken ct = default)
    {
        lock (fedGate)
        {
            if (fed >= sequence) return Task.CompletedTask;
            if (pumpDone) return Task.FromException(new InvalidOperationException($"the exchange stopped before command {sequence} reached the batcher"));
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            fedWaiters.Add((sequence, done));
            return done.Task.WaitAsync(ct);
        }
    }

    private void Fed(long sequence)
    {
        List<TaskCompletionSource> ready = [];
        lock (fedGate)
        {
            fed = sequence;
            fedWaiters.RemoveAll(w =>
            {
                if (w.Sequence > sequence) return false;
                ready.Add(w.Done);
                return true;
            });
        }
        foreach (var done in ready) done.TrySetResult();
    }

    private static Task<Ack> Refuse(string code, string message) => Task.FromResult(Ack.Refused(0, code, message));

    private async Task<Ack> SubmitAsync(NodeCommand command, CancellationToken ct)
    {
        byte[] payload;
        try
        {
            payload = NodeCommandCodec.Encode(command);
        }
        catch (ArgumentException e)
        {
            return Ack.Refused(0, AckCodes.Malformed, e.Message);
        }
        Interlocked.Increment(ref inFlight);
        try
        {
            if (stopping) return Ack.Refused(0, AckCodes.Unavailable, "the node is stopping; the command was not taken");
            if (ApplyFault is { } fault) return Ack.Refused(0, AckCodes.Unavailable, fault);
            long started = Stopwatch.GetTimestamp();
            Task<long> durable;
            // Stamped and appended under one lock, so journal order is time order and the engine never sees time go back.
            long sequence;
            try
            {
                lock (stampGate)
                {
                    long now = Math.Max(options.Time.GetUtcNow().ToUnixTimeMilliseconds(), lastStamp);
                    lastStamp = now;
                    durable = sequencer.SubmitAsync(payload, now);
                }
                sequence = await durable.ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or IOException)
            {
                // Not durable, so not taken: the submitter may send it again.
                return Ack.Refused(0, AckCodes.Unavailable, $"the journal did not take the command: {e.Message}");
            }
            var ack = await acks.WaitAsync(sequence, ct).ConfigureAwait(false);
            Metrics.Answered(ack, Stopwatch.GetElapsedTime(started));
            return ack;
        }
        finally
        {
            if (Interlocked.Decrement(ref inFlight) == 0 && stopping) drained.TrySetResult();
        }
    }

    private async Task PumpAsync()
    {
        var resume = pipeline.ResumeAfter;
        var feed = new Feed(resume is not null);
        try
        {
            await foreach (var item in sequencer.Output.ReadAllAsync().ConfigureAwait(false))
            {
                if (!item.Replayed) acks.Complete(item.Sequence, item.Events.Ack);
                Publish(item.Events.Delta);
                if (pipelineFault is null)
                {
                    try
                    {
                        // Oracle rounds the persisted batches already used are not fed again; operations are filtered by the pipeline itself.
                        bool newRound = resume is not { } r || item.Sequence > r.Sequence;
                        await FeedAsync(feed, item.Sequence, item.Events, newRound).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is InvalidOperationException or ArgumentException or ObjectDisposedException)
                    {
                        // The exchange keeps answering (every command stays journaled); batching resumes from the journal after a restart.
                        pipelineFault = e.Message;
                        LogPipelineFailed(logger, e, item.Sequence);
                    }
                }
                Fed(item.Sequence);
            }
        }
        catch (Exception e)
        {
            LogApplyFailed(logger, e);
        }
        finally
        {
            lock (fedGate)
            {
                pumpDone = true;
                foreach (var (sequence, done) in fedWaiters) done.TrySetException(new InvalidOperationException($"the exchange stopped before command {sequence} reached the batcher"));
                fedWaiters.Clear();
            }
            acks.FailAll("the node stopped before applying the command; it is journaled and applies at the next start");
        }
    }

    /// <summary>Operations before the first oracle round wait for it: a batch is proven against a committed round.</summary>
    private sealed class Feed(bool oracleKnown)
    {
        public bool OracleKnown = oracleKnown;
        public readonly List<(long Sequence, Applied Applied)> Early = [];
    }

    private async Task FeedAsync(Feed feed, long sequence, Applied applied, bool newRound)
    {
        if (applied.Oracle is { } round)
        {
            if (newRound) await pipeline.OracleCommittedAsync(round).ConfigureAwait(false);
            feed.OracleKnown = true;
            foreach (var (seq, a) in feed.Early) await AddToPipeline(seq, a).ConfigureAwait(false);
            feed.Early.Clear();
        }
        if (!applied.HasOperations) return;
        if (feed.OracleKnown) await AddToPipeline(sequence, applied).ConfigureAwait(false);
        else feed.Early.Add((sequence, applied));
    }

    /// <summary>A forced request is a command of its own, and only an oracle commit (or an operator) liquidates or funds, so a command has one kind or the other.</summary>
    private ValueTask AddToPipeline(long sequence, Applied a)
    {
        if (a.Forced.Count == 0) return pipeline.AddAsync(sequence, a.Deposits, a.Trades, a.Withdrawals, a.Liquidations, a.Funding, a.Expiries);
        if (a.Liquidations.Count > 0 || a.Funding.Ticks.Count > 0 || a.Expiries.Count > 0) throw new InvalidOperationException($"command {sequence} consumed forced requests and caused liquidations, expiries or funding");
        return pipeline.AddAsync(sequence, a.Deposits, a.Trades, a.Withdrawals, a.Forced);
    }

    private void Publish(ViewDelta delta)
    {
        foreach (var b in delta.Books) books.Publish(b.Instrument, b);
        foreach (var t in delta.Trades) trades.Publish(0, t);
        foreach (var a in delta.Accounts) accounts.Publish(a.Account, a);
    }

    /// <summary>
    /// Stops intake, waits (up to <see cref="ExchangeServiceOptions.DrainTimeout"/>) for commands already taken to be
    /// applied and answered, closes the journal and ends subscriptions. The pipeline is the caller's to flush and stop.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        stopping = true;
        if (Volatile.Read(ref inFlight) == 0) drained.TrySetResult();
        if (await Task.WhenAny(drained.Task, Task.Delay(options.DrainTimeout)).ConfigureAwait(false) != drained.Task)
            LogDrainTimedOut(logger, Volatile.Read(ref inFlight));
        await sequencer.DisposeAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
        books.Close("the node stopped");
        trades.Close("the node stopped");
        accounts.Close("the node stopped");
        Metrics.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exchange: replayed the journal through {Sequence}; batching resumes after {Resume}")]
    private static partial void LogStarted(ILogger logger, long sequence, string resume);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Exchange: the batcher refused command {Sequence}'s operations; batching stops until a restart")]
    private static partial void LogPipelineFailed(ILogger logger, Exception e, long sequence);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Exchange: applying commands failed; no further commands are answered")]
    private static partial void LogApplyFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exchange: {Count} commands were still unanswered when stopping timed out; they are journaled and apply at the next start")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);
}
