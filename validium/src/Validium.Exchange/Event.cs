namespace Validium.Exchange;

/// <summary>
/// One state change, in the order the engine made it. Seq is gap-free across all events. Prices and quantities
/// are raw units (as in commands); amounts are collateral micro-units. Field use per kind is listed in EVENTS in ORDERS.md.
/// </summary>
public struct Event
{
    public long Seq;
    public long Time;
    public EventKind Kind;
    public Side Side;
    public byte Reason;
    public int Account;
    public int Counterparty;
    public int Instrument;
    public long OrderId;
    public long CounterOrderId;
    public long ClientId;
    public long Price;
    public long Quantity;
    public long Amount;
    public long Amount2;
}

/// <summary>Append-only buffer of events the consumer drains; preallocated so emitting does not allocate.</summary>
public sealed class EventLog
{
    private Event[] items;
    public int Count { get; private set; }

    public EventLog(int capacity = 4096) => items = new Event[Math.Max(capacity, 16)];

    public ReadOnlySpan<Event> Events => items.AsSpan(0, Count);

    public ref Event this[int i] => ref items[i];

    public void Clear() => Count = 0;

    internal ref Event Append()
    {
        if (Count == items.Length) Array.Resize(ref items, items.Length * 2);
        ref var e = ref items[Count++];
        e = default;
        return ref e;
    }
}
