using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;

namespace Validium.Settlement;

public sealed record L1WatcherOptions
{
    public required EthereumAddress Validium { get; init; }
    public required EthereumAddress Oracle { get; init; }

    /// <summary>Where the watcher keeps its block cursor and its record of what the consumer acknowledged.</summary>
    public required string Directory { get; init; }

    /// <summary>First block to read on a fresh directory: the Validium contract's deployment block (<see cref="DeployedSystem.Block"/>).</summary>
    public long StartBlock { get; init; }

    /// <summary>Blocks that must sit on top of an event's before it is delivered; small for anvil, more on a real chain.</summary>
    public int Confirmations { get; init; } = 2;

    /// <summary>The opIndex expected first on a fresh directory (0 from the contract's deployment).</summary>
    public ulong FirstOperation { get; init; }

    /// <summary>Oracle rounds at or below this are already known on a fresh directory; the next delivered is this + 1.</summary>
    public ulong LastKnownRound { get; init; }

    public int MaxBlockRange { get; init; } = 200;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait after the first failed poll; doubles per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Events handed out but not acknowledged; the watcher reads no further while this many wait.</summary>
    public int Capacity { get; init; } = 256;

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Directory);
        if (StartBlock < 0) throw new ArgumentOutOfRangeException(nameof(StartBlock), "must be >= 0");
        if (Confirmations < 0) throw new ArgumentOutOfRangeException(nameof(Confirmations), "must be >= 0");
        if (MaxBlockRange is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(MaxBlockRange), "1..10000");
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PollInterval), "must be positive");
        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff) throw new ArgumentOutOfRangeException(nameof(MaxBackoff), "backoffs must be positive, MaxBackoff >= InitialBackoff");
        if (Capacity < 1) throw new ArgumentOutOfRangeException(nameof(Capacity), "at least 1");
        if (Validium == Oracle) throw new ArgumentException("the Validium contract and the oracle must be different contracts");
    }
}

/// <summary>Something L1 told the node, where it was logged: its block, transaction and log index.</summary>
public abstract record L1Event(long Block, byte[] BlockHash, byte[] TransactionHash, int LogIndex);

/// <summary>
/// An L1Operation: a deposit (<see cref="ToDeposit"/>) or a forced withdrawal or trade (<see cref="ToForced"/>), in
/// opIndex order without gaps, with the chain head after it and the deadline by which a batch must consume it.
/// </summary>
public sealed record L1OperationEvent(QueuedOperation Operation, uint Deadline, long Block, byte[] BlockHash, byte[] TransactionHash, int LogIndex)
    : L1Event(Block, BlockHash, TransactionHash, LogIndex)
{
    public ulong Index => Operation.Index;

    public bool IsDeposit => Operation.Kind == BatchEncoding.L1Deposit;

    /// <summary>The deposit's key, amount and depositor; the node picks the account it credits (<see cref="DepositOp"/>).</summary>
    public QueuedDeposit ToDeposit() => Operation.ToDeposit();

    /// <summary>A forced withdrawal or trade exactly as queued, what the batch builder takes.</summary>
    public ForcedOp ToForced() => Operation.ToForced();
}

/// <summary>A PricesUpdated round of the PriceOracle, rounds consecutive, the prices checked against the logged commitment.</summary>
public sealed record L1PriceEvent(OracleRound Round, long Block, byte[] BlockHash, byte[] TransactionHash, int LogIndex)
    : L1Event(Block, BlockHash, TransactionHash, LogIndex);

public enum L1WatcherState
{
    /// <summary>No poll has finished yet.</summary>
    Starting,

    /// <summary>The last poll reached the node.</summary>
    Healthy,

    /// <summary>The node could not be reached or answered badly; retrying with backoff.</summary>
    Degraded,

    /// <summary>Stopped on something retrying cannot mend (a gap in operations, a reorganisation under acknowledged events); see the error.</summary>
    Faulted,

    Stopped,
}

/// <summary>What the dashboard and health checks read: state, the last error, the head seen and how far behind it delivery is.</summary>
public sealed record L1WatcherStatus(
    L1WatcherState State, long? HeadBlock, long DeliveredThroughBlock, long? Lag, string? LastError, DateTimeOffset? LastErrorAt,
    int ConsecutiveFailures, ulong NextOperation, ulong LastRound);

/// <summary>The chain contradicts what was already acknowledged, or skips an operation: the node must not go on by itself.</summary>
public sealed class L1WatcherException(string message) : Exception(message);
