using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Node.Exchange;

/// <summary>
/// Fill slots of orders that never traded. An order takes the order-fill tree's slot at the low bits of its hash
/// while it can still trade, since the slot's leaf can hold one order's fill. An order that leaves the book without a
/// single trade never wrote its leaf (it is still 0), so its slot is free again; keeping it would refuse more and more
/// orders (FillSlotTaken) as quotes are cancelled and placed again. An order that traded keeps its slot for good: its
/// leaf holds its hash and fill.
/// </summary>
internal sealed partial class ExchangeJournalHandler
{
    /// <summary>Accepted orders that have not traded yet, by engine order id, with their slot.</summary>
    private readonly Dictionary<long, ulong> untraded = [];

    /// <summary>The slot the command being applied reserved for the order it placed or amended, until its Accepted or Amended event names the order.</summary>
    private ulong? placedSlot;

    private void Reserve(ulong slot, Fr hash)
    {
        if (fillSlots.TryAdd(slot, hash))
        {
            placedSlot = slot;
            return;
        }
        // The same signed order placed again while an earlier copy holds the slot: either copy may trade, so the slot
        // stays held until the whole order is gone, which is simplest to keep as for good.
        foreach (var (id, held) in untraded)
            if (held == slot) untraded.Remove(id);
    }

    /// <summary>Runs over one command's events on the apply thread, so a replay frees the same slots.</summary>
    private void FreeUntradedSlots(ReadOnlySpan<Event> events)
    {
        foreach (ref readonly var e in events)
        {
            switch (e.Kind)
            {
                case EventKind.Accepted when placedSlot is { } slot:
                    untraded[e.OrderId] = slot;
                    placedSlot = null;
                    break;
                // The order now trades under the amend's hash: a slot the order held without trading is free again.
                case EventKind.Amended when placedSlot is { } slot:
                    if (untraded.Remove(e.OrderId, out var before) && before != slot) fillSlots.Remove(before);
                    untraded[e.OrderId] = slot;
                    placedSlot = null;
                    break;
                case EventKind.Trade:
                    untraded.Remove(e.OrderId);
                    untraded.Remove(e.CounterOrderId);
                    break;
                case EventKind.Cancelled when untraded.Remove(e.OrderId, out var free):
                    fillSlots.Remove(free);
                    break;
            }
        }
        placedSlot = null;
    }
}
