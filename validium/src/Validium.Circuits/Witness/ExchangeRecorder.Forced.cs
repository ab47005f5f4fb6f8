using System.Numerics;
using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Circuits.Witness;

/// <summary>A forced request the engine consumed, with its decision: the batch builder must reach the same one.</summary>
public sealed record ForcedOutcome(ForcedOp Op, bool Executed);

public sealed partial class ExchangeRecorder
{
    private readonly List<ForcedOutcome> forced = [];
    private ForcedOp? applying;

    public int PendingForced => forced.Count;

    /// <summary>
    /// An L1 forced request, decided by the engine at the prices of <paramref name="round"/> (the round the batch that
    /// consumes it is proven against) and recorded whether it executes or not: L1 counts it consumed either way.
    /// <paramref name="feeAccount"/> is the circuit's fee account (its batch collateral holds the engine's fee pool).
    /// </summary>
    public Outcome Forced(long time, ForcedOp op, OracleRound round, int feeAccount)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(round);
        if (Check(op) is { } problem) throw new ArgumentException($"forced request: {problem}", nameof(op));
        applying = op;
        try
        {
            var outcome = Engine.ExecuteForced(time, ToRequest(op), round.Timestamp, [.. round.Prices.Take(Engine.InstrumentCount)], feeAccount);
            Drain(null);
            if (applying is not null) throw new InvalidOperationException("the engine consumed a forced request without reporting it");
            return outcome;
        }
        finally
        {
            applying = null;
        }
    }

    /// <summary>Forced requests consumed since the last call, in the order they were applied.</summary>
    public List<ForcedOutcome> TakeForced()
    {
        var r = forced.ToList();
        forced.Clear();
        return r;
    }

    /// <summary>
    /// What the contract guarantees of a queued forced request (kind 2 or 3, an amount or price in 1..2^64 − 1, a
    /// trade's two accounts different and its size a non-zero 64-bit number), or null when it holds.
    /// </summary>
    public static string? Check(ForcedOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (op.Word.ToBigInteger() >> 232 != 0 || op.Kind is not (BatchEncoding.L1ForcedWithdrawal or BatchEncoding.L1ForcedTrade))
            return "the word is not a forced withdrawal's or forced trade's (kind 2 or 3 below 2^232)";
        var c = op.C.ToBigInteger();
        if (c.IsZero || c > ulong.MaxValue) return $"c = {c} is not a positive 64-bit amount or price";
        if (op.Kind == BatchEncoding.L1ForcedWithdrawal) return null;
        if ((op.Y >> 64) > uint.MaxValue) return $"instrument {op.Y >> 64} is not a 32-bit number";
        if ((ulong)(op.Y & ulong.MaxValue) == op.X) return "a forced trade needs two accounts";
        var size = Arith.Decode(op.B);
        return size.IsZero || size < long.MinValue || size > long.MaxValue ? $"size {size} is not a non-zero 64-bit number" : null;
    }

    private static ForcedRequest ToRequest(ForcedOp op)
    {
        ulong c = (ulong)op.C.ToBigInteger();
        if (op.Kind == BatchEncoding.L1ForcedWithdrawal) return ForcedRequest.Withdrawal(op.X, new BabyJubjubPoint(op.A, op.B), c);
        return ForcedRequest.Trade(op.X, (ulong)(op.Y & ulong.MaxValue), (uint)(op.Y >> 64), (long)Arith.Decode(op.B), c, op.A);
    }

    private void RecordForced(in Event e)
    {
        var op = applying ?? throw new InvalidOperationException($"forced-request event {e.Seq} without a forced request being applied through this recorder");
        forced.Add(new ForcedOutcome(op, e.Reason == (byte)RejectCode.None));
        applying = null;
    }
}
