using Validium.Circuits;
using Validium.Circuits.Witness;

namespace Validium.Batcher;

/// <summary>
/// L1 forced requests. The circuit runs a batch's forced-request slots last, on the state its other operations left,
/// and chains them into the L1-operations head right after its deposits. The engine applied each request at its place
/// in the sequencer's stream, so a batch may hold forced requests only at its end: an operation that follows one starts
/// the next batch. Then the state before each request is the same in the engine and in the batch (the operations
/// before it, and only those, are in the batch or an earlier one), and the chain order is the L1 queue's (a deposit
/// queued after a forced request is never chained before it). Each batch's decisions are compared with the engine's.
/// </summary>
public sealed partial class BatchPipeline
{
    /// <summary>
    /// Submits the operations one sequenced command produced. A command that consumed forced requests (the engine's
    /// <see cref="ForcedOutcome"/>s, in L1 queue order) produced nothing else.
    /// </summary>
    public ValueTask AddAsync(long sequence, IReadOnlyList<DepositOp> deposits, IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals,
        IReadOnlyList<ForcedOutcome> forced, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(forced);
        if (forced.Count == 0) return AddAsync(sequence, deposits, trades, withdrawals, ct);
        ArgumentNullException.ThrowIfNull(deposits);
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(withdrawals);
        ThrowIfStopped();
        if (deposits.Count + trades.Count + withdrawals.Count > 0)
            throw new ArgumentException($"command {sequence} consumed forced requests and produced other operations; a forced request is a command of its own");
        if (Config.Shape.Forced == 0) throw new ArgumentException($"command {sequence} consumed forced requests; the circuit has no slots for them ({Config.Shape})");
        if (forced.Any(f => f?.Op is null)) throw new ArgumentException($"command {sequence} has a null forced request");
        return Enqueue(sequence, [.. forced], ct);
    }

    /// <summary>An operation other than a forced request, after one, ends the batch before it.</summary>
    private static bool EndsAfterForced(ReadOnlySpan<int> count, int kind) => kind != 3 && count[3] > 0;

    /// <summary>
    /// The batch's execute-or-refuse bits (its forced records) must be the engine's decisions; otherwise the engine's
    /// state has left the batch's, and batching further would prove a state the engine does not have.
    /// </summary>
    private void CheckForcedDecisions(PendingBatch built, List<ForcedOutcome> forced)
    {
        if (forced.Count == 0) return;
        var records = BatchData.Decode(Config, [.. built.DataWords]).Forced;
        for (int i = 0; i < forced.Count; i++)
        {
            if (records[i].Executed == forced[i].Executed) continue;
            built.Dispose();
            throw new InvalidOperationException(
                $"forced request {i} ({forced[i].Op.Kind switch { BatchEncoding.L1ForcedWithdrawal => "withdrawal", _ => "trade" }} from account {forced[i].Op.X}): " +
                $"the state {(records[i].Executed ? "executes" : "refuses")} it, the engine {(forced[i].Executed ? "executed" : "refused")} it");
        }
    }
}
