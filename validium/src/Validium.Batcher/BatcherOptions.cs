using Validium.Crypto;

namespace Validium.Batcher;

public sealed record BatcherOptions
{
    /// <summary>A batch is cut when its oldest operation has waited this long, full or not.</summary>
    public TimeSpan MaxBatchAge { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Cut batches waiting for the prover. When it is full, cutting waits (back-pressure), then the intake fills and
    /// <see cref="BatchPipeline.AddAsync"/> waits: the operations wait in the sequencer's journal rather than in memory.
    /// </summary>
    public int QueueCapacity { get; init; } = 2;

    /// <summary>Submissions buffered between the matching path and the cutting loop.</summary>
    public int IntakeCapacity { get; init; } = 1024;

    /// <summary>Proofs tried per batch before a failed self-verification stops the batcher (a flaky device gets a second chance).</summary>
    public int ProveAttempts { get; init; } = 2;

    /// <summary>The L1-operations chain head before the first batch (the contract's starts at 0).</summary>
    public Fr GenesisOpsHead { get; init; } = Fr.Zero;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string? Validate()
    {
        if (MaxBatchAge <= TimeSpan.Zero) return "MaxBatchAge must be positive";
        if (QueueCapacity < 1) return "QueueCapacity must be at least 1";
        if (IntakeCapacity < 1) return "IntakeCapacity must be at least 1";
        if (ProveAttempts < 1) return "ProveAttempts must be at least 1";
        return Time is null ? "a TimeProvider is required" : null;
    }
}
