using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Accel;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Proving.Groth16;
using Validium.State;

namespace Validium.Batcher;

/// <summary>
/// Turns the sequencer's operation stream into proven batches. The matching path submits each command's operations
/// (<see cref="CollectAsync"/> from an <see cref="ExchangeRecorder"/>) and oracle rounds; a cutting loop cuts a batch
/// when a slot type of the circuit's shape is full, when the oldest operation has waited
/// <see cref="BatcherOptions.MaxBatchAge"/>, at each new oracle round, or on <see cref="FlushAsync"/>; builds its
/// witness on the state trees; persists it (<see cref="BatchStore"/>) and applies it to the state; then hands it to
/// the prover through a bounded queue. The prover thread proves on the accelerator, checks every proof against the
/// data directory's verification key, persists it, and only then releases the batch on <see cref="Released"/>.
/// <para>
/// Start-up rebuilds the state trees from the persisted batches (checking each rebuilds to its recorded public
/// inputs) and proves the batches cut before a crash but not proven, in order, from their persisted inputs; nothing
/// is cut again. <see cref="ResumeAfter"/> tells the feeder where in the sequencer's stream to resume. Batches proven
/// before the restart are not released again: a consumer (DAC submission, L1 poster) resumes from its own cursor
/// with <see cref="BatchStore.Read"/>.
/// </para>
/// </summary>
public sealed partial class BatchPipeline : IAsyncDisposable
{
    private readonly BatchStore store;
    private readonly BatcherOptions options;
    private readonly ILogger logger;
    private readonly BatchProver prover;
    private readonly StateStore state;
    private readonly BatchBuilder builder;
    private readonly List<BatchRecord> recovered;
    private readonly Channel<Intake> intake;
    private readonly Channel<BatchRecord> queue;
    private readonly Channel<BatchRecord> released = Channel.CreateUnbounded<BatchRecord>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource stop = new();
    private readonly List<PendingOp> pending = [];
    private readonly Lock addGate = new();
    private readonly Task cutting, proving;
    private readonly StreamPosition? resumeAfter;
    private OracleRound? oracle;
    private bool oracleKnown;
    private Fr opsHead;
    private ulong nextNumber;
    private long lastSequence = long.MinValue;
    private long unproven;
    private long waits;
    private volatile Exception? fault;
    private int stage = -1;
    private int disposed;

    private enum IntakeKind { Operations, Oracle, Flush }

    private sealed record Intake(IntakeKind Kind, long Arrived, List<PendingOp>? Ops = null, OracleRound? Oracle = null, TaskCompletionSource? Done = null);

    private readonly record struct PendingOp(object Op, StreamPosition Position, long Arrived);

    private BatchPipeline(BatchStore store, AccelDispatcher accel, BatcherOptions options, ILogger logger)
    {
        this.store = store;
        this.options = options;
        this.logger = logger;
        var config = store.Config;
        prover = new BatchProver(new BatchCircuit(config), store.LoadProvingKey(), store.VerifyingKey, accel);
        intake = Channel.CreateBounded<Intake>(new BoundedChannelOptions(options.IntakeCapacity) { SingleReader = true });
        queue = Channel.CreateBounded<BatchRecord>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, SingleWriter = true });
        Metrics = new BatcherMetrics(() => queue.Reader.Count, () => Interlocked.Read(ref unproven));

        // The trees are derived data: rebuilt from the batch records, which are the source of truth.
        if (Directory.Exists(store.StateDirectory)) Directory.Delete(store.StateDirectory, recursive: true);
        state = StateStore.Open(store.StateDirectory, accel, new StateStoreOptions { SyncWrites = false });
        try
        {
            builder = new BatchBuilder(config, state);
            opsHead = options.GenesisOpsHead;
            recovered = [];
            BatchRecord? last = null;
            foreach (var n in store.List())
            {
                var record = store.Read(n);
                Rebuild(record);
                if (record.Status == BatchStatus.Cut) recovered.Add(record);
                last = record;
            }
            nextNumber = (last?.Number ?? 0) + 1;
            if (last is not null)
            {
                oracle = last.Oracle;
                oracleKnown = true;
                resumeAfter = last.Through;
            }
            unproven = recovered.Count;
            LogStarted(logger, store.Directory, nextNumber - 1, recovered.Count);
        }
        catch
        {
            state.Dispose();
            Metrics.Dispose();
            throw;
        }
        cutting = Task.Run(CutLoop);
        proving = Task.Factory.StartNew(ProveLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Completion = Task.WhenAll(cutting, proving);
    }

    /// <summary>Starts on an initialised data directory (<see cref="BatchStore.Initialize"/>).</summary>
    public static BatchPipeline Start(BatchStore store, AccelDispatcher accel, BatcherOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(accel);
        options ??= new BatcherOptions();
        if (options.Validate() is { } err) throw new ArgumentException($"batcher options: {err}", nameof(options));
        return new BatchPipeline(store, accel, options, logger ?? NullLogger.Instance);
    }

    /// <summary>Proven batches, in order, each persisted with its verified proof before it appears here.</summary>
    public ChannelReader<BatchRecord> Released => released.Reader;

    /// <summary>Completes when the batcher stops; faults with the reason when a batch could not be cut or proven.</summary>
    public Task Completion { get; }

    public BatcherMetrics Metrics { get; }

    public CircuitConfig Config => store.Config;

    /// <summary>
    /// The last operation the persisted batches hold when this batcher started: submissions at or before it are
    /// dropped, so the sequencer's replay after a restart can be fed in whole without batching anything twice.
    /// </summary>
    public StreamPosition? ResumeAfter => resumeAfter;

    public int QueueDepth => queue.Reader.Count;

    /// <summary>Cut batches that found the prover's queue full and waited.</summary>
    public long BackPressureWaits => Interlocked.Read(ref waits);

    /// <summary>Batches persisted but not proven yet.</summary>
    public long Unproven => Interlocked.Read(ref unproven);

    /// <summary>The stage of the proof in progress, null between proofs.</summary>
    public ProveStage? CurrentStage => Volatile.Read(ref stage) is var s and >= 0 ? (ProveStage)s : null;

    /// <summary>Records that an oracle round was committed; the operations before it are cut into batches of the previous round.</summary>
    public ValueTask OracleCommittedAsync(OracleRound round, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (round.Prices.Length != Config.PriceCount)
            throw new ArgumentException($"the round has {round.Prices.Length} prices, the circuit's table {Config.InstrumentCount} instruments and {Config.OptionCount} option spots", nameof(round));
        _ = round.Commitment; // refuses a zero price here rather than at the cut
        ThrowIfStopped();
        lock (addGate) oracleKnown = true;
        return intake.Writer.WriteAsync(new Intake(IntakeKind.Oracle, options.Time.GetTimestamp(), Oracle: round), ct);
    }

    /// <summary>Takes what the recorder recorded for the command with this sequence number.</summary>
    public ValueTask CollectAsync(ExchangeRecorder recorder, long sequence, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var (deposits, trades, withdrawals) = recorder.TakeBatch();
        var liquidations = recorder.TakeLiquidations();
        var funding = recorder.TakeFunding();
        var expiries = recorder.TakeExpiries();
        var forced = recorder.TakeForced();
        if (forced.Count == 0) return AddAsync(sequence, deposits, trades, withdrawals, liquidations, funding, expiries, ct);
        if (liquidations.Count > 0 || funding.Ticks.Count > 0 || expiries.Count > 0)
            throw new InvalidOperationException($"command {sequence} consumed forced requests and caused liquidations, expiries or funding; only an oracle commit does those");
        return AddAsync(sequence, deposits, trades, withdrawals, forced, ct);
    }

    /// <summary>
    /// Submits the operations one sequenced command produced, indexed deposits, then trades, then withdrawals (the
    /// circuit's section order). Sequence numbers must increase. Waits while the intake is full.
    /// </summary>
    public ValueTask AddAsync(long sequence, IReadOnlyList<DepositOp> deposits, IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals,
        CancellationToken ct = default) => AddAsync(sequence, deposits, trades, withdrawals, Array.Empty<LiquidationOp>(), ct);

    /// <summary>
    /// As above, with the liquidations the command caused (an oracle commit's), indexed first: the engine made them
    /// before anything else the batch holds, and the circuit applies them first (CIRCUIT.md, "Batch order and the engine").
    /// </summary>
    public ValueTask AddAsync(long sequence, IReadOnlyList<DepositOp> deposits, IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals,
        IReadOnlyList<LiquidationOp> liquidations, CancellationToken ct = default) => AddAsync(sequence, deposits, trades, withdrawals, liquidations, FundingOp.None, [], ct);

    /// <summary>
    /// As above, with the funding the command made (an oracle commit's, after its liquidations), indexed after the
    /// liquidations: the circuit applies it right after them, so a batch holding other operations is cut before it.
    /// </summary>
    public ValueTask AddAsync(long sequence, IReadOnlyList<DepositOp> deposits, IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals,
        IReadOnlyList<LiquidationOp> liquidations, FundingOp funding, CancellationToken ct = default) => AddAsync(sequence, deposits, trades, withdrawals, liquidations, funding, [], ct);

    /// <summary>
    /// As above, with the option expiry settlements the command made (an oracle commit's), indexed before its
    /// liquidations: the engine expires options at the commit before it liquidates (CIRCUIT.md, "Expiry slots").
    /// </summary>
    public ValueTask AddAsync(long sequence, IReadOnlyList<DepositOp> deposits, IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals,
        IReadOnlyList<LiquidationOp> liquidations, IReadOnlyList<ExpiryOp> expiries, CancellationToken ct = default) =>
        AddAsync(sequence, deposits, trades, withdrawals, liquidations, FundingOp.None, expiries, ct);

    /// <summary>An oracle commit's expiries, liquidations and funding, in the engine's (and the circuit's) order, with the command's other operations.</summary>
    public ValueTask AddAsync(long sequence, IReadOnlyList<DepositOp> deposits, IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals,
        IReadOnlyList<LiquidationOp> liquidations, FundingOp funding, IReadOnlyList<ExpiryOp> expiries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(liquidations);
        ArgumentNullException.ThrowIfNull(funding);
        ArgumentNullException.ThrowIfNull(expiries);
        ArgumentNullException.ThrowIfNull(deposits);
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(withdrawals);
        ThrowIfStopped();
        var shape = Config.Shape;
        if (deposits.Count > 0 && shape.Deposits == 0 || trades.Count > 0 && shape.Trades == 0 || withdrawals.Count > 0 && shape.Withdrawals == 0
            || liquidations.Count > 0 && shape.Liquidations == 0 || funding.Ticks.Count > 0 && shape.Funding == 0 || expiries.Count > 0 && shape.Expiries == 0)
            throw new ArgumentException($"command {sequence} has operations of a kind the circuit has no slots for ({shape})");
        var all = expiries.Cast<object>().Concat(liquidations).Concat(funding.Ticks.Count > 0 ? [funding] : Array.Empty<object>()).Concat(deposits).Concat(trades).Concat(withdrawals).ToList();
        if (all.Any(op => op is null)) throw new ArgumentException($"command {sequence} has a null operation");
        return Enqueue(sequence, all, ct);
    }

    private ValueTask Enqueue(long sequence, List<object> all, CancellationToken ct)
    {
        long now = options.Time.GetTimestamp();
        var ops = new List<PendingOp>(all.Count);
        lock (addGate)
        {
            if (sequence <= lastSequence) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"sequence numbers must increase (the last was {lastSequence})");
            if (!oracleKnown && all.Count > 0)
                throw new InvalidOperationException("no oracle round is known yet: a batch is proven against a committed round (OracleCommittedAsync first)");
            lastSequence = sequence;
            for (int index = 0; index < all.Count; index++)
            {
                var position = new StreamPosition(sequence, index);
                if (resumeAfter is not { } r || position > r) ops.Add(new PendingOp(all[index], position, now));
            }
        }
        return ops.Count == 0 ? ValueTask.CompletedTask : intake.Writer.WriteAsync(new Intake(IntakeKind.Operations, now, Ops: ops), ct);
    }

    /// <summary>Cuts everything submitted so far; completes once those batches are persisted and queued for the prover.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        ThrowIfStopped();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await intake.Writer.WriteAsync(new Intake(IntakeKind.Flush, options.Time.GetTimestamp(), Done: done), ct).ConfigureAwait(false);
        await Task.WhenAny(done.Task, Completion).WaitAsync(ct).ConfigureAwait(false);
        if (!done.Task.IsCompleted) ThrowIfStopped();
        await done.Task.ConfigureAwait(false);
    }

    private void ThrowIfStopped()
    {
        if (fault is { } f) throw new InvalidOperationException($"the batcher stopped: {f.Message}", f);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
    }

    private void Rebuild(BatchRecord record)
    {
        if (record.OpsHeadBefore != opsHead)
            throw new InvalidDataException($"{store.PathOf(record.Number)}: it continues the L1 chain from {record.OpsHeadBefore}, the batch before ended at {opsHead}");
        PendingBatch built;
        try
        {
            built = builder.Build(record.Number, record.Oracle, record.OpsHeadBefore, record.Deposits, record.Forced, record.Trades, record.Withdrawals, record.Liquidations,
                record.Funding, record.Expiries);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{store.PathOf(record.Number)}: its operations no longer build a batch on the state before it: {e.Message}", e);
        }
        using (built)
        {
            for (int i = 0; i < record.PublicInputs.Length; i++)
                if (built.PublicInputs[i] != record.PublicInputs[i])
                    throw new InvalidDataException($"{store.PathOf(record.Number)}: its operations rebuild {BatchCircuit.PublicInputNames[i]} = {built.PublicInputs[i]}, the record says {record.PublicInputs[i]}");
            built.Commit();
        }
        opsHead = record.PublicInputs[4];
    }

    private async Task CutLoop()
    {
        var ct = stop.Token;
        Task<bool>? read = null;
        try
        {
            while (true)
            {
                read ??= intake.Reader.WaitToReadAsync(ct).AsTask();
                if (pending.Count > 0 && !read.IsCompleted)
                {
                    var age = options.Time.GetElapsedTime(pending[0].Arrived);
                    if (age >= options.MaxBatchAge)
                    {
                        await CutAsync(CutReason.Time, ct).ConfigureAwait(false);
                        continue;
                    }
                    using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    var delay = Task.Delay(options.MaxBatchAge - age, options.Time, timer.Token);
                    var first = await Task.WhenAny(read, delay).ConfigureAwait(false);
                    await timer.CancelAsync().ConfigureAwait(false);
                    if (first == delay) continue;
                }
                if (!await read.ConfigureAwait(false)) return;
                read = null;
                while (intake.Reader.TryRead(out var item)) await HandleAsync(item, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Fault(e);
            throw;
        }
    }

    private async Task HandleAsync(Intake item, CancellationToken ct)
    {
        switch (item.Kind)
        {
            case IntakeKind.Operations:
                pending.AddRange(item.Ops!);
                while (FitsThrough(out bool full) > 0 && full) await CutAsync(CutReason.Size, ct).ConfigureAwait(false);
                break;
            case IntakeKind.Oracle:
                while (pending.Count > 0) await CutAsync(CutReason.Oracle, ct).ConfigureAwait(false);
                oracle = item.Oracle;
                break;
            case IntakeKind.Flush:
                try
                {
                    while (pending.Count > 0) await CutAsync(CutReason.Flush, ct).ConfigureAwait(false);
                    item.Done!.TrySetResult();
                }
                catch (Exception e)
                {
                    item.Done!.TrySetException(e);
                    throw;
                }
                break;
        }
    }

    /// <summary>
    /// How many pending operations, from the oldest, fit one batch; full when a slot type would overflow or is exactly
    /// filled, or when an operation follows a forced request (which must run last: <see cref="EndsAfterForced"/>).
    /// </summary>
    private int FitsThrough(out bool full)
    {
        var shape = Config.Shape;
        Span<int> capacity = [shape.Deposits, shape.Trades, shape.Withdrawals, shape.Forced, shape.Liquidations, shape.Funding > 0 ? 1 : 0, shape.Expiries];
        Span<int> count = stackalloc int[capacity.Length];
        int k = 0;
        full = false;
        for (; k < pending.Count; k++)
        {
            int kind = pending[k].Op switch
            {
                DepositOp => 0, TradeOp => 1, WithdrawalOp => 2, ForcedOutcome => 3, LiquidationOp => 4, FundingOp => 5, ExpiryOp => 6,
                var other => throw new InvalidOperationException($"{other.GetType().Name} is not an operation the batcher cuts"),
            };
            // Funding runs right after the liquidations: a batch that already holds anything else ends before it.
            bool fundingAfterOthers = kind == 5 && (count[0] + count[1] + count[2] + count[3]) > 0;
            if (count[kind] == capacity[kind] || EndsAfterForced(count, kind) || fundingAfterOthers)
            {
                full = true;
                return k;
            }
            count[kind]++;
        }
        // A batch's one funding op does not fill it: the operations after the tick still fit the batch.
        for (int kind = 0; kind < capacity.Length; kind++) full |= kind != 5 && capacity[kind] > 0 && count[kind] == capacity[kind];
        return k;
    }

    private async Task CutAsync(CutReason reason, CancellationToken ct)
    {
        long started = options.Time.GetTimestamp();
        int k = FitsThrough(out _);
        var ops = pending.GetRange(0, k);
        var deposits = ops.Select(p => p.Op).OfType<DepositOp>().ToList();
        var trades = ops.Select(p => p.Op).OfType<TradeOp>().ToList();
        var withdrawals = ops.Select(p => p.Op).OfType<WithdrawalOp>().ToList();
        var liquidations = ops.Select(p => p.Op).OfType<LiquidationOp>().ToList();
        var forced = ops.Select(p => p.Op).OfType<ForcedOutcome>().ToList();
        var funding = ops.Select(p => p.Op).OfType<FundingOp>().SingleOrDefault() ?? FundingOp.None;
        var expiries = ops.Select(p => p.Op).OfType<ExpiryOp>().ToList();
        var round = oracle ?? throw new InvalidOperationException("operations are pending but no oracle round is known");
        BatchRecord record;
        using (var built = BuildOrExplain(round, deposits, forced, trades, withdrawals, liquidations, funding, expiries))
        {
            record = BatchRecord.FromPending(built, reason, ops[^1].Position, round, opsHead, deposits, trades, withdrawals, liquidations, forced.Select(f => f.Op), funding) with { Expiries = [.. expiries] };
            // Durable before the state moves and before the prover sees it: from here on a crash proves it again, never re-cuts it.
            store.Write(record);
            built.Commit();
        }
        opsHead = record.PublicInputs[4];
        nextNumber++;
        pending.RemoveRange(0, k);
        Interlocked.Increment(ref unproven);
        Metrics.Cut(reason, options.Time.GetElapsedTime(started));
        LogCut(logger, record.Number, reason, deposits.Count, trades.Count, withdrawals.Count);
        if (!queue.Writer.TryWrite(record))
        {
            long waitStarted = options.Time.GetTimestamp();
            Interlocked.Increment(ref waits);
            await queue.Writer.WriteAsync(record, ct).ConfigureAwait(false);
            var waited = options.Time.GetElapsedTime(waitStarted);
            Metrics.Waited(waited);
            LogBackPressure(logger, record.Number, waited.TotalMilliseconds);
        }
    }

    private PendingBatch BuildOrExplain(OracleRound round, List<DepositOp> deposits, List<ForcedOutcome> forced, List<TradeOp> trades, List<WithdrawalOp> withdrawals,
        List<LiquidationOp> liquidations, FundingOp funding, List<ExpiryOp> expiries)
    {
        try
        {
            var built = builder.Build(nextNumber, round, opsHead, deposits, [.. forced.Select(f => f.Op)], trades, withdrawals, liquidations, funding, expiries);
            CheckForcedDecisions(built, forced);
            return built;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The engine accepted what the circuit refuses: batching further would prove a state the engine does not have.
            throw new InvalidOperationException($"batch {nextNumber} cannot be built from the engine's operations: {e.Message}", e);
        }
    }

    /// <summary>On its own thread: a proof keeps a core busy for seconds to minutes, too long to hold a pool thread.</summary>
    private void ProveLoop()
    {
        var ct = stop.Token;
        try
        {
            foreach (var record in recovered) ProveAndRelease(record, ct);
            recovered.Clear();
            while (queue.Reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
                while (queue.Reader.TryRead(out var record)) ProveAndRelease(record, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Fault(e);
            throw;
        }
        finally
        {
            Volatile.Write(ref stage, -1);
        }
    }

    private void ProveAndRelease(BatchRecord record, CancellationToken ct)
    {
        var progress = new Progress(this);
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            Proof proof;
            try
            {
                proof = prover.Prove(record, progress, ct);
            }
            catch (BatchProofException e) when (e.FailedVerification)
            {
                Metrics.Rejected();
                LogRejected(logger, e, record.Number, attempt, options.ProveAttempts);
                if (attempt < options.ProveAttempts) continue;
                throw;
            }
            finally
            {
                Volatile.Write(ref stage, -1);
            }
            var proven = record with { Status = BatchStatus.Proven, Proof = proof };
            store.Write(proven);
            Interlocked.Decrement(ref unproven);
            Metrics.Proved(sw.Elapsed);
            LogProven(logger, record.Number, sw.Elapsed.TotalSeconds);
            released.Writer.TryWrite(proven);
            return;
        }
    }

    /// <summary>Reports synchronously on the prover's thread (System.Progress would post to the thread pool).</summary>
    private sealed class Progress(BatchPipeline owner) : IProgress<ProveStage>
    {
        public void Report(ProveStage value) => Volatile.Write(ref owner.stage, (int)value);
    }

    private void Fault(Exception e)
    {
        if (Interlocked.CompareExchange(ref fault, e, null) is not null) return;
        LogFaulted(logger, e);
        stop.Cancel();
        // Writers waiting for room in the intake get the reason instead of waiting for ever.
        intake.Writer.TryComplete(e);
        released.Writer.TryComplete(e);
    }

    /// <summary>
    /// Stops cutting and proving. Operations not yet cut are dropped (the feeder replays them from the sequencer after
    /// <see cref="ResumeAfter"/>); a batch being proven stays persisted as cut and is proven by the next start.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await stop.CancelAsync().ConfigureAwait(false);
        intake.Writer.TryComplete();
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception) when (fault is not null || Completion.IsCanceled)
        {
            // The fault was already reported through Completion and Released.
        }
        while (intake.Reader.TryRead(out var item)) item.Done?.TrySetCanceled();
        released.Writer.TryComplete();
        state.Dispose();
        Metrics.Dispose();
        stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batcher: {Directory} holds batches through {Last}; {Unproven} to prove again")]
    private static partial void LogStarted(ILogger logger, string directory, ulong last, int unproven);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batcher: cut batch {Number} ({Reason}): {Deposits} deposits, {Trades} trades, {Withdrawals} withdrawals")]
    private static partial void LogCut(ILogger logger, ulong number, CutReason reason, int deposits, int trades, int withdrawals);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batcher: the prover's queue was full; batch {Number} waited {Milliseconds:0} ms")]
    private static partial void LogBackPressure(ILogger logger, ulong number, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batcher: batch {Number} proven and verified in {Seconds:0.00} s")]
    private static partial void LogProven(ILogger logger, ulong number, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batcher: batch {Number}'s proof was rejected (attempt {Attempt} of {Attempts})")]
    private static partial void LogRejected(ILogger logger, Exception e, ulong number, int attempt, int attempts);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Batcher: stopped; nothing further is cut or released")]
    private static partial void LogFaulted(ILogger logger, Exception e);
}
