using Microsoft.Extensions.Logging;
using Validium.Batcher;
using Validium.DaCommittee.Client;

namespace Validium.Settlement;

/// <summary>
/// Where a batch's data is made available before it goes to L1 (SPEC.md "On-chain data fallback"): the committee's
/// attestation while it comes within <see cref="DataFallbackPolicy.CommitteeTimeout"/> of the batch's first attempt;
/// after that the batch's data words on L1 itself when <see cref="BatchPosterOptions.Fallback"/> is enabled, or the
/// batch held (nothing posted) with <see cref="AvailabilityAlert"/> raised while attestation is retried.
/// </summary>
public sealed partial class BatchPoster
{
    private string? availabilityAlert;

    /// <summary>
    /// "committee below threshold for batch N since T; on-chain data fallback disabled" while a batch is held for want of
    /// availability; null otherwise. The node's poster health and the <c>validium.poster.availability_held</c> gauge read it.
    /// </summary>
    public string? AvailabilityAlert => Volatile.Read(ref availabilityAlert);

    /// <summary>The committee's attestation, or null when the batch goes with its data on L1 (the decision is persisted).</summary>
    private async Task<AttestationBundle?> AvailabilityAsync(BatchRecord record, CancellationToken ct)
    {
        ulong n = record.Number;
        var policy = options.Fallback;
        var status = Status(n)!;
        // Restarts and retries keep the first attempt's time: the timeout is the batch's, not one attempt's.
        var since = status.AttestationStarted ?? DateTimeOffset.UtcNow;
        if (status.AttestationStarted is null) Update(n, s => s with { AttestationStarted = since });
        var deadline = since + policy.CommitteeTimeout;
        string failure;
        if (policy.Enabled && (status.DataPath == DataAvailabilityPath.OnChain || DateTimeOffset.UtcNow >= deadline))
            failure = status.CommitteeFailure ?? $"no threshold within {policy.CommitteeTimeout} of {since.UtcDateTime:u}";
        else
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var left = deadline - DateTimeOffset.UtcNow;
            if (left > TimeSpan.Zero) bound.CancelAfter(left);
            try
            {
                var bundle = await AttestAsync(record, bound.Token);
                ReleaseHold(n);
                return bundle;
            }
            catch (AttestationUnavailableException e) when (DateTimeOffset.UtcNow >= deadline)
            {
                failure = e.Message;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = $"no threshold within {policy.CommitteeTimeout}";
                dac.Availability.RecordFailure(n, failure);
            }
        }

        if (!policy.Enabled)
        {
            string alert = $"committee below threshold for batch {n} since {since.UtcDateTime:u}; on-chain data fallback disabled";
            if (Interlocked.Exchange(ref availabilityAlert, alert) != alert)
                logger.LogError("batch poster: {Alert}: batch {Batch} is held and nothing is posted until the committee attests it ({Failure})", alert, n, failure);
            throw new BatchHeldException(n, failure);
        }
        if (status.DataPath != DataAvailabilityPath.OnChain)
            logger.LogWarning("batch poster: the committee did not attest batch {Batch} within {Timeout} of {Since} ({Failure}): posting its data on L1 (submitBatchWithData)",
                n, policy.CommitteeTimeout, since, failure);
        Update(n, s => s with { DataPath = DataAvailabilityPath.OnChain, CommitteeFailure = failure });
        ReleaseHold(n);
        return null;
    }

    /// <summary>Batch <paramref name="n"/>, the one the poster is at, has its data available: any hold is over.</summary>
    private void ReleaseHold(ulong n)
    {
        var alert = Volatile.Read(ref availabilityAlert);
        if (alert is not null && Interlocked.CompareExchange(ref availabilityAlert, null, alert) == alert)
            logger.LogInformation("batch poster: batch {Batch} has its data available again; the hold is over", n);
    }
}
