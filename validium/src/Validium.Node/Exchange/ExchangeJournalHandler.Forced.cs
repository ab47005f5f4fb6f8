using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.State;

namespace Validium.Node.Exchange;

internal sealed partial class ExchangeJournalHandler
{
    /// <summary>
    /// An L1 forced request: decided by the engine at the last committed oracle round's prices (the round of the batch
    /// that consumes it, since the batcher cuts at every round) and consumed whether it executes or not. Before any
    /// round it is not applied (<see cref="AckCodes.NoOracleRound"/>) and the L1 operation index does not move, so the
    /// watcher's consumer submits it again once a round is known.
    /// </summary>
    private Ack Forced(long sequence, long time, L1Forced f)
    {
        var op = f.Op;
        if ((long)Math.Min(f.OpIndex, long.MaxValue) <= lastL1Operation)
            return Ack.Refused(sequence, AckCodes.Duplicate, $"L1 operation {f.OpIndex} is not after the last applied one, {lastL1Operation}");
        if ((op is null ? "it is missing" : ExchangeRecorder.Check(op)) is { } problem)
            return Ack.Refused(sequence, AckCodes.Malformed, $"L1 operation {f.OpIndex} is not a forced request the contract queues: {problem}");
        if (!TreeShape.Contains(circuit.AccountDepth, op!.X) || op.Kind == BatchEncoding.L1ForcedTrade && !TreeShape.Contains(circuit.AccountDepth, (ulong)(op.Y & ulong.MaxValue)))
            return Ack.Refused(sequence, AckCodes.Malformed, $"L1 operation {f.OpIndex} names an account outside the circuit's tree of depth {circuit.AccountDepth}");
        if (circuit.Shape.Forced == 0) return Ack.Refused(sequence, AckCodes.NotProvable, "the batch circuit has no forced-request slots");
        if (committedRound is not { } round)
        {
            // Before any round nothing has traded, so a withdrawal's margin rule sums no positions and no price enters
            // its decision; a trade's does (it opens positions), so it waits for a round.
            if (op.Kind == BatchEncoding.L1ForcedTrade || HoldsPositions(op.X))
                return Ack.Refused(sequence, AckCodes.NoOracleRound, $"forced request {f.OpIndex} waits for the first oracle round: a batch decides it at a round's prices");
            round = new OracleRound(0, 0, [.. Enumerable.Repeat(1UL, Engine.InstrumentCount)]);
        }
        lastL1Operation = (long)f.OpIndex;
        var outcome = Recorder.Forced(time, op, round, (int)circuit.FeeAccount);
        string what = op.Kind == BatchEncoding.L1ForcedTrade ? "forced trade" : "forced withdrawal";
        return outcome.Accepted
            ? new Ack(sequence, true, AckCodes.Ok, $"{what} #{f.OpIndex} executed")
            : Ack.Refused(sequence, outcome.Code.ToString(), $"{what} #{f.OpIndex} consumed and refused by the batch circuit's rule: {outcome.Code}");
    }

    private bool HoldsPositions(ulong account) =>
        account <= int.MaxValue && Engine.HasAccount((int)account)
        && Enumerable.Range(0, Engine.InstrumentCount).Any(i => Engine.Position((int)account, i).Quantity != 0);
}
