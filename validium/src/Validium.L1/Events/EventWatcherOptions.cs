using Validium.Crypto;

namespace Validium.L1.Events;

public sealed record EventWatcherOptions
{
    /// <summary>Contracts whose logs are watched (at least one).</summary>
    public required IReadOnlyList<EthereumAddress> Addresses { get; init; }

    /// <summary>eth_getLogs topic filter per position: null = any, several values = any of them.</summary>
    public IReadOnlyList<IReadOnlyList<byte[]>?> Topics { get; init; } = [];

    /// <summary>File holding the cursor (last processed block and recent block hashes).</summary>
    public required string CursorPath { get; init; }

    /// <summary>First block to read when there is no cursor yet (e.g., the contract's deployment block).</summary>
    public long StartBlock { get; init; }

    /// <summary>Blocks kept between the head and what is delivered: a block is read once head - number >= Confirmations.</summary>
    public int Confirmations { get; init; } = 6;

    /// <summary>Most blocks read per poll (one eth_getLogs and one batch of header requests).</summary>
    public int MaxBlockRange { get; init; } = 200;

    /// <summary>Hashes of this many recent processed blocks are kept to find where a reorganised chain forks.</summary>
    public int HashWindow { get; init; } = 256;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public void Validate()
    {
        if (Addresses is null || Addresses.Count == 0) throw new ArgumentException("watch at least one address", nameof(Addresses));
        ArgumentException.ThrowIfNullOrEmpty(CursorPath);
        if (Topics.Count > 4) throw new ArgumentException("a log has at most 4 topics", nameof(Topics));
        if (StartBlock < 0) throw new ArgumentOutOfRangeException(nameof(StartBlock), "must be >= 0");
        if (Confirmations < 0) throw new ArgumentOutOfRangeException(nameof(Confirmations), "must be >= 0");
        if (MaxBlockRange is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(MaxBlockRange), "1..10000");
        if (HashWindow < Confirmations + 2) throw new ArgumentOutOfRangeException(nameof(HashWindow), "must exceed the confirmation depth by at least 2 to find a fork point");
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PollInterval), "must be positive");
    }
}
