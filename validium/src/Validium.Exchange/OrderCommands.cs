namespace Validium.Exchange;

/// <summary>Cancel, cancel-all and amend of open orders.</summary>
public sealed partial class Engine
{
    private Outcome Cancel(in Command c)
    {
        var code = Authorise(c, out var acc);
        if (code != RejectCode.None) return new(code);
        if (!orderMap.TryGet(acc.Id, c.ClientId, out int n)) return new(RejectCode.UnknownOrder);
        long id = pool.Nodes[n].OrderId;
        RemoveOrder(n, CancelReason.User);
        return Outcome.Ok(id);
    }

    private Outcome CancelAll(in Command c)
    {
        var code = Authorise(c, out var acc);
        if (code != RejectCode.None) return new(code);
        if (c.Instrument >= 0 && MarketOrNull(c.Instrument) is null) return new(RejectCode.UnknownInstrument);
        CancelAccountOrders(acc, c.Instrument, CancelReason.UserAll);
        return Outcome.Ok();
    }

    /// <summary>Cancels an account's orders (on one instrument, or all when instrument &lt; 0) in order-id order, so events never depend on list order.</summary>
    private void CancelAccountOrders(Account acc, int instrument, CancelReason reason)
    {
        int count = 0;
        var nodes = pool.Nodes;
        for (int n = acc.OrderHead; n != OrderPool.Nil; n = nodes[n].AccNext)
            if (instrument < 0 || nodes[n].Instrument == instrument) Scratch(count++) = n;
        RemoveSorted(count, reason);
    }

    private long[] scratchKeys = new long[64];

    private ref int Scratch(int i)
    {
        if (i >= scratch.Length)
        {
            Array.Resize(ref scratch, scratch.Length * 2);
            Array.Resize(ref scratchKeys, scratch.Length);
        }
        return ref scratch[i];
    }

    private void RemoveSorted(int count, CancelReason reason)
    {
        for (int i = 0; i < count; i++) scratchKeys[i] = pool.Nodes[scratch[i]].OrderId;
        Array.Sort(scratchKeys, scratch, 0, count);
        for (int i = 0; i < count; i++) RemoveOrder(scratch[i], reason);
    }

    /// <summary>
    /// New price and new remaining quantity. Same price and a smaller quantity keeps time priority; anything else
    /// re-enters the order at the back of its new level (and it may trade, unless it is post-only).
    /// </summary>
    private Outcome Amend(in Command c)
    {
        var code = Authorise(c, out var acc);
        if (code != RejectCode.None) return new(code);
        if (!orderMap.TryGet(acc.Id, c.ClientId, out int n)) return new(RejectCode.UnknownOrder);
        ref var o = ref pool.Nodes[n];
        // The amend's signature must cover the whole order as it rests, so a batch can prove its trades from the amend alone.
        if (c.Instrument != o.Instrument || c.Side != o.Side || c.Type != (o.PostOnly ? OrderType.PostOnly : OrderType.Limit)
            || c.ExpiresAt != o.ExpiresAt || c.ReduceOnly != o.ReduceOnly || c.Stp != o.Stp)
            return new(RejectCode.AmendMismatch);
        var m = markets[o.Instrument];
        code = CheckQuantity(m, c.Quantity, out long lots);
        if (code != RejectCode.None) return new(code);
        code = CheckPrice(m, c.Price, out long ticks);
        if (code != RejectCode.None) return new(code);
        if (ticks == o.PriceTicks && lots == o.Lots) return new(RejectCode.NothingToAmend);
        long orderId = o.OrderId;

        if (ticks == o.PriceTicks && lots < o.Lots)
        {
            long newExtra = OrderExtra(m, o.Side, ticks, lots);
            Release(acc, m, o.Side, o.Lots - lots, o.Extra - newExtra);
            m.Book.LevelAt(ticks).Lots -= o.Lots - lots;
            o.Extra = newExtra;
            o.Lots = lots;
            EmitAmended(acc, m, ref o, keptPriority: true);
            return Outcome.Ok(orderId);
        }

        var type = o.PostOnly ? OrderType.PostOnly : OrderType.Limit;
        code = CheckEntry(acc, m, o.Side, type, ticks, lots, false, o.Stp, o.Lots, m.ChargeLot * o.Lots + o.Extra);
        if (code != RejectCode.None) return new(code);
        var (side, postOnly, expiresAt, stp, clientId) = (o.Side, o.PostOnly, o.ExpiresAt, o.Stp, o.ClientId);
        Release(acc, m, side, o.Lots, o.Extra);
        m.Book.Unlink(pool.Nodes, n);
        o.PriceTicks = ticks;
        o.Lots = lots;
        EmitAmended(acc, m, ref o, keptPriority: false);
        Dispose(n);
        Enter(acc, m, side, rests: true, postOnly, ticks, lots, orderId, clientId, expiresAt, stp);
        return Outcome.Ok(orderId);
    }

    private void EmitAmended(Account acc, Market m, ref OrderNode o, bool keptPriority)
    {
        ref var e = ref Emit(EventKind.Amended);
        e.Account = acc.Id;
        e.Instrument = m.Id;
        e.OrderId = o.OrderId;
        e.ClientId = o.ClientId;
        e.Side = o.Side;
        e.Price = o.PriceTicks * m.Spec.TickSize;
        e.Quantity = o.Lots * m.Spec.LotSize;
        e.Reason = keptPriority ? (byte)1 : (byte)0;
    }
}
