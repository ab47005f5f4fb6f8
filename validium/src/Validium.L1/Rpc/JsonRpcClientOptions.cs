namespace Validium.L1.Rpc;

public sealed record JsonRpcClientOptions
{
    /// <summary>Limit for one HTTP attempt (request sent to response read).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Tries per call, the first included; only transport failures use the further ones.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Wait before the second try; doubles each time up to <see cref="MaxBackoff"/>, with ±25 % jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest response body accepted, so a broken or hostile endpoint cannot exhaust memory.</summary>
    public long MaxResponseBytes { get; init; } = 64 * 1024 * 1024;

    public void Validate()
    {
        if (AttemptTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), "must be positive");
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), "at least one attempt");
        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff) throw new ArgumentOutOfRangeException(nameof(MaxBackoff), "backoffs must satisfy 0 <= initial <= max");
        if (MaxResponseBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), "at least 1 KiB");
    }
}
