using System.Collections.Immutable;
using Validium.Batcher;
using Validium.Node.Exchange;

namespace Validium.Node.Dashboard;

public sealed record OperatorDashboardOptions
{
    /// <summary>Levels per side shown for each book.</summary>
    public int BookLevels { get; init; } = 10;

    /// <summary>Latest trades shown per instrument.</summary>
    public int Trades { get; init; } = 20;

    /// <summary>Latest batches shown.</summary>
    public int Batches { get; init; } = 20;

    /// <summary>Committee members whose <c>/health</c> is polled.</summary>
    public ImmutableArray<Uri> CommitteeMembers { get; init; } = [];

    /// <summary>How long a member may take to answer before it counts as down.</summary>
    public TimeSpan MemberTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often members and L1 are polled.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The L1 JSON-RPC endpoint; null shows L1 as not configured.</summary>
    public Uri? L1Rpc { get; init; }

    /// <summary>The Validium contract whose <c>batchNumber()</c> is shown; null shows only the head block.</summary>
    public string? ValidiumContract { get; init; }

    /// <summary>
    /// The overview shows operators' positions, queue and committee; by default only loopback callers get it (and the
    /// page), so exposing the node's listen address to traders does not expose the dashboard.
    /// </summary>
    public bool LoopbackOnly { get; init; } = true;

    public string? Validate()
    {
        if (BookLevels is < 1 or > 1000) return "BookLevels must be 1..1000";
        if (Trades is < 0 or > 10_000) return "Trades must be 0..10000";
        if (Batches is < 1 or > 10_000) return "Batches must be 1..10000";
        if (CommitteeMembers.IsDefault) return "CommitteeMembers must not be default";
        foreach (var m in CommitteeMembers)
            if (m is null || !m.IsAbsoluteUri || m.Scheme is not ("http" or "https")) return $"committee member '{m}' is not an absolute http(s) URL";
        if (MemberTimeout <= TimeSpan.Zero) return "MemberTimeout must be positive";
        if (PollInterval <= TimeSpan.Zero) return "PollInterval must be positive";
        if (L1Rpc is { } rpc && (!rpc.IsAbsoluteUri || rpc.Scheme is not ("http" or "https"))) return $"L1Rpc '{rpc}' is not an absolute http(s) URL";
        if (ValidiumContract is { } c && !Crypto.EthereumAddress.TryParse(c, out _)) return $"ValidiumContract '{c}' is not an address";
        if (ValidiumContract is not null && L1Rpc is null) return "ValidiumContract needs L1Rpc";
        return null;
    }
}

/// <summary>
/// Where the dashboard reads the node from. The exchange and pipeline are functions because the host starts them
/// after the services are built; null means not started yet, and the overview says so.
/// </summary>
public sealed record DashboardSources(Func<ExchangeService?> Exchange, Func<BatchPipeline?> Pipeline, string BatchDirectory, IDashboardL1Status? L1Status = null);

/// <summary>Where one batch stands on L1, as the poster knows it; <see cref="DataPath"/> is "committee" or "on-chain" once decided.</summary>
public sealed record BatchL1Info(string Stage, long? Block, string? TransactionHash, string? LastError, string? DataPath = null);

/// <summary>
/// The seam for per-batch L1 status: the batch poster's persisted status (Validium.Settlement's BatchPoster.Status)
/// answers it, registered as a service; the dashboard adds confirmations from the head block it reads itself.
/// Without it, batches show no L1 values.
/// </summary>
public interface IDashboardL1Status
{
    BatchL1Info? Get(ulong batch);

    /// <summary>The poster's alert while it holds a batch for want of data availability; null when none is held.</summary>
    string? Alert => null;
}
