using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Validium.DaCommittee.Client;
using Validium.L1;
using Validium.L1.Rpc;

namespace Validium.DaCommittee;

/// <summary>
/// The member's background duty: re-reads the committee (logging when this key joins or is removed; a removed member
/// refuses submissions at once, since each submission checks the committee too), applies the retention rule against
/// L1 finalization, and forgets nonces that the freshness window already rules out.
/// </summary>
internal sealed class CommitteeFollower(MemberService service, MemberMetrics metrics, L1Committee? l1, EthClient? eth, TimeProvider time, ILogger<CommitteeFollower> logger)
    : BackgroundService
{
    private bool? wasMember;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = service.Options.Raw;
        var interval = TimeSpan.FromSeconds(options.L1?.PollIntervalSeconds ?? 5);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("committee follower: {Message}", e.Message);
            }
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    internal async Task PollOnceAsync(CancellationToken ct)
    {
        var committee = await service.Committee.GetAsync(ct);
        bool member = committee.Contains(service.Address);
        if (wasMember != member)
        {
            if (member) logger.LogInformation("{Address} is a committee member ({Threshold} of {Count}): signing", service.Address, committee.Threshold, committee.Members.Count);
            else logger.LogWarning("{Address} is not in the committee: refusing to sign", service.Address);
            wasMember = member;
        }
        metrics.SetMember(member);

        var options = service.Options.Raw;
        if (options.RetainFinalizedBatches is { } keep && l1 is not null && eth is not null)
        {
            long block = await eth.BlockNumberAsync(ct) - options.L1!.Confirmations;
            if (block >= 0)
            {
                ulong finalized = await l1.ProvenBatchesAsync(Hex.EncodeQuantity(block), ct);
                // Batches 1..finalized are proven at a block deep enough to stay; keep the newest `keep` of them.
                if (finalized > (ulong)keep)
                {
                    int n = service.Store.PruneBelow(finalized - (ulong)keep + 1);
                    if (n > 0)
                    {
                        metrics.Pruned(n);
                        logger.LogInformation("retention: pruned {Count} batch(es) up to {Last} ({Keep} finalized batches kept)", n, finalized - (ulong)keep, keep);
                    }
                }
            }
        }
        service.Store.ForgetNoncesBefore(time.GetUtcNow().ToUnixTimeMilliseconds() - 2000L * options.MaxClockSkewSeconds);
        metrics.SetStored(service.Store.EstimatedCount());
    }
}
