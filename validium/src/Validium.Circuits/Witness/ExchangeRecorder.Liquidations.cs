using System.Collections.Immutable;
using Validium.Exchange;

namespace Validium.Circuits.Witness;

/// <summary>
/// The engine's liquidations (Liquidation.cs): a Liquidation event opens one, the PositionTransfer, Deleverage,
/// InsuranceCover and SocialisedLoss events after it fill it in, and the next Liquidation or the end of the command's
/// events closes it. The penalty is not an event: it is the engine's formula on the figures the Liquidation event carries.
/// </summary>
public sealed partial class ExchangeRecorder
{
    private readonly List<LiquidationOp> liquidations = [];
    private OpenLiquidation? liquidating;

    private sealed class OpenLiquidation(ulong account, long totalValue, long maintenance, long penalty)
    {
        public readonly List<PositionMove> Transfers = [];
        public readonly List<PositionMove> Deleveraged = [];
        public long Cover, Socialised;

        public LiquidationOp Finish() => new(account, totalValue, maintenance, penalty, [.. Transfers], Cover, [.. Deleveraged], Socialised);
    }

    public int PendingLiquidations => liquidations.Count;

    /// <summary>The liquidations recorded since the last call, in the engine's order.</summary>
    public List<LiquidationOp> TakeLiquidations()
    {
        var r = liquidations.ToList();
        liquidations.Clear();
        return r;
    }

    /// <summary>True when the event belongs to a liquidation (and was taken into it).</summary>
    private bool LiquidationEvent(in Event e)
    {
        switch (e.Kind)
        {
            case EventKind.Liquidation:
                FinishLiquidation();
                // Liquidation.cs: min(max(total value, 0), ceil(maintenance × penalty ppm / 10^6)).
                long cap = (long)(((Int128)e.Amount2 * Engine.Config.LiquidationPenaltyPpm + 999_999) / 1_000_000);
                liquidating = new OpenLiquidation((ulong)e.Account, e.Amount, e.Amount2, Math.Min(Math.Max(e.Amount, 0), cap));
                return true;
            case EventKind.PositionTransfer or EventKind.Deleverage when liquidating is not null:
                var spec = Engine.Instrument(e.Instrument);
                var move = new PositionMove((ulong)e.Counterparty, e.Instrument, e.Quantity / spec.LotSize, e.Price / spec.TickSize);
                (e.Kind == EventKind.PositionTransfer ? liquidating.Transfers : liquidating.Deleveraged).Add(move);
                return true;
            case EventKind.InsuranceCover when liquidating is not null:
                liquidating.Cover += e.Amount;
                return true;
            case EventKind.SocialisedLoss when liquidating is not null:
                liquidating.Socialised += e.Amount;
                return true;
            default:
                return false;
        }
    }

    private void FinishLiquidation()
    {
        if (liquidating is null) return;
        liquidations.Add(liquidating.Finish());
        liquidating = null;
    }
}
