using Validium.Exchange;

namespace Validium.Circuits.Witness;

/// <summary>
/// The engine's funding (Oracle.cs Funding): a Funding event per tick (rate and the index after it), then a
/// FundingPayment event per holder. A batch applies its ticks right after its liquidations, so the caller cuts the
/// batch before a Funding command that follows other operations (the node issues it right after an oracle commit,
/// which cuts the batch anyway); the builder refuses payments the state does not give.
/// </summary>
public sealed partial class ExchangeRecorder
{
    private readonly List<FundingTick> fundingTicks = [];
    private readonly List<FundingPayment> fundingPayments = [];

    public int PendingFundingTicks => fundingTicks.Count;

    /// <summary>The funding ticks and payments recorded since the last call.</summary>
    public FundingOp TakeFunding()
    {
        var r = new FundingOp([.. fundingTicks], [.. fundingPayments]);
        fundingTicks.Clear();
        fundingPayments.Clear();
        return r;
    }

    /// <summary>True when the event is funding's (and was taken).</summary>
    private bool FundingEvent(in Event e)
    {
        switch (e.Kind)
        {
            case EventKind.Funding:
                // Drained right after the command, so the engine's mark is still the one its step used.
                var spec = Engine.Instrument(e.Instrument);
                fundingTicks.Add(new FundingTick(e.Instrument, e.Amount, e.Amount2, checked((ulong)(Engine.MarkPrice(e.Instrument) / spec.TickSize * spec.CashPerTickLot))));
                return true;
            case EventKind.FundingPayment:
                fundingPayments.Add(new FundingPayment((ulong)e.Account, e.Instrument, e.Amount));
                return true;
            default:
                return false;
        }
    }
}
