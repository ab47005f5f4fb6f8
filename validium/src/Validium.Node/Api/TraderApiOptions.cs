namespace Validium.Node.Api;

public sealed record TraderApiOptions
{
    /// <summary>Requests per second an API key's account may make, refilled continuously; <see cref="Burst"/> at once.</summary>
    public int PermitsPerSecond { get; init; } = 50;

    public int Burst { get; init; } = 100;

    /// <summary>The same for requests without a valid API key, per client address.</summary>
    public int AnonymousPermitsPerSecond { get; init; } = 20;

    public int AnonymousBurst { get; init; } = 40;

    /// <summary>Largest request body taken; bigger ones get 413 before they are read.</summary>
    public int MaxBodyBytes { get; init; } = 16 * 1024;

    /// <summary>How long an API key lives after it is issued.</summary>
    public TimeSpan KeyLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long a challenge may be signed and redeemed.</summary>
    public TimeSpan ChallengeLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Outstanding challenges at most (new ones are refused with 503 when full of live ones).</summary>
    public int MaxChallenges { get; init; } = 10_000;

    /// <summary>Live keys per account; issuing one more retires the oldest.</summary>
    public int MaxKeysPerAccount { get; init; } = 8;

    /// <summary>Messages a stream connection may have waiting to be sent; one more disconnects it as a slow consumer.</summary>
    public int StreamBuffer { get; init; } = 256;

    /// <summary>Largest client message on a stream; a bigger one closes the connection.</summary>
    public int MaxStreamMessageBytes { get; init; } = 4096;

    /// <summary>Subscriptions at most on one stream connection.</summary>
    public int MaxSubscriptions { get; init; } = 64;

    /// <summary>Largest page of fills or batches.</summary>
    public int MaxPage { get; init; } = 500;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string? Validate()
    {
        if (PermitsPerSecond < 1 || Burst < 1 || AnonymousPermitsPerSecond < 1 || AnonymousBurst < 1) return "rate limits must be at least 1";
        if (MaxBodyBytes is < 1024 or > 16 * 1024 * 1024) return "MaxBodyBytes must be 1 KiB..16 MiB";
        if (KeyLifetime <= TimeSpan.Zero || ChallengeLifetime <= TimeSpan.Zero) return "key and challenge lifetimes must be positive";
        if (MaxChallenges < 1 || MaxKeysPerAccount < 1) return "MaxChallenges and MaxKeysPerAccount must be at least 1";
        if (StreamBuffer < 1 || MaxSubscriptions < 1) return "StreamBuffer and MaxSubscriptions must be at least 1";
        if (MaxStreamMessageBytes is < 256 or > 1024 * 1024) return "MaxStreamMessageBytes must be 256..1 MiB";
        if (MaxPage < 1) return "MaxPage must be at least 1";
        return Time is null ? "a TimeProvider is required" : null;
    }
}

/// <summary>
/// The seam the L1 poster plugs into: where a batch stands on L1. Register one implementation in the services; without
/// one, batches are served with no L1 status.
/// </summary>
public interface IBatchL1Status
{
    /// <summary>Null when the poster knows nothing of the batch yet.</summary>
    Client.L1StatusDto? Get(ulong batch);
}
