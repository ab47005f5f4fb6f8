using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Crypto;
using Validium.L1;

namespace Validium.DaCommittee.Client;

public sealed record DacClientOptions
{
    public required IReadOnlyList<Uri> Members { get; init; }

    /// <summary>How long one attestation may take in all, retries included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    public void Validate()
    {
        if (Members is null || Members.Count == 0) throw new ArgumentException("at least one member URL is needed");
        foreach (var m in Members)
            if (!m.IsAbsoluteUri || m.Scheme is not ("http" or "https")) throw new ArgumentException($"member URL '{m}' is not an absolute http(s) URL");
        if (Members.Distinct().Count() != Members.Count) throw new ArgumentException("a member URL is listed twice");
        if (Timeout <= TimeSpan.Zero || InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff) throw new ArgumentException("timeout and backoffs must be positive, MaxBackoff >= InitialBackoff");
    }
}

/// <summary>
/// The sequencer's side of the committee: sends a batch to every member at once, keeps each signature that recovers to
/// a current committee member over our own digest, retries members that fail transiently with exponential backoff, and
/// returns as soon as the threshold is met. Anything less within the timeout is an <see cref="AttestationUnavailableException"/>
/// and is recorded in <see cref="Availability"/>, so the node never posts a batch without availability.
/// </summary>
public sealed class DacClient : IDisposable
{
    public const string MeterName = "Validium.DaCommittee.Client";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> LatencyMs = Meter.CreateHistogram<double>("validium.dac.attestation.duration", "ms", "time to a threshold of signatures");
    private static readonly Counter<long> MemberFailures = Meter.CreateCounter<long>("validium.dac.member.failures", description: "member answers that were not a valid signature, by reason");

    private readonly DacDomain domain;
    private readonly Secp256k1PrivateKey sequencer;
    private readonly ICommitteeSource committee;
    private readonly DacClientOptions options;
    private readonly HttpClient http;
    private readonly ILogger logger;

    public DacClient(DacDomain domain, Secp256k1PrivateKey sequencer, ICommitteeSource committee, DacClientOptions options,
        DacAvailability? availability = null, ILogger? logger = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.domain = domain ?? throw new ArgumentNullException(nameof(domain));
        this.sequencer = sequencer ?? throw new ArgumentNullException(nameof(sequencer));
        this.committee = committee ?? throw new ArgumentNullException(nameof(committee));
        this.options = options;
        Availability = availability ?? new DacAvailability();
        this.logger = logger ?? NullLogger.Instance;
        http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public DacAvailability Availability { get; }

    public async Task<AttestationBundle> AttestAsync(ulong batchNumber, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        // Malformed data is the caller's bug: refuse it before anything is sent (parsing is cheap; hashing is not).
        var words = PoseidonSponge.FromBytes(data.Span);
        if (words.Length == 0) throw new ArgumentException("batch data is empty", nameof(data));
        // Our own commitment and digest, computed while the members compute theirs: a member's claims about either
        // are checked against these, never taken.
        var expected = Task.Run(() =>
        {
            var commitment = PoseidonSponge.Commit(words);
            return (commitment, domain.AttestationDigest(batchNumber, commitment));
        }, ct);
        CommitteeSnapshot members;
        try
        {
            members = await committee.GetAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Availability.RecordFailure(batchNumber, $"cannot read the committee: {e.Message}");
            throw;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeout);
        var valid = new ConcurrentDictionary<EthereumAddress, SignerSignature>();
        var failures = new ConcurrentDictionary<Uri, string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = options.Members.Select(url => Task.Run(async () =>
        {
            var result = await CollectAsync(url, batchNumber, data, expected, members, deadline.Token);
            if (result.Signature is { } s)
            {
                if (!valid.TryAdd(s.Signer, s)) failures[url] = $"signer {s.Signer} already signed through another URL";
                else failures.TryRemove(url, out _);
                if (valid.Count >= members.Threshold) enough.TrySetResult();
            }
            else failures[url] = result.Failure!;
        })).ToArray();

        await Task.WhenAny(enough.Task, Task.WhenAll(tasks));
        // Members still retrying are no longer needed (or can no longer help): stop them before answering.
        await deadline.CancelAsync();
        await Task.WhenAll(tasks);
        ct.ThrowIfCancellationRequested();

        if (valid.Count < members.Threshold)
        {
            var e = new AttestationUnavailableException(batchNumber, valid.Count, members.Threshold, failures.ToDictionary());
            Availability.RecordFailure(batchNumber, e.Message);
            logger.LogWarning("DA attestation of batch {Batch} failed: {Reason}", batchNumber, e.Message);
            throw e;
        }
        var (commitment, digest) = await expected;
        var bundle = new AttestationBundle(batchNumber, commitment, digest, valid.Values.OrderBy(v => v.Signer.ToString(), StringComparer.OrdinalIgnoreCase).Take(members.Threshold));
        LatencyMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Availability.RecordSuccess(batchNumber);
        return bundle;
    }

    private readonly record struct MemberResult(SignerSignature? Signature, string? Failure);

    private async Task<MemberResult> CollectAsync(Uri member, ulong batchNumber, ReadOnlyMemory<byte> data, Task<(Fr, byte[])> expected, CommitteeSnapshot members, CancellationToken ct)
    {
        var backoff = options.InitialBackoff;
        string lastFailure = "no answer before the timeout";
        while (!ct.IsCancellationRequested)
        {
            (SignerSignature? sig, string? failure, bool retry) outcome;
            try
            {
                outcome = await SubmitOnceAsync(member, batchNumber, data, expected, members, ct);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                outcome = (null, $"unreachable: {e.Message}", true);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            if (outcome.sig is { } s) return new MemberResult(s, null);
            lastFailure = outcome.failure!;
            MemberFailures.Add(1, new KeyValuePair<string, object?>("reason", outcome.retry ? "transient" : "refused"));
            if (!outcome.retry) return new MemberResult(null, lastFailure);
            logger.LogDebug("DA member {Member}: {Failure}; retrying in {Backoff}", member, lastFailure, backoff);
            try
            {
                await Task.Delay(backoff, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
        }
        return new MemberResult(null, lastFailure);
    }

    private async Task<(SignerSignature?, string?, bool)> SubmitOnceAsync(Uri member, ulong batchNumber, ReadOnlyMemory<byte> data, Task<(Fr, byte[])> expected, CommitteeSnapshot members, CancellationToken ct)
    {
        var (ts, nonce, signature) = SubmitAuth.Sign(sequencer, domain, batchNumber, data.Span, DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(member, DacRoutes.BatchPath(batchNumber)));
        request.Content = new ReadOnlyMemoryContent(data);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add(SubmitAuth.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(SubmitAuth.NonceHeader, nonce);
        request.Headers.Add(SubmitAuth.SignatureHeader, signature);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            // 5xx, 429 and 408 can clear up (restart, overload); a refusal (401, 403, 409, 413, 400) will not.
            bool retry = (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
            return (null, $"HTTP {(int)response.StatusCode}: {Describe(body)}", retry);
        }
        SubmitResponse? answer;
        try
        {
            answer = JsonSerializer.Deserialize<SubmitResponse>(body);
        }
        catch (JsonException)
        {
            answer = null;
        }
        if (answer is null) return (null, "answer is not a submission response", false);
        var (commitment, digest) = await expected.WaitAsync(ct);
        return Check(answer, batchNumber, commitment, digest, members);
    }

    /// <summary>A signature counts only if it is canonical, recovers over our digest to the signer it names, and that signer is in the committee.</summary>
    internal static (SignerSignature?, string?, bool) Check(SubmitResponse answer, ulong batchNumber, Fr commitment, byte[] digest, CommitteeSnapshot members)
    {
        if (answer.BatchNumber != batchNumber) return (null, $"answered for batch {answer.BatchNumber}", false);
        if (!SubmitAuth.TryHex(answer.Commitment, 32, out var theirCommitment) || !theirCommitment.AsSpan().SequenceEqual(commitment.ToBigEndianBytes()))
            return (null, $"computed commitment {answer.Commitment}, not ours {Hex.Encode(commitment.ToBigEndianBytes())}", false);
        if (!SubmitAuth.TryHex(answer.Signature, EcdsaSignature.EncodedLength, out var sigBytes) || !EcdsaSignature.TryFromBytes(sigBytes, out var sig))
            return (null, "bad signature: not a canonical 65-byte signature (low s, v 27/28)", false);
        if (!DacDomain.TryRecoverSigner(digest, sig, out var signer)) return (null, "bad signature: recovers to no key", false);
        if (!EthereumAddress.TryParse(answer.Signer, out var claimed) || claimed != signer)
            return (null, $"bad signature: recovers to {signer}, not the claimed signer {answer.Signer}", false);
        if (!members.Contains(signer)) return (null, $"signer {signer} is not in the committee", false);
        return (new SignerSignature(signer, sig), null, false);
    }

    private static string Describe(string body)
    {
        try
        {
            if (JsonSerializer.Deserialize<ErrorResponse>(body) is { Error: not null } e) return $"{e.Error}: {e.Message}";
        }
        catch (JsonException)
        {
            // Not our error shape (a proxy's page, say): show its start.
        }
        return body.Length <= 200 ? body : body[..200] + "…";
    }

    public void Dispose() => http.Dispose();
}
