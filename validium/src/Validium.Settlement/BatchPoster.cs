using System.Diagnostics;
using System.Numerics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Batcher;
using Validium.DaCommittee.Client;
using Validium.L1;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.L1.Transactions;

namespace Validium.Settlement;

/// <summary>
/// Takes proven batches from the batcher's <see cref="BatchStore"/> in number order, from its own persisted cursor
/// (woken by <see cref="BatchPipeline.Released"/> when given, else by polling), and sees each through to L1: the
/// committee's attestation over the batch data (its commitment checked against the batch's), submitBatch with the
/// proof, the receipt, and <see cref="BatchPosterOptions.Confirmations"/> blocks. Every step is persisted
/// (<see cref="Status"/>, <see cref="List"/>, <see cref="StatusChanged"/>) and measured on meter "Validium.Poster".
/// <para>
/// A batch that fails at any step (committee below threshold, L1 unreachable, the contract refusing it) is held and
/// tried again with exponential backoff, its status carrying the error; later batches wait, nothing is skipped and
/// nothing goes to L1 without its data being available: with the committee's attestation, or, when the committee misses
/// its threshold for <see cref="DataFallbackPolicy.CommitteeTimeout"/> and <see cref="BatchPosterOptions.Fallback"/> is
/// enabled, with the data itself on L1 (submitBatchWithData; BatchPoster.Availability.cs). Before each submission the contract's batch number is read: a batch L1
/// already accepted (a submission from before a restart whose receipt was never seen) is taken from its
/// BatchSubmitted log, checked to be ours, and not sent again.
/// </para>
/// </summary>
public sealed partial class BatchPoster : IAsyncDisposable
{
    public const string MeterName = "Validium.Poster";
    private const long LogChunk = 10_000;
    private const int DroppedLooks = 3;

    private readonly BatchStore store;
    private readonly Contract validium;
    private readonly TransactionSender sender;
    private readonly DacClient dac;
    private readonly BatchPosterOptions options;
    private readonly ILogger logger;
    private readonly PostStatusFile file;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stop = new();
    private readonly PosterMetrics metrics;
    private ChannelReader<BatchRecord>? released;
    private Task<bool>? wake;
    private long lagBlocks;
    private long highestProven;

    private BatchPoster(BatchStore store, Contract validium, TransactionSender sender, DacClient dac, BatchPosterOptions options, ChannelReader<BatchRecord>? released, ILogger logger)
    {
        this.store = store;
        this.validium = validium;
        this.sender = sender;
        this.dac = dac;
        this.options = options;
        this.released = released;
        this.logger = logger;
        file = new PostStatusFile(options.Directory);
        highestProven = (long)file.LastConfirmed;
        metrics = new PosterMetrics(options.Directory, validium.Address, () => Interlocked.Read(ref lagBlocks), () => Math.Max(0, Interlocked.Read(ref highestProven) - (long)LastConfirmed),
            () => AvailabilityAlert is null ? 0 : 1);
        Completion = Task.Run(RunAsync);
    }

    /// <summary>
    /// Starts posting after the last batch the status file in <see cref="BatchPosterOptions.Directory"/> has confirmed.
    /// <paramref name="validium"/> needs the Validium ABI (submitBatch, batchNumber, processedOps, and submitBatchWithData
    /// when the fallback is enabled); pass the pipeline's
    /// <paramref name="released"/> only when nothing else reads it (its items only wake the poster; batches are read from the store).
    /// </summary>
    public static BatchPoster Start(BatchStore store, Contract validium, TransactionSender sender, DacClient dac, BatchPosterOptions options,
        ChannelReader<BatchRecord>? released = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(validium);
        ArgumentNullException.ThrowIfNull(options);
        string[] needed = options.Fallback is { Enabled: true } ? ["submitBatch", "batchNumber", "processedOps", OnChainData.Function] : ["submitBatch", "batchNumber", "processedOps"];
        foreach (var f in needed)
            if (!validium.Abi.Functions.Any(x => x.Name == f)) throw new ArgumentException($"the contract's ABI has no {f}: give the Validium contract's ABI", nameof(validium));
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(dac);
        options.Validate();
        return new BatchPoster(store, validium, sender, dac, options, released, logger ?? NullLogger.Instance);
    }

    /// <summary>Completes when disposed.</summary>
    public Task Completion { get; }

    /// <summary>Raised on the poster's thread after each persisted change of a batch's status.</summary>
    public event Action<BatchPostStatus>? StatusChanged;

    public BatchPostStatus? Status(ulong number)
    {
        lock (gate) return file.Get(number);
    }

    public IReadOnlyList<BatchPostStatus> List()
    {
        lock (gate) return file.All;
    }

    /// <summary>Every batch up to this one is confirmed on L1.</summary>
    public ulong LastConfirmed
    {
        get
        {
            lock (gate) return file.LastConfirmed;
        }
    }

    private async Task RunAsync()
    {
        var ct = stop.Token;
        ulong next = LastConfirmed + 1;
        var backoff = options.InitialBackoff;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var record = ReadProven(next);
                if (record is null)
                {
                    await WaitForWorkAsync(ct);
                    continue;
                }
                await PostAsync(record, ct);
                next++;
                backoff = options.InitialBackoff;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var reason = e switch
                {
                    AttestationUnavailableException or BatchHeldException => "attestation",
                    BatchRefusedException => "refused",
                    BatchConflictException => "conflict",
                    RpcTransportException or HttpRequestException or TimeoutException => "l1_unreachable",
                    _ => "error",
                };
                metrics.Retry(reason);
                Update(next, s => s with
                {
                    Attempts = s.Attempts + 1,
                    LastError = e.Message,
                    Stage = e is BatchRefusedException ? PostStage.Waiting : s.Stage,
                    TransactionHash = e is BatchRefusedException ? null : s.TransactionHash,
                });
                logger.LogWarning("batch poster: batch {Batch} held ({Reason}): {Error}; trying again in {Backoff}", next, reason, e.Message, backoff);
                try
                {
                    await Task.Delay(backoff, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>The batch when the store holds it proven; null while it is not cut or not proven yet.</summary>
    private BatchRecord? ReadProven(ulong number)
    {
        if (!File.Exists(store.PathOf(number))) return null;
        var record = store.Read(number);
        if (record.Status != BatchStatus.Proven || record.Proof is null) return null;
        InterlockedMax(ref highestProven, (long)number);
        return record;
    }

    private async Task WaitForWorkAsync(CancellationToken ct)
    {
        if (released is { } r)
        {
            wake ??= r.WaitToReadAsync(ct).AsTask();
            await Task.WhenAny(wake, Task.Delay(options.PollInterval, ct));
            ct.ThrowIfCancellationRequested();
            if (wake.IsCompleted)
            {
                // A completed channel (the batcher stopped) leaves polling; a faulted one too: the store is the source.
                if (wake.IsCompletedSuccessfully && wake.Result) wake = null;
                else released = null;
                while (r.TryRead(out var b)) InterlockedMax(ref highestProven, (long)b.Number);
            }
        }
        else await Task.Delay(options.PollInterval, ct);
    }

    private async Task PostAsync(BatchRecord record, CancellationToken ct)
    {
        ulong n = record.Number;
        if (Status(n) is null) Put(new BatchPostStatus { Number = n, Stage = PostStage.Waiting, DataCommitment = record.PublicInputs[2].ToString(), Updated = DateTimeOffset.UtcNow });
        if (Status(n)!.Stage == PostStage.Confirmed) return;

        ulong onChain = await BatchNumberAsync(ct);
        if (onChain < n && Status(n) is { Stage: PostStage.Submitted, TransactionHash: { } hash })
        {
            // Sent before (by this run or one before a restart) and not accepted yet: see it out rather than send again.
            if (await WaitForEarlierSubmissionAsync(n, Hex.Decode(hash), ct)) onChain = n;
        }
        if (onChain >= n)
        {
            await AdoptFromL1Async(record, ct);
            await ConfirmAsync(n, ct);
            return;
        }
        if (onChain + 1 < n) throw new InvalidOperationException($"L1 is at batch {onChain}: batch {onChain + 1} must be accepted before batch {n}");

        var bundle = await AvailabilityAsync(record, ct);
        ulong before = (ulong)(BigInteger)(await validium.CallAsync("processedOps", [], ct: ct))[0]!;
        ulong opsProcessed = before + (ulong)record.L1Operations;
        (BigInteger, ulong)[] withdrawals = [.. record.Payouts(store.Config)];
        var (function, args) = bundle is null
            ? BatchSubmission.CallWithData(record.PublicInputs, withdrawals, record.Proof!, record.DataWords, opsProcessed, record.Oracle.Round)
            : BatchSubmission.Call(record.PublicInputs, withdrawals, record.Proof!, bundle, opsProcessed, record.Oracle.Round, options.Encoding);
        var request = new TransactionRequest(validium.Address, validium.Abi.Function(function).EncodeCall(args));
        SentTransaction sent;
        try
        {
            sent = await sender.SendAsync(request, ct);
        }
        catch (JsonRpcException e) when (e.RevertData is { } revert)
        {
            throw new BatchRefusedException(n, validium.Abi.DecodeRevert(revert), "", e);
        }
        Update(n, s => s with { Stage = PostStage.Submitted, TransactionHash = Hex.Encode(sent.Hash), CalldataBytes = request.Data.Length, LastError = null });
        var receipt = await sender.WaitForReceiptAsync(sent, ct);
        if (!receipt.Succeeded)
        {
            var reason = await Contract.ExplainFailureAsync(sender.Eth, validium.Abi, request, sender.Address, receipt, ct);
            throw new BatchRefusedException(n, reason, $" (transaction {Hex.Encode(receipt.TransactionHash)} failed in block {receipt.BlockNumber})");
        }
        metrics.Gas(receipt.GasUsed);
        // The batch's data is on L1 now: it no longer waits for the committee, whatever the committee does next.
        if (bundle is null) dac.Availability.RecordSuccess(n);
        Update(n, s => s with
        {
            Stage = PostStage.Included, TransactionHash = Hex.Encode(receipt.TransactionHash), GasUsed = receipt.GasUsed, Block = receipt.BlockNumber,
            BlockHash = Hex.Encode(receipt.BlockHash), LastError = null,
        });
        await ConfirmAsync(n, ct);
    }

    private async Task<AttestationBundle> AttestAsync(BatchRecord record, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        var bundle = await dac.AttestAsync(record.Number, record.DataBytes(), ct);
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (bundle.Commitment != record.PublicInputs[2])
            throw new InvalidOperationException($"batch {record.Number}: the committee attested commitment {bundle.Commitment}, the batch's is {record.PublicInputs[2]}");
        metrics.Attested(ms);
        Update(record.Number, s => s with
        {
            Stage = PostStage.Attested, Signers = [.. bundle.Signatures.Select(x => x.Signer.ToString())], AttestationMilliseconds = ms, DataPath = DataAvailabilityPath.Committee,
            CommitteeFailure = null, LastError = null,
        });
        return bundle;
    }

    private async Task<ulong> BatchNumberAsync(CancellationToken ct) => (ulong)(BigInteger)(await validium.CallAsync("batchNumber", [], ct: ct))[0]!;

    /// <summary>
    /// Waits on a transaction sent earlier: true once L1 holds the batch (by this transaction or a replacement of it);
    /// false when the node no longer knows the transaction, so it must be sent again; a failed receipt is a refusal.
    /// </summary>
    private async Task<bool> WaitForEarlierSubmissionAsync(ulong n, byte[] hash, CancellationToken ct)
    {
        int unknown = 0;
        while (true)
        {
            if (await BatchNumberAsync(ct) >= n) return true;
            if (await sender.Eth.GetTransactionReceiptAsync(hash, ct) is { } receipt)
            {
                if (!receipt.Succeeded) throw new BatchRefusedException(n, null, $" (transaction {Hex.Encode(hash)} failed in block {receipt.BlockNumber})");
                continue;
            }
            if (await sender.Eth.GetTransactionAsync(hash, ct) is null && ++unknown >= DroppedLooks)
            {
                logger.LogWarning("batch poster: transaction {Hash} of batch {Batch} is unknown to the node: submitting again", Hex.Encode(hash), n);
                return false;
            }
            await Task.Delay(options.PollInterval, ct);
        }
    }

    /// <summary>L1 holds batch <c>n</c>: takes its BatchSubmitted log, checks it is this batch, and records it as included.</summary>
    private async Task AdoptFromL1Async(BatchRecord record, CancellationToken ct)
    {
        ulong n = record.Number;
        var eth = sender.Eth;
        long head = await eth.BlockNumberAsync(ct);
        var topic = new byte[32];
        BitConverter.TryWriteBytes(topic.AsSpan(24), n);
        if (BitConverter.IsLittleEndian) topic.AsSpan(24).Reverse();
        LogEntry? found = null;
        for (long from = options.StartBlock; from <= head && found is null; from += LogChunk)
        {
            var logs = await eth.GetLogsAsync(new LogFilter(from, Math.Min(head, from + LogChunk - 1), [validium.Address], [[L1Events.Batch.Topic0], [topic]]), ct);
            found = logs.FirstOrDefault(l => !l.Removed && L1Events.IsBatch(l, validium.Address));
        }
        if (found is null) throw new InvalidOperationException($"L1 has accepted batch {n} but no BatchSubmitted log for it was found from block {options.StartBlock} (is StartBlock after the deployment?)");
        var submitted = L1Events.DecodeBatch(found);
        var pi = record.PublicInputs;
        if (submitted.OldRoot != pi[0] || submitted.NewRoot != pi[1] || submitted.DataCommitment != pi[2])
            throw new BatchConflictException(
                $"L1 accepted a different batch {n} (root {submitted.OldRoot} -> {submitted.NewRoot}, commitment {submitted.DataCommitment}) than {store.PathOf(n)} " +
                $"({pi[0]} -> {pi[1]}, commitment {pi[2]}): this data directory does not belong to this contract's chain");
        var mine = Status(n);
        if (mine is { Stage: PostStage.Included } && mine.TransactionHash == Hex.Encode(found.TransactionHash) && mine.Block == found.BlockNumber) return;
        var receipt = await eth.GetTransactionReceiptAsync(found.TransactionHash, ct);
        if (receipt is not null) metrics.Gas(receipt.GasUsed);
        // Which path a batch took is on L1 too: submitBatchWithData also logs BatchDataOnChain.
        DataAvailabilityPath? path = receipt is null ? null
            : receipt.Logs.Any(l => !l.Removed && L1Events.IsDataOnChain(l, validium.Address)) ? DataAvailabilityPath.OnChain : DataAvailabilityPath.Committee;
        logger.LogInformation("batch poster: batch {Batch} is already on L1 (transaction {Hash}, block {Block}): not submitting it again", n, Hex.Encode(found.TransactionHash), found.BlockNumber);
        Update(n, s => s with
        {
            Stage = PostStage.Included, TransactionHash = Hex.Encode(found.TransactionHash), Block = found.BlockNumber, BlockHash = Hex.Encode(found.BlockHash),
            GasUsed = receipt?.GasUsed, FoundOnL1 = s.Stage < PostStage.Included, DataPath = path ?? s.DataPath, LastError = null,
        });
    }

    private async Task ConfirmAsync(ulong n, CancellationToken ct)
    {
        var status = Status(n)!;
        long block = status.Block ?? throw new InvalidOperationException($"batch {n} is included without a block");
        var hash = Hex.Decode(status.BlockHash ?? throw new InvalidOperationException($"batch {n} is included without a block hash"));
        while (true)
        {
            long head = await sender.Eth.BlockNumberAsync(ct);
            var header = await sender.Eth.GetBlockHeaderAsync(block, ct);
            if (header is null || !header.Hash.AsSpan().SequenceEqual(hash))
            {
                Update(n, s => s with { Stage = PostStage.Waiting, TransactionHash = null, Block = null, BlockHash = null, GasUsed = null });
                throw new InvalidOperationException($"block {block}, which included batch {n}, was reorganised away: posting the batch again");
            }
            long have = head - block + 1;
            if (have >= options.Confirmations)
            {
                Interlocked.Exchange(ref lagBlocks, 0);
                Update(n, s => s with { Stage = PostStage.Confirmed, LastError = null });
                ReleaseHold(n);
                metrics.Posted();
                if (status.DataPath == DataAvailabilityPath.OnChain) metrics.Fallback();
                logger.LogInformation("batch poster: batch {Batch} confirmed in block {Block}{Path}", n, block,
                    status.DataPath == DataAvailabilityPath.OnChain ? " with its data on L1" : "");
                return;
            }
            Interlocked.Exchange(ref lagBlocks, options.Confirmations - have);
            await Task.Delay(options.PollInterval, ct);
        }
    }

    private void Update(ulong n, Func<BatchPostStatus, BatchPostStatus> change)
    {
        BatchPostStatus next;
        lock (gate)
        {
            var current = file.Get(n) ?? new BatchPostStatus { Number = n, Stage = PostStage.Waiting };
            next = change(current) with { Updated = DateTimeOffset.UtcNow };
            file.Put(next);
        }
        StatusChanged?.Invoke(next);
    }

    private void Put(BatchPostStatus status) => Update(status.Number, _ => status);

    private static void InterlockedMax(ref long target, long value)
    {
        long seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            long was = Interlocked.CompareExchange(ref target, value, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested) return;
        await stop.CancelAsync();
        await Completion;
        metrics.Dispose();
        stop.Dispose();
    }
}
