namespace Validium.Exchange;

/// <summary>Order entry, matching (price-time priority), cancel and amend.</summary>
public sealed partial class Engine
{
    private Outcome Place(in Command c)
    {
        var code = Authorise(c, out var acc);
        if (code != RejectCode.None) return new(code);
        if (c.ExpiresAt != 0 && c.ExpiresAt <= Time) return new(RejectCode.Expired);
        var m = MarketOrNull(c.Instrument);
        if (m is null) return new(RejectCode.UnknownInstrument);
        if (m.Expired) return new(RejectCode.InstrumentExpired);
        if (!m.Tradable) return new(RejectCode.NoMarkPrice);
        if (c.Side is not (Side.Buy or Side.Sell)) return new(RejectCode.BadSide);
        if (!Enum.IsDefined(c.Type) || !Enum.IsDefined(c.Stp)) return new(RejectCode.BadOrderType);
        // Reduce-only orders never rest: a resting one could outlive the position it was meant to reduce.
        if (c.ReduceOnly && c.Type is OrderType.Limit or OrderType.PostOnly) return new(RejectCode.BadOrderType);
        code = CheckQuantity(m, c.Quantity, out long lots);
        if (code != RejectCode.None) return new(code);
        long ticks;
        if (c.Type == OrderType.Market) ticks = c.Side == Side.Buy ? m.BandHi : m.BandLo;
        else
        {
            code = CheckPrice(m, c.Price, out ticks);
            if (code != RejectCode.None) return new(code);
        }
        if (orderMap.TryGet(acc.Id, c.ClientId, out _)) return new(RejectCode.DuplicateClientOrderId);

        code = CheckEntry(acc, m, c.Side, c.Type, ticks, lots, c.ReduceOnly, c.Stp, 0, 0);
        if (code != RejectCode.None) return new(code);
        long orderId = ++orderSeq;
        ref var e = ref Emit(EventKind.Accepted);
        e.Account = acc.Id;
        e.Instrument = m.Id;
        e.OrderId = orderId;
        e.ClientId = c.ClientId;
        e.Side = c.Side;
        e.Price = ticks * m.Spec.TickSize;
        e.Quantity = c.Quantity;
        e.Reason = (byte)c.Type;
        Enter(acc, m, c.Side, c.Type == OrderType.Limit || c.Type == OrderType.PostOnly, c.Type == OrderType.PostOnly, ticks, lots,
            orderId, c.ClientId, c.ExpiresAt, c.Stp);
        return Outcome.Ok(orderId);
    }

    private static RejectCode CheckQuantity(Market m, long quantity, out long lots)
    {
        lots = 0;
        var s = m.Spec;
        if (quantity <= 0 || quantity % s.LotSize != 0) return RejectCode.QuantityNotOnLot;
        if (quantity < s.MinQuantity) return RejectCode.BelowMinimumSize;
        if (quantity > s.MaxQuantity) return RejectCode.AboveMaximumSize;
        lots = quantity / s.LotSize;
        return RejectCode.None;
    }

    private static RejectCode CheckPrice(Market m, long price, out long ticks)
    {
        ticks = 0;
        var s = m.Spec;
        if (price <= 0 || price > s.MaxPrice) return RejectCode.BadPrice;
        if (price % s.TickSize != 0) return RejectCode.PriceNotOnTick;
        ticks = price / s.TickSize;
        if (ticks < m.BandLo || ticks > m.BandHi) return RejectCode.PriceOutOfBand;
        return RejectCode.None;
    }

    /// <summary>
    /// Pre-trade checks. <paramref name="freedLots"/>/<paramref name="freedReserve"/> are what an amended order gives
    /// back. Passing the margin check here is enough for the whole order's life: its reserve covers the worst its fills
    /// can do to the account (MARGIN.md), so matching itself never re-checks.
    /// </summary>
    private RejectCode CheckEntry(Account acc, Market m, Side side, OrderType type, long ticks, long lots, bool reduceOnly,
        SelfTradePrevention stp, long freedLots, long freedReserve)
    {
        ref var x = ref acc.Exp(m.Id);
        if (reduceOnly && (side == Side.Buy ? -x.Lots : x.Lots) < lots) return RejectCode.ReduceOnlyWouldIncrease;
        long worst = side == Side.Buy ? x.Lots + x.BuyLots - freedLots + lots : -(x.Lots - x.SellLots + freedLots - lots);
        if (worst > m.MaxLots) return RejectCode.PositionLimit;
        var book = m.Book;
        if (type == OrderType.PostOnly)
        {
            long opp = book.Best(side == Side.Buy ? Side.Sell : Side.Buy);
            if (opp >= 0 && (side == Side.Buy ? opp <= ticks : opp >= ticks)) return RejectCode.PostOnlyWouldTake;
        }
        if (type == OrderType.Fok && !FokFillable(acc, m, side, ticks, lots, stp)) return RejectCode.FokNotFillable;
        long reserve = m.ChargeLot * lots + OrderExtra(m, side, ticks, lots);
        if (acc.FreeCollateral + freedReserve - reserve < 0) return RejectCode.InsufficientMargin;
        return RejectCode.None;
    }

    /// <summary>Walks the book as matching would (expired and self-trade-cancelled orders skipped) to see whether lots can fill.</summary>
    private bool FokFillable(Account acc, Market m, Side side, long limit, long lots, SelfTradePrevention stp)
    {
        var book = m.Book;
        var nodes = pool.Nodes;
        var opp = side == Side.Buy ? Side.Sell : Side.Buy;
        long sum = 0;
        for (long t = book.Best(opp); t >= 0 && (side == Side.Buy ? t <= limit : t >= limit); t = book.NextLevel(opp, t))
            for (int n = book.LevelAt(t).Head; n != OrderPool.Nil; n = nodes[n].Next)
            {
                ref var o = ref nodes[n];
                if (o.ExpiresAt != 0 && o.ExpiresAt <= Time) continue;
                if (o.Account == acc.Id)
                {
                    if (stp == SelfTradePrevention.CancelOldest) continue;
                    return false;
                }
                sum += o.Lots;
                if (sum >= lots) return true;
            }
        return false;
    }

    /// <summary>Reserves the order as if it rested, matches it, then rests or releases what is left.</summary>
    private void Enter(Account acc, Market m, Side side, bool rests, bool postOnly, long ticks, long lots, long orderId, long clientId,
        long expiresAt, SelfTradePrevention stp)
    {
        long extra = OrderExtra(m, side, ticks, lots);
        Join(acc, m.Spec.Underlying);
        ref var x = ref acc.Exp(m.Id);
        if (side == Side.Buy) x.BuyLots += lots;
        else x.SellLots += lots;
        x.Extra += extra;
        acc.OrderCharge += m.ChargeLot * lots + extra;

        long remaining = lots;
        bool stopped = Match(acc, m, side, ticks, ref remaining, ref extra, orderId, clientId, stp);
        if (remaining == 0) return;
        if (rests && !stopped)
        {
            int n = pool.Allocate();
            ref var o = ref pool.Nodes[n];
            o.OrderId = orderId;
            o.ClientId = clientId;
            o.PriceTicks = ticks;
            o.Lots = remaining;
            o.FilledLots = lots - remaining;
            o.ExpiresAt = expiresAt;
            o.Extra = extra;
            o.Account = acc.Id;
            o.Instrument = m.Id;
            o.Side = side;
            o.PostOnly = postOnly;
            o.Stp = stp;
            o.AccPrev = OrderPool.Nil;
            o.AccNext = acc.OrderHead;
            if (acc.OrderHead != OrderPool.Nil) pool.Nodes[acc.OrderHead].AccPrev = n;
            acc.OrderHead = n;
            acc.OrderCount++;
            m.Book.Append(pool.Nodes, n);
            orderMap.Add(acc.Id, clientId, n);
            TrackExpiry(n);
            return;
        }
        Release(acc, m, side, remaining, extra);
        ref var e = ref Emit(EventKind.Cancelled);
        e.Account = acc.Id;
        e.Instrument = m.Id;
        e.OrderId = orderId;
        e.ClientId = clientId;
        e.Side = side;
        e.Quantity = remaining * m.Spec.LotSize;
        e.Reason = (byte)(stopped ? CancelReason.SelfTrade : CancelReason.ImmediateRemainder);
    }

    private static void Release(Account acc, Market m, Side side, long lots, long extra)
    {
        ref var x = ref acc.Exp(m.Id);
        if (side == Side.Buy) x.BuyLots -= lots;
        else x.SellLots -= lots;
        x.Extra -= extra;
        acc.OrderCharge -= m.ChargeLot * lots + extra;
    }

    /// <summary>Matches against the opposite side up to the limit. Returns true when self-trade prevention stopped the taker.</summary>
    private bool Match(Account taker, Market m, Side side, long limit, ref long remaining, ref long takerExtra, long orderId, long clientId,
        SelfTradePrevention stp)
    {
        var book = m.Book;
        var opp = side == Side.Buy ? Side.Sell : Side.Buy;
        while (remaining > 0)
        {
            long best = book.Best(opp);
            if (best < 0 || (side == Side.Buy ? best > limit : best < limit)) return false;
            var nodes = pool.Nodes;
            int n = book.LevelAt(best).Head;
            ref var mk = ref nodes[n];
            if (mk.ExpiresAt != 0 && mk.ExpiresAt <= Time)
            {
                RemoveOrder(n, CancelReason.Expired);
                continue;
            }
            if (mk.Account == taker.Id)
            {
                if (stp != SelfTradePrevention.CancelNewest) RemoveOrder(n, CancelReason.SelfTrade);
                if (stp == SelfTradePrevention.CancelOldest) continue;
                return true;
            }
            long k = Math.Min(remaining, mk.Lots);
            var maker = accounts[mk.Account]!;

            long makerExtra = OrderExtra(m, mk.Side, mk.PriceTicks, mk.Lots - k);
            ref var mx = ref maker.Exp(m.Id);
            if (mk.Side == Side.Buy) mx.BuyLots -= k;
            else mx.SellLots -= k;
            mx.Extra += makerExtra - mk.Extra;
            maker.OrderCharge -= m.ChargeLot * k + mk.Extra - makerExtra;
            mk.Extra = makerExtra;
            mk.Lots -= k;
            mk.FilledLots += k;
            book.LevelAt(best).Lots -= k;

            long newTakerExtra = OrderExtra(m, side, limit, remaining - k);
            Release(taker, m, side, k, takerExtra - newTakerExtra);
            takerExtra = newTakerExtra;
            remaining -= k;

            long cash = best * k * m.Cpl;
            if (side == Side.Buy)
            {
                ApplyFill(taker, m, k, cash, best);
                ApplyFill(maker, m, -k, -cash, best);
            }
            else
            {
                ApplyFill(maker, m, k, cash, best);
                ApplyFill(taker, m, -k, -cash, best);
            }
            long makerFee = Fee(cash, m.Spec.MakerFeePpm), takerFee = Fee(cash, m.Spec.TakerFeePpm);
            maker.Collateral -= makerFee;
            taker.Collateral -= takerFee;
            FeePool += makerFee + takerFee;

            ref var e = ref Emit(EventKind.Trade);
            e.Instrument = m.Id;
            e.Side = side;
            e.Account = taker.Id;
            e.OrderId = orderId;
            e.ClientId = clientId;
            e.Counterparty = maker.Id;
            e.CounterOrderId = mk.OrderId;
            e.Price = best * m.Spec.TickSize;
            e.Quantity = k * m.Spec.LotSize;
            e.Amount = takerFee;
            e.Amount2 = makerFee;

            if (mk.Lots == 0)
            {
                book.Unlink(nodes, n);
                Dispose(n);
            }
        }
        return false;
    }

    /// <summary>Books a fill: position, open cost and (when the position shrinks) realised PnL moved into collateral.</summary>
    private void ApplyFill(Account a, Market m, long d, long cashPaid, long priceTicks)
    {
        ref var x = ref a.Exp(m.Id);
        long from = x.Lots, to = from + d;
        long cost = x.Cost + cashPaid, keep;
        if (from == 0 || (from > 0) == (d > 0)) keep = cost;
        else if (to == 0) keep = 0;
        else if ((to > 0) == (from > 0)) keep = (long)((Int128)x.Cost * to / from);
        else keep = to * priceTicks * m.Cpl;
        a.Collateral -= cost - keep;
        a.CostSum += keep - x.Cost;
        x.Cost = keep;
        x.Lots = to;
        if (from == 0) x.FundingIndex = m.FundingIndex;
        ApplyPositionRisk(a, m, from, to);
        Join(a, m.Spec.Underlying);
        MarkDirty(a);
    }

    /// <summary>Takes an order out of the book, releases its reserve and reports why.</summary>
    private void RemoveOrder(int n, CancelReason reason)
    {
        ref var o = ref pool.Nodes[n];
        var acc = accounts[o.Account]!;
        var m = markets[o.Instrument];
        Release(acc, m, o.Side, o.Lots, o.Extra);
        ref var e = ref Emit(EventKind.Cancelled);
        e.Account = o.Account;
        e.Instrument = o.Instrument;
        e.OrderId = o.OrderId;
        e.ClientId = o.ClientId;
        e.Side = o.Side;
        e.Quantity = o.Lots * m.Spec.LotSize;
        e.Reason = (byte)reason;
        m.Book.Unlink(pool.Nodes, n);
        Dispose(n);
    }

    /// <summary>Frees an order already out of its level, with its reserve released: off the account's list and the id map.</summary>
    private void Dispose(int n)
    {
        var nodes = pool.Nodes;
        ref var o = ref nodes[n];
        var acc = accounts[o.Account]!;
        if (o.AccPrev == OrderPool.Nil) acc.OrderHead = o.AccNext;
        else nodes[o.AccPrev].AccNext = o.AccNext;
        if (o.AccNext != OrderPool.Nil) nodes[o.AccNext].AccPrev = o.AccPrev;
        acc.OrderCount--;
        orderMap.Remove(o.Account, o.ClientId);
        pool.Free(n);
    }
}
