using System.Net;

namespace Validium.Node.Client;

/// <summary>
/// A refusal from the trader API, from its RFC 7807 problem details: HTTP status, title, detail, the node's or
/// engine's refusal <see cref="Code"/> when there is one, the journal <see cref="Sequence"/> of a command refused
/// after journaling, the field errors of a validation problem, and <see cref="RetryAfter"/> of a 429.
/// </summary>
public sealed class TraderApiException(HttpStatusCode status, string title, string? detail, string? code, long? sequence,
    IReadOnlyDictionary<string, string[]> errors, TimeSpan? retryAfter)
    : Exception($"{(int)status} {title}: {detail}{(code is null ? "" : $" ({code})")}")
{
    public HttpStatusCode Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public string? Code { get; } = code;
    public long? Sequence { get; } = sequence;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
