using System.Text.Json.Serialization;

namespace Validium.DaCommittee.Client;

/// <summary>
/// The member's HTTP API. Batches are read by number (open to anyone, so recovery can walk every batch from 0 with
/// <see cref="List"/>) or by data commitment; only the sequencer submits.
/// </summary>
public static class DacRoutes
{
    public const string Batch = "/v1/batches/{number}";
    public const string ByCommitment = "/v1/commitments/{commitment}";
    public const string List = "/v1/batches";
    public const string Info = "/v1/info";
    public const string Health = "/health";
    public const string Metrics = "/metrics";

    public static string BatchPath(ulong number) => $"/v1/batches/{number}";

    public const string CommitmentHeader = "X-Dac-Commitment";
    public const string BatchHeader = "X-Dac-Batch";
}

/// <summary>Machine-readable reasons a member refuses a request; the HTTP status says whether retrying can help.</summary>
public static class DacErrors
{
    public const string Unauthenticated = "unauthenticated";
    public const string Stale = "stale";
    public const string Replayed = "replayed";
    public const string TooLarge = "too-large";
    public const string BadData = "bad-data";
    public const string Conflict = "conflict";
    public const string NotAMember = "not-a-member";
    public const string NotFound = "not-found";
    public const string Corrupted = "corrupted";
    public const string BadRequest = "bad-request";
}

public sealed record ErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message);

/// <summary>A member's answer to a submission: its signature over the SPEC digest of (chain, contract, batch, commitment).</summary>
public sealed record SubmitResponse(
    [property: JsonPropertyName("batchNumber")] ulong BatchNumber,
    [property: JsonPropertyName("commitment")] string Commitment,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("signer")] string Signer,
    [property: JsonPropertyName("signature")] string Signature);

public sealed record MemberInfo(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("chainId")] string ChainId,
    [property: JsonPropertyName("contract")] string Contract,
    [property: JsonPropertyName("sequencer")] string Sequencer,
    [property: JsonPropertyName("committee")] string[] Committee,
    [property: JsonPropertyName("threshold")] int Threshold,
    [property: JsonPropertyName("committeeSource")] string CommitteeSource,
    [property: JsonPropertyName("isMember")] bool IsMember,
    [property: JsonPropertyName("maxBatchBytes")] long MaxBatchBytes);

public sealed record BatchSummary(
    [property: JsonPropertyName("number")] ulong Number,
    [property: JsonPropertyName("commitment")] string Commitment,
    [property: JsonPropertyName("size")] long Size);

/// <summary>One page of stored batches in ascending order; <see cref="Next"/> is where the next page starts, null at the end.</summary>
public sealed record BatchPage(
    [property: JsonPropertyName("batches")] BatchSummary[] Batches,
    [property: JsonPropertyName("next")] ulong? Next);
