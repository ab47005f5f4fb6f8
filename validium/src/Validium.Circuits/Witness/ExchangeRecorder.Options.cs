using Validium.Exchange;

namespace Validium.Circuits.Witness;

/// <summary>
/// The engine's option expiries (Oracle.cs ExpireOption): one ExpirySettlement event per holder, at the index commit
/// at or after the option's expiry, which the batch proven against that round applies first (CIRCUIT.md, "Expiry slots").
/// </summary>
public sealed partial class ExchangeRecorder
{
    private readonly List<ExpiryOp> expiries = [];

    public int PendingExpiries => expiries.Count;

    /// <summary>The expiry settlements recorded since the last call, in the engine's order.</summary>
    public List<ExpiryOp> TakeExpiries()
    {
        var r = expiries.ToList();
        expiries.Clear();
        return r;
    }

    /// <summary>True when the event is an expiry settlement (and was taken).</summary>
    private bool ExpiryEvent(in Event e)
    {
        if (e.Kind != EventKind.ExpirySettlement) return false;
        expiries.Add(new ExpiryOp((ulong)e.Account, e.Instrument, e.Amount));
        return true;
    }

    /// <summary>
    /// The option spot slots of a round: each option's IndexTicks (the engine's spot in its own ticks, CIRCUIT.md
    /// "Options"), at least 1 before the underlying's first index (nobody can trade it then, so no rule reads it).
    /// </summary>
    private IEnumerable<ulong> SpotSlots() =>
        Enumerable.Range(0, Engine.InstrumentCount)
            .Where(i => Engine.Instrument(i).IsOption)
            .Select(i => (ulong)Math.Max(1, Engine.IndexPrice(i) / Engine.Instrument(i).TickSize));
}
