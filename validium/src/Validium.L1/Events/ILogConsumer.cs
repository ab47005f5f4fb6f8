using Validium.L1.Rpc;

namespace Validium.L1.Events;

/// <summary>The logs of blocks FromBlock..ToBlock (inclusive, all of them canonical when read), ordered by block then log index.</summary>
public sealed record LogBatch(long FromBlock, long ToBlock, byte[] ToBlockHash, IReadOnlyList<LogEntry> Logs);

/// <summary>
/// Receives what an <see cref="EventWatcher"/> reads. Within a process each log is delivered once, in chain order; a
/// reorganisation is announced by <see cref="RewindAsync"/> before the replacing logs arrive. The cursor is saved only
/// after a call returns, so after a crash the last batch or rewind can come again: a consumer that must not apply a
/// log twice keys it on (block hash, log index) (<see cref="LogEntry.Key"/>), or stores the batch's ToBlock with its
/// own state and ignores batches at or below it.
/// </summary>
public interface ILogConsumer
{
    Task HandleAsync(LogBatch batch, CancellationToken ct);

    /// <summary>Blocks above <paramref name="forkBlock"/> are no longer canonical: drop whatever was derived from them.</summary>
    Task RewindAsync(long forkBlock, CancellationToken ct);
}
