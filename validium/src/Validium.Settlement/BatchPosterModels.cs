using System.Text.Json.Serialization;
using Validium.L1.Abi;
using Validium.L1.Contracts;

namespace Validium.Settlement;

public sealed record BatchPosterOptions
{
    /// <summary>Where the poster keeps its per-batch status file.</summary>
    public required string Directory { get; init; }

    /// <summary>Blocks on top of the including block's, counting it, before a batch counts as confirmed.</summary>
    public int Confirmations { get; init; } = 2;

    public ProofEncoding Encoding { get; init; } = BatchProof.Default;

    /// <summary>First block to search for BatchSubmitted logs when L1 already holds a batch the poster has no receipt for (the deployment block).</summary>
    public long StartBlock { get; init; }

    /// <summary>How often the store, receipts and confirmations are looked at when nothing wakes the poster.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait after the first failure of a batch; doubles per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a batch waits for the committee's threshold, counted from its first attestation attempt (across retries
    /// and restarts), and what happens then: its data posted on L1 with submitBatchWithData when enabled, else the batch
    /// held with an alert (<see cref="BatchPoster.AvailabilityAlert"/>) while attestation is retried.
    /// </summary>
    public DataFallbackPolicy Fallback { get; init; } = DataFallbackPolicy.Disabled;

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Directory);
        if (Confirmations < 1) throw new ArgumentOutOfRangeException(nameof(Confirmations), "at least 1 (included)");
        if (StartBlock < 0) throw new ArgumentOutOfRangeException(nameof(StartBlock), "must be >= 0");
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PollInterval), "must be positive");
        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff) throw new ArgumentOutOfRangeException(nameof(MaxBackoff), "backoffs must be positive, MaxBackoff >= InitialBackoff");
        ArgumentNullException.ThrowIfNull(Fallback);
        Fallback.Validate();
    }
}

public enum PostStage
{
    /// <summary>Proven, waiting for the committee (or held by an error: see <see cref="BatchPostStatus.LastError"/>).</summary>
    Waiting,

    /// <summary>The committee signed the batch's data commitment (a batch whose data goes on L1 skips this stage).</summary>
    Attested,

    /// <summary>The transaction was handed to the L1 node; no receipt yet.</summary>
    Submitted,

    /// <summary>Accepted in a block, not yet under enough confirmations.</summary>
    Included,

    /// <summary>Under <see cref="BatchPosterOptions.Confirmations"/> blocks: done.</summary>
    Confirmed,
}

/// <summary>
/// Where one batch is on its way to L1, as persisted: who attested and how long it took, the transaction, its gas and
/// block, and the last error while it is held. <see cref="FoundOnL1"/> marks a batch this poster found already accepted
/// (a submission from before a restart whose receipt it never saw), read back from the BatchSubmitted log.
/// <see cref="DataPath"/> says where the batch's data is available: with the committee (its signatures went to L1) or
/// on L1 itself (submitBatchWithData, with <see cref="CommitteeFailure"/> saying why the committee was not used).
/// </summary>
public sealed record BatchPostStatus
{
    [JsonPropertyName("number")] public required ulong Number { get; init; }
    [JsonPropertyName("stage")] public required PostStage Stage { get; init; }
    [JsonPropertyName("commitment")] public string? DataCommitment { get; init; }
    [JsonPropertyName("signers")] public IReadOnlyList<string> Signers { get; init; } = [];
    [JsonPropertyName("attestationMs")] public double? AttestationMilliseconds { get; init; }
    [JsonPropertyName("attestationStarted")] public DateTimeOffset? AttestationStarted { get; init; }
    [JsonPropertyName("dataPath")] public DataAvailabilityPath? DataPath { get; init; }
    [JsonPropertyName("committeeFailure")] public string? CommitteeFailure { get; init; }
    [JsonPropertyName("calldataBytes")] public int? CalldataBytes { get; init; }
    [JsonPropertyName("tx")] public string? TransactionHash { get; init; }
    [JsonPropertyName("gasUsed")] public ulong? GasUsed { get; init; }
    [JsonPropertyName("block")] public long? Block { get; init; }
    [JsonPropertyName("blockHash")] public string? BlockHash { get; init; }
    [JsonPropertyName("foundOnL1")] public bool FoundOnL1 { get; init; }
    [JsonPropertyName("attempts")] public int Attempts { get; init; }
    [JsonPropertyName("lastError")] public string? LastError { get; init; }
    [JsonPropertyName("updated")] public DateTimeOffset Updated { get; init; }
}

/// <summary>The contract refused the batch (a revert in gas estimation or a failed receipt), with the decoded reason.</summary>
public sealed class BatchRefusedException(ulong number, RevertReason? reason, string detail, Exception? inner = null)
    : Exception($"batch {number} refused by the contract: {reason?.ToString() ?? "no revert reason (the replay did not revert)"}{detail}", inner)
{
    public ulong Number { get; } = number;
    public RevertReason? Reason { get; } = reason;
}

/// <summary>L1 holds, under this batch's number, a batch other than ours: the data directory and the chain disagree.</summary>
public sealed class BatchConflictException(string message) : Exception(message);
