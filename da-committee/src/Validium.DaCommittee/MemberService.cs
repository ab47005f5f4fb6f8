using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1;

namespace Validium.DaCommittee;

/// <summary>A request the member will not carry out; <see cref="Status"/> is the HTTP status, <see cref="Error"/> a <see cref="DacErrors"/> code.</summary>
public sealed class MemberRefusal(int status, string error, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Error { get; } = error;
}

/// <summary>
/// What a member does, apart from HTTP: authenticate the sequencer (signature, freshness, unseen nonce), check it is
/// still a committee member, recompute the data commitment, store the data durably, and only then sign the SPEC digest.
/// A batch number is signed for one payload only; the same payload again gets the same (deterministic) signature.
/// </summary>
public sealed class MemberService
{
    private readonly ValidatedMemberOptions options;
    private readonly Secp256k1PrivateKey key;
    private readonly BatchStore store;
    private readonly ICommitteeSource committee;
    private readonly MemberMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    // One writer decides "new, same or conflicting" for a batch number at a time; commitments are computed outside it.
    private readonly SemaphoreSlim writeGate = new(1, 1);

    public MemberService(ValidatedMemberOptions options, Secp256k1PrivateKey key, BatchStore store, ICommitteeSource committee, MemberMetrics metrics, TimeProvider time, ILogger logger)
    {
        this.options = options;
        this.key = key;
        this.store = store;
        this.committee = committee;
        this.metrics = metrics;
        this.time = time;
        this.logger = logger;
    }

    public EthereumAddress Address => key.Address;
    public ValidatedMemberOptions Options => options;
    public ICommitteeSource Committee => committee;
    public BatchStore Store => store;

    public async Task<SubmitResponse> SubmitAsync(ulong batchNumber, byte[] body, string? timestamp, string? nonce, string? signature, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await SubmitCoreAsync(batchNumber, body, timestamp, nonce, signature, ct);
            metrics.Submitted("signed", body.Length, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (MemberRefusal r)
        {
            metrics.Submitted(r.Error, 0, Stopwatch.GetElapsedTime(started));
            logger.LogInformation("refused batch {Batch}: {Error}: {Message}", batchNumber, r.Error, r.Message);
            throw;
        }
    }

    private async Task<SubmitResponse> SubmitCoreAsync(ulong batchNumber, byte[] body, string? timestamp, string? nonce, string? signature, CancellationToken ct)
    {
        if (body.LongLength > options.Raw.MaxBatchBytes)
            throw new MemberRefusal(413, DacErrors.TooLarge, $"batch data is {body.LongLength} bytes, over the limit of {options.Raw.MaxBatchBytes}");
        if (!SubmitAuth.TryRecover(options.Domain, batchNumber, timestamp, nonce, signature, body, out long ts, out var nonceBytes, out var signer, out var error))
            throw new MemberRefusal(401, DacErrors.Unauthenticated, error);
        if (signer != options.Sequencer) throw new MemberRefusal(401, DacErrors.Unauthenticated, $"signed by {signer}, not the sequencer");
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long skewMs = options.Raw.MaxClockSkewSeconds * 1000L;
        if (Math.Abs(now - ts) > skewMs) throw new MemberRefusal(401, DacErrors.Stale, $"request time {ts} is more than {options.Raw.MaxClockSkewSeconds} s from ours ({now})");
        // After authentication, so strangers cannot fill the nonce table.
        if (!store.TryRecordNonce(nonceBytes, ts)) throw new MemberRefusal(401, DacErrors.Replayed, "this request's nonce was already used");

        CommitteeSnapshot members;
        try
        {
            members = await committee.GetAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new MemberRefusal(503, DacErrors.NotAMember, $"cannot read the committee from L1: {e.Message}");
        }
        if (!members.Contains(Address)) throw new MemberRefusal(403, DacErrors.NotAMember, $"{Address} is not in the committee: not signing");
        if (body.Length == 0) throw new MemberRefusal(400, DacErrors.BadData, "batch data is empty");

        Fr commitment;
        try
        {
            commitment = PoseidonSponge.CommitBytes(body);
        }
        catch (FormatException e)
        {
            throw new MemberRefusal(400, DacErrors.BadData, e.Message);
        }

        var record = store.Encode(batchNumber, commitment, body);
        await writeGate.WaitAsync(ct);
        try
        {
            if (store.Describe(batchNumber) is { } existing)
            {
                if (existing.Commitment != commitment)
                    throw new MemberRefusal(409, DacErrors.Conflict, $"batch {batchNumber} is already signed for commitment {Hex.Encode(existing.Commitment.ToBigEndianBytes())}; refusing a different payload");
            }
            else store.Write(batchNumber, record);
        }
        finally
        {
            writeGate.Release();
        }

        var digest = options.Domain.AttestationDigest(batchNumber, commitment);
        var sig = DacDomain.SignDigest(key, digest);
        return new SubmitResponse(batchNumber, Hex.Encode(commitment.ToBigEndianBytes()), Hex.Encode(digest), Address.ToString(), sig.ToString());
    }

    /// <summary>The batch's bytes after the integrity check; null when not stored.</summary>
    public (StoredBatch Batch, byte[] Data)? Read(ulong batchNumber)
    {
        try
        {
            var result = store.Get(batchNumber);
            metrics.Read(result is null ? "not-found" : "ok");
            return result;
        }
        catch (CorruptedBatchException e)
        {
            metrics.Read("corrupted");
            logger.LogError("{Message}", e.Message);
            throw;
        }
    }

    public (StoredBatch Batch, byte[] Data)? ReadByCommitment(Fr commitment)
    {
        if (store.FindByCommitment(commitment) is not { } number)
        {
            metrics.Read("not-found");
            return null;
        }
        var result = Read(number);
        // The index pointed here; the record must agree, or the index is what is damaged.
        if (result is { } r && r.Batch.Commitment != commitment) throw new CorruptedBatchException(number, "the commitment index and the record disagree");
        return result;
    }

    public async Task<MemberInfo> InfoAsync(CancellationToken ct)
    {
        var members = await committee.GetAsync(ct);
        return new MemberInfo(Address.ToString(), options.Domain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture), options.Domain.Contract.ToString(),
            options.Sequencer.ToString(), members.Members.Select(m => m.ToString()).ToArray(), members.Threshold, committee.Kind, members.Contains(Address), options.Raw.MaxBatchBytes);
    }
}
