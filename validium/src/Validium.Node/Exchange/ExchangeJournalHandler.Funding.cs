using Validium.Circuits.Witness;
using Validium.Exchange;

namespace Validium.Node.Exchange;

/// <summary>
/// Funding on the circuit's schedule (CIRCUIT.md, "Funding"): right after an oracle round is applied (and its
/// liquidations), every perpetual whose last tick is at least the circuit's funding period older than the round ticks,
/// so the batch that round starts settles it first, at the round's marks. The decision reads only journaled data (the
/// round's timestamp) and the engine, so a replay ticks exactly where the first run did. Ticks the circuit would refuse
/// (no funding slots, within the period, more holders than settlement slots) never reach the engine.
/// </summary>
internal sealed partial class ExchangeJournalHandler
{
    private readonly Dictionary<int, ulong> lastFunding = [];
    private int heldTicks;

    /// <summary>
    /// Perpetuals whose tick was due at the last round but held back because they have more holders than the batch
    /// circuit's settlement slots: funding waits until the holders fit (the premium samples keep accumulating), so an
    /// operator must see it to resize the circuit. Read from any thread.
    /// </summary>
    public int HeldFundingTicks => Volatile.Read(ref heldTicks);

    /// <summary>Ticks every perpetual that is due at the round's timestamp.</summary>
    private void ScheduledFunding(long time, OracleRound round)
    {
        if (circuit.Shape.Funding == 0) return;
        int held = 0;
        for (int i = 0; i < Engine.InstrumentCount; i++)
        {
            if (Engine.Instrument(i).IsOption || NotDue(i, round) is not null) continue;
            if (TooManyHolders(i) is null) Tick(time, i, round);
            else held++;
        }
        Volatile.Write(ref heldTicks, held);
    }

    /// <summary>An operator's funding command, taken only when the batch circuit can prove it at the last committed round.</summary>
    private Ack OperatorFunding(long sequence, Command c)
    {
        if (circuit.Shape.Funding == 0) return Ack.Refused(sequence, AckCodes.NotProvable, "the batch circuit has no funding slots");
        if (committedRound is not { } round) return Ack.Refused(sequence, AckCodes.NotProvable, "no oracle round is committed yet: funding is proven at a round's marks");
        if ((uint)c.Instrument >= (uint)Engine.InstrumentCount) return Ack.Refused(sequence, nameof(RejectCode.UnknownInstrument), $"no instrument {c.Instrument}");
        if (FundingRefusal(c.Instrument, round) is { } why) return Ack.Refused(sequence, AckCodes.NotProvable, why);
        var outcome = Tick(c.Time, c.Instrument, round);
        return Ack.FromOutcome(sequence, outcome, $"funding of instrument {c.Instrument}");
    }

    private string? FundingRefusal(int instrument, OracleRound round) => NotDue(instrument, round) ?? TooManyHolders(instrument);

    private string? NotDue(int instrument, OracleRound round)
    {
        ulong last = lastFunding.GetValueOrDefault(instrument);
        return (decimal)round.Timestamp < (decimal)last + circuit.FundingPeriodSeconds
            ? $"instrument {instrument} ticked at {last} s; the next tick is due {circuit.FundingPeriodSeconds} s later than that, the round is at {round.Timestamp} s"
            : null;
    }

    private string? TooManyHolders(int instrument)
    {
        int holders = 0;
        for (int a = 0; a < accountLimit; a++)
            if (Engine.HasAccount(a) && Engine.Position(a, instrument).Quantity != 0) holders++;
        return holders > circuit.Shape.Funding
            ? $"instrument {instrument} has {holders} holders, more than the batch circuit's {circuit.Shape.Funding} funding settlement slots"
            : null;
    }

    private Outcome Tick(long time, int instrument, OracleRound round)
    {
        var outcome = Recorder.Execute(Command.Funding(time, instrument));
        if (outcome.Accepted) lastFunding[instrument] = round.Timestamp;
        return outcome;
    }
}
