using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Validium.L1.Rpc;

/// <summary>One request of a batch: a method and its positional parameters (serialised with System.Text.Json).</summary>
public sealed record JsonRpcRequest(string Method, params object?[] Params);

/// <summary>One answer of a batch: a result, or the error the node gave for that request alone.</summary>
public readonly record struct JsonRpcResponse(JsonElement Result, JsonRpcException? Error)
{
    public JsonElement GetResultOrThrow() => Error is { } e ? throw e : Result;
}

/// <summary>
/// JSON-RPC 2.0 over HTTP POST. Each call gets <see cref="JsonRpcClientOptions.MaxAttempts"/> tries; a try fails over to
/// the next (after an exponential, jittered backoff) only on transport failures: connection refused or reset, the attempt
/// timing out, HTTP 5xx or 429. A JSON-RPC error answer, an HTTP 4xx or a malformed answer ends the call at once.
/// Retrying is safe for the methods this client sends: reads, and eth_sendRawTransaction of signed bytes whose hash
/// does not change, so a node that already has the transaction reports it as known instead of taking it twice.
/// Thread-safe.
/// </summary>
public sealed class JsonRpcClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient http;
    private readonly JsonRpcClientOptions options;
    private readonly ILogger logger;
    private long nextId;
    private long retries;

    public JsonRpcClient(Uri endpoint, JsonRpcClientOptions? options = null, ILogger? logger = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Scheme is not ("http" or "https")) throw new ArgumentException($"JSON-RPC endpoint must be http(s), got '{endpoint}'", nameof(endpoint));
        this.options = options ?? new JsonRpcClientOptions();
        this.options.Validate();
        this.logger = logger ?? NullLogger.Instance;
        Endpoint = endpoint;
        // Connections are recycled so a node behind DNS or a load balancer that moves is found again.
        http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = this.options.AttemptTimeout })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri Endpoint { get; }

    /// <summary>Attempts beyond the first, summed over all calls: what transport trouble has cost so far.</summary>
    public long Retries => Interlocked.Read(ref retries);

    public async Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        long id = Interlocked.Increment(ref nextId);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Envelope(id, method, parameters ?? []));
        using var doc = await PostAsync(method, body, ct).ConfigureAwait(false);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Protocol(method, "the answer is not a JSON object");
        var response = ParseResponse(root, method);
        if (response.Id != id) throw Protocol(method, $"the answer has id {response.Id}, the request had {id}");
        return response.Response.GetResultOrThrow();
    }

    public Task<JsonElement> CallAsync(string method, CancellationToken ct = default) => CallAsync(method, [], ct);

    /// <summary>
    /// Sends the requests as one JSON-RPC batch (one HTTP round trip) and returns the answers in request order,
    /// each with its own result or error. The whole batch is retried on transport failures.
    /// </summary>
    public async Task<IReadOnlyList<JsonRpcResponse>> BatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0) return [];
        long firstId = Interlocked.Add(ref nextId, requests.Count) - requests.Count + 1;
        var envelopes = requests.Select((r, i) => new Envelope(firstId + i, r.Method, r.Params)).ToArray();
        string label = $"batch of {requests.Count} ({requests[0].Method}…)";
        using var doc = await PostAsync(label, JsonSerializer.SerializeToUtf8Bytes(envelopes), ct).ConfigureAwait(false);
        var root = doc.RootElement;
        // A node that rejects the batch as a whole answers with one error object instead of an array.
        if (root.ValueKind == JsonValueKind.Object) ParseResponse(root, label).Response.GetResultOrThrow();
        if (root.ValueKind != JsonValueKind.Array) throw Protocol(label, "the answer is not a JSON array");
        var results = new JsonRpcResponse?[requests.Count];
        foreach (var item in root.EnumerateArray())
        {
            var (id, _) = ParseResponse(item, label);
            long index = id - firstId;
            if (index < 0 || index >= requests.Count) throw Protocol(label, $"the answer has an unknown id {id}");
            if (results[index] is not null) throw Protocol(label, $"the answer repeats id {id}");
            results[index] = ParseResponse(item, requests[(int)index].Method).Response;
        }
        for (int i = 0; i < results.Length; i++)
            if (results[i] is null) throw Protocol(label, $"no answer for request {i} ({requests[i].Method})");
        return results.Select(r => r!.Value).ToArray();
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonDocument> PostAsync(string label, byte[] body, CancellationToken ct)
    {
        var backoff = options.InitialBackoff;
        for (int attempt = 1; ; attempt++)
        {
            Exception failure;
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                attemptCts.CancelAfter(options.AttemptTimeout);
                try
                {
                    return await PostOnceAsync(label, body, attemptCts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    failure = new TimeoutException($"no answer within {options.AttemptTimeout.TotalSeconds:0.###} s", e);
                }
                catch (HttpRequestException e)
                {
                    failure = e;
                }
                catch (IOException e)
                {
                    failure = e;
                }
                catch (RetryableStatusException e)
                {
                    failure = e;
                }
            }
            if (attempt >= options.MaxAttempts)
                throw new RpcTransportException($"{label}: {Endpoint} unreachable after {attempt} attempt(s): {failure.Message}", attempt, failure);
            var delay = Jitter(backoff);
            logger.LogWarning("{Call} to {Endpoint}: attempt {Attempt} failed ({Reason}); retrying in {Delay} ms",
                label, Endpoint, attempt, failure.Message, (int)delay.TotalMilliseconds);
            Interlocked.Increment(ref retries);
            await Task.Delay(delay, ct).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
        }
    }

    private async Task<JsonDocument> PostOnceAsync(string label, byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        using var response = await http.PostAsync(Endpoint, content, ct).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new RetryableStatusException($"HTTP {status} {response.ReasonPhrase}");
        if (response.Content.Headers.ContentLength > options.MaxResponseBytes)
            throw new RpcTransportException($"{label}: the answer is {response.Content.Headers.ContentLength} bytes, above the {options.MaxResponseBytes}-byte limit", 1);
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > options.MaxResponseBytes)
                throw new RpcTransportException($"{label}: the answer exceeds the {options.MaxResponseBytes}-byte limit", 1);
            buffer.Write(chunk, 0, n);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (JsonException e)
        {
            throw new RpcTransportException($"{label}: HTTP {status} answer is not JSON ({e.Message})", 1, e);
        }
        // A 4xx with a JSON-RPC error body is still the node's verdict; anything else at 4xx is a client mistake.
        if (!response.IsSuccessStatusCode && !LooksLikeJsonRpc(doc.RootElement))
        {
            doc.Dispose();
            throw new RpcTransportException($"{label}: HTTP {status} {response.ReasonPhrase}", 1);
        }
        return doc;
    }

    private static bool LooksLikeJsonRpc(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array || (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("jsonrpc", out _));

    private (long Id, JsonRpcResponse Response) ParseResponse(JsonElement item, string method)
    {
        if (item.ValueKind != JsonValueKind.Object) throw Protocol(method, "an answer is not a JSON object");
        long id = item.TryGetProperty("id", out var idEl) && idEl.ValueKind == JsonValueKind.Number && idEl.TryGetInt64(out var v) ? v : -1;
        if (item.TryGetProperty("error", out var err) && err.ValueKind != JsonValueKind.Null)
        {
            long code = err.TryGetProperty("code", out var c) && c.TryGetInt64(out var cv) ? cv : 0;
            string message = err.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no message)";
            JsonElement? data = err.TryGetProperty("data", out var d) ? d.Clone() : null;
            return (id, new JsonRpcResponse(default, new JsonRpcException(method, code, message, data)));
        }
        if (!item.TryGetProperty("result", out var result)) throw Protocol(method, "an answer has neither result nor error");
        if (id < 0) throw Protocol(method, "an answer has no numeric id");
        return (id, new JsonRpcResponse(result.Clone(), null));
    }

    private RpcTransportException Protocol(string method, string what) => new($"{method}: {Endpoint} broke the JSON-RPC protocol: {what}", 1);

    private static TimeSpan Jitter(TimeSpan t) => TimeSpan.FromTicks((long)(t.Ticks * (0.75 + Random.Shared.NextDouble() * 0.5)));

    private sealed class Envelope(long id, string method, object?[] parameters)
    {
        [JsonPropertyName("jsonrpc")] public string JsonRpc => "2.0";
        [JsonPropertyName("id")] public long Id => id;
        [JsonPropertyName("method")] public string Method => method;
        [JsonPropertyName("params")] public object?[] Params => parameters;
    }

    private sealed class RetryableStatusException(string message) : Exception(message);
}
