using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.DaCommittee.Client;
using Validium.L1.Contracts;
using Validium.L1.Rpc;

namespace Validium.Settlement;

/// <summary>
/// What the node does when the committee cannot reach its threshold for a batch within <see cref="CommitteeTimeout"/>
/// (SPEC.md "On-chain data fallback"): post the batch's data to L1 itself when <see cref="Enabled"/>, or hold the batch
/// (nothing is posted, <see cref="DacAvailability"/> carries the alert) when not. Off by default: posting data on L1
/// costs far more gas than an attestation, so an operator opts in.
/// </summary>
public sealed record DataFallbackPolicy
{
    public bool Enabled { get; init; }

    /// <summary>How long to wait for the committee's threshold before falling back (or holding).</summary>
    public TimeSpan CommitteeTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public static DataFallbackPolicy Disabled { get; } = new();

    public void Validate()
    {
        if (CommitteeTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CommitteeTimeout), CommitteeTimeout, "the committee timeout must be positive");
    }
}

/// <summary>Where an accepted batch's data is available: with the committee (signatures on L1) or on L1 itself.</summary>
public enum DataAvailabilityPath
{
    Committee,
    OnChain,
}

/// <summary>
/// A batch the contract accepted through either path. <see cref="Attestation"/> is the committee's, or null for an
/// on-chain batch, whose <see cref="CommitteeFailure"/> says why the committee was not used.
/// </summary>
public sealed record AvailableBatch(ulong Number, ulong GasUsed, TransactionReceipt Receipt, DataAvailabilityPath Path, AttestationBundle? Attestation,
    string? CommitteeFailure, int DataWords, int CalldataBytes);

/// <summary>The committee missed its threshold and the on-chain fallback is disabled: the batch was not posted and is not committed.</summary>
public sealed class BatchHeldException(ulong batch, string reason)
    : Exception($"batch {batch} held, nothing posted to L1: the committee did not attest it ({reason}) and the on-chain data fallback is disabled")
{
    public ulong Batch { get; } = batch;
    public string Reason { get; } = reason;
}

public sealed partial class BatchSettler
{
    /// <summary>The availability the committee client reports to; the node's dashboard and alerts read it.</summary>
    public DacAvailability Availability => dac.Availability;

    /// <summary>
    /// Settles <paramref name="batch"/> with the committee's attestation if it comes within the policy's timeout;
    /// otherwise posts the batch's data words with <c>submitBatchWithData</c> when the policy allows, or throws
    /// <see cref="BatchHeldException"/> having posted nothing (the batch stays uncommitted, to retry later).
    /// </summary>
    public async Task<AvailableBatch> SettleWithFallbackAsync(PendingBatch batch, OracleRound oracle, ulong opsProcessed, DataFallbackPolicy policy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var proof = Prove(batch, oracle, ct);
        var data = batch.DataBytes();
        string failure;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            deadline.CancelAfter(policy.CommitteeTimeout);
            try
            {
                var bundle = await dac.AttestAsync(batch.BatchNumber, data, deadline.Token);
                var settled = await SubmitAttestedAsync(batch, oracle, opsProcessed, proof, bundle, ct);
                return new AvailableBatch(settled.Number, settled.GasUsed, settled.Receipt, DataAvailabilityPath.Committee, bundle, null, batch.DataWords.Count, 0);
            }
            catch (AttestationUnavailableException e)
            {
                failure = e.Message;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = $"no threshold within {policy.CommitteeTimeout}";
                dac.Availability.RecordFailure(batch.BatchNumber, failure);
            }
        }
        if (!policy.Enabled) throw new BatchHeldException(batch.BatchNumber, failure);

        var (function, args) = BatchSubmission.CallWithData(batch.PublicInputs, batch.Withdrawals, proof, batch.DataWords, opsProcessed, oracle.Round);
        int calldata = validium.Abi.Function(function).EncodeCall(args).Length;
        var receipt = await validium.SendAsync(sender, function, args, ct: ct);
        batch.Commit();
        // The batch's data is on L1 now: it no longer waits for the committee, whatever the committee does next.
        dac.Availability.RecordSuccess(batch.BatchNumber);
        return new AvailableBatch(batch.BatchNumber, receipt.GasUsed, receipt, DataAvailabilityPath.OnChain, null, failure, batch.DataWords.Count, calldata);
    }
}
