namespace Validium.Exchange;

/// <summary>
/// Incremental re-marking. An oracle commit changes the figures of one underlying's markets only, so it visits only
/// the accounts exposed to that underlying (a bitmap of account ids per underlying, <see cref="members"/>, walked in
/// id order: accounts and their arrays are allocated together in id order, so the walk streams through memory) and only the resting orders
/// whose reserve depends on the move (those priced through the old or new mark). Liquidation checks visit only
/// accounts whose value or margin changed since they were last found sound (<see cref="dirty"/>). The results are
/// exactly those of re-marking everything: every aggregate is an exact integer sum, kept in step by each change.
/// </summary>
public sealed partial class Engine
{
    private readonly List<Market>[] groups = NewGroups();
    private readonly LevelIndex[] members;
    // Accounts that may be below maintenance: every change to an account's value or margin sets its bit; a
    // liquidation pass clears the bits it has checked. Not committed state: a restored engine marks everyone.
    private readonly LevelIndex dirty;
    // Resting orders with an expiry time, by that time; entries of orders gone since are skipped when they surface.
    private readonly PriorityQueue<(int Node, long OrderId), long> expiring;

    private static List<Market>[] NewGroups()
    {
        var g = new List<Market>[Limits.MaxUnderlyings];
        for (int u = 0; u < g.Length; u++) g[u] = [];
        return g;
    }

    private static LevelIndex[] NewMembers(int accounts)
    {
        var m = new LevelIndex[Limits.MaxUnderlyings];
        for (int u = 0; u < m.Length; u++) m[u] = new LevelIndex(accounts);
        return m;
    }

    /// <summary>Registers the account as exposed to the underlying (orders or a position there); a no-op once it is.</summary>
    private void Join(Account a, int u)
    {
        uint bit = 1u << u;
        if ((a.Underlyings & bit) != 0) return;
        a.Underlyings |= bit;
        members[u].Set(a.Id);
    }

    private void MarkDirty(Account a) => dirty.Set(a.Id);

    /// <summary>Remembers each market's mark and order charge before an oracle commit changes them.</summary>
    private void CapturePrevious(int u)
    {
        foreach (var m in groups[u])
        {
            m.PrevMarkTicks = m.MarkTicks;
            m.PrevChargeLot = m.ChargeLot;
        }
    }

    /// <summary>After an oracle commit on underlying u: new figures, reserves and aggregates, expired orders out, then liquidations.</summary>
    private Outcome Commit(int u)
    {
        Remark(u);
        SweepExpiredOrders();
        LiquidateUnderwater();
        return Outcome.Ok();
    }

    /// <summary>The underlying's markets' figures and reserves, and its accounts, moved from the captured figures to the current ones.</summary>
    private void Remark(int u)
    {
        foreach (var m in groups[u])
        {
            RefreshRiskFigures(m);
            RemarkOrders(m);
        }
        RemarkAccounts(u);
    }

    /// <summary>
    /// An order's reserve depends on the mark only through its adverse part, max(0, price − mark) for a buy and
    /// max(0, mark − price) for a sell, which is zero at both marks for bids at or below the lower one and asks at
    /// or above the higher one. The levels between are walked from the best price inward.
    /// </summary>
    private void RemarkOrders(Market m)
    {
        if (m.MarkTicks == m.PrevMarkTicks) return;
        long lo = Math.Min(m.MarkTicks, m.PrevMarkTicks), hi = Math.Max(m.MarkTicks, m.PrevMarkTicks);
        var book = m.Book;
        for (long t = book.BestBid; t > lo; t = book.NextLevel(Side.Buy, t)) RemarkLevel(m, t);
        for (long t = book.BestAsk; t >= 0 && t < hi; t = book.NextLevel(Side.Sell, t)) RemarkLevel(m, t);
    }

    private void RemarkLevel(Market m, long ticks)
    {
        var nodes = pool.Nodes;
        for (int n = m.Book.LevelAt(ticks).Head; n != OrderPool.Nil; n = nodes[n].Next)
        {
            ref var o = ref nodes[n];
            long extra = OrderExtra(m, o.Side, o.PriceTicks, o.Lots);
            long d = extra - o.Extra;
            if (d == 0) continue;
            o.Extra = extra;
            var a = accounts[o.Account]!;
            a.Exposures[m.Id].Extra += d;
            a.OrderCharge += d;
        }
    }

    /// <summary>
    /// Moves every exposed account's value, order charge and the underlying's margin to the new figures, and drops
    /// accounts with nothing left on the underlying from its members.
    /// </summary>
    private void RemarkAccounts(int u)
    {
        var group = groups[u];
        var set = members[u];
        for (long id = set.NextAtOrAbove(0); id >= 0; id = set.NextAtOrAbove(id + 1))
        {
            var a = accounts[id]!;
            bool positions = false, active = false;
            foreach (var m in group)
            {
                if (m.Id >= a.Exposures.Length) continue;
                ref var x = ref a.Exposures[m.Id];
                if (x.Lots != 0)
                {
                    a.ValueSum += x.Lots * (m.MarkTicks - m.PrevMarkTicks) * m.Cpl;
                    positions = true;
                }
                long open = x.BuyLots + x.SellLots;
                if (open != 0)
                {
                    a.OrderCharge += (m.ChargeLot - m.PrevChargeLot) * open;
                    active = true;
                }
            }
            if (positions)
            {
                RebuildUnderlying(a, u);
                MarkDirty(a);
            }
            else if (!active)
            {
                set.Clear(id);
                a.Underlyings &= ~(1u << u);
            }
        }
    }

    /// <summary>The underlying's simple margins and scenario sums from the account's positions at the current figures.</summary>
    private void RebuildUnderlying(Account a, int u)
    {
        long mm = 0, im = 0;
        var scen = a.Scen.AsSpan(u * shocks.Length, shocks.Length);
        scen.Clear();
        foreach (var m in groups[u])
        {
            if (m.Id >= a.Exposures.Length) continue;
            long lots = a.Exposures[m.Id].Lots;
            if (lots == 0) continue;
            mm += Simple(lots, m.MmLong, m.MmShort);
            im += Simple(lots, m.ImLong, m.ImShort);
            for (int k = 0; k < scen.Length; k++) scen[k] += lots * m.ScenLot[k];
        }
        a.SimpleMm[u] = mm;
        a.SimpleIm[u] = im;
        UpdateUnderlying(a, u);
    }

    /// <summary>
    /// Liquidates, in account-id order, every account with positions below maintenance, repeating while a pass
    /// liquidated someone. Only flagged accounts are looked at: the others have not changed since they were last
    /// found sound. A liquidation flags whomever it touches, so a later id is checked in the same pass and an
    /// earlier one in the next, as a pass over every account would.
    /// </summary>
    private void LiquidateUnderwater()
    {
        bool again = true;
        while (again)
        {
            again = false;
            for (long id = dirty.NextAtOrAbove(0); id >= 0; id = dirty.NextAtOrAbove(id + 1))
            {
                dirty.Clear(id);
                var a = accounts[id];
                if (a is not null && a.TotalValue < a.Mm && HasPositions(a))
                {
                    Liquidate(a);
                    again = true;
                }
            }
        }
    }

    /// <summary>Accounts holding a position in the market, in id order, into the scratch buffer; returns how many.</summary>
    private int Holders(Market m)
    {
        int count = 0;
        var set = members[m.Spec.Underlying];
        for (long id = set.NextAtOrAbove(0); id >= 0; id = set.NextAtOrAbove(id + 1))
        {
            var a = accounts[id]!;
            if (m.Id < a.Exposures.Length && a.Exposures[m.Id].Lots != 0) Scratch(count++) = a.Id;
        }
        return count;
    }

    private void TrackExpiry(int node)
    {
        ref var o = ref pool.Nodes[node];
        if (o.ExpiresAt != 0) expiring.Enqueue((node, o.OrderId), o.ExpiresAt);
    }

    /// <summary>Removes every resting order whose expiry time has passed, in order-id order.</summary>
    private void SweepExpiredOrders()
    {
        int count = 0;
        var nodes = pool.Nodes;
        while (expiring.TryPeek(out var item, out long at) && at <= Time)
        {
            expiring.Dequeue();
            ref var o = ref nodes[item.Node];
            // An amended order re-enters under the same id and may land on the same node: keep one entry per order.
            if (o.OrderId != item.OrderId || o.ExpiresAt != at) continue;
            Scratch(count) = item.Node;
            scratchKeys[count++] = item.OrderId;
        }
        Array.Sort(scratchKeys, scratch, 0, count);
        for (int i = 0; i < count; i++)
            if (i == 0 || scratchKeys[i] != scratchKeys[i - 1]) RemoveOrder(scratch[i], CancelReason.Expired);
    }

    /// <summary>Rebuilds the per-underlying indexes from the state (after a restore): every account is checked at the next commit.</summary>
    private void RebuildIndexes()
    {
        foreach (var a in accounts)
        {
            if (a is null) continue;
            for (int i = 0; i < a.Exposures.Length && i < markets.Count; i++)
            {
                ref var x = ref a.Exposures[i];
                if (x.Lots != 0 || x.BuyLots != 0 || x.SellLots != 0) Join(a, markets[i].Spec.Underlying);
            }
            MarkDirty(a);
        }
        for (int n = 0; n < pool.Nodes.Length; n++)
            if (pool.Nodes[n].OrderId != 0) TrackExpiry(n);
    }

    /// <summary>
    /// For tests: the first account whose incrementally kept figures differ from a rebuild from scratch, or that is
    /// missing from an underlying's members, described; null when all agree. Rebuilding leaves equal figures equal.
    /// </summary>
    internal string? FindDrift()
    {
        foreach (var a in accounts)
        {
            if (a is null) continue;
            for (int i = 0; i < a.Exposures.Length && i < markets.Count; i++)
            {
                ref var x = ref a.Exposures[i];
                if ((x.Lots != 0 || x.BuyLots != 0 || x.SellLots != 0) && (a.Underlyings & (1u << markets[i].Spec.Underlying)) == 0)
                    return $"account {a.Id} is exposed to instrument {i} but not listed under its underlying";
            }
            string before = Figures(a);
            RecomputeAccount(a);
            string after = Figures(a);
            if (before != after) return $"account {a.Id}: kept {before}, rebuilt {after}";
        }
        return null;
    }

    private string Figures(Account a)
    {
        var orders = new List<long>();
        for (int n = a.OrderHead; n != OrderPool.Nil; n = pool.Nodes[n].AccNext) orders.Add(pool.Nodes[n].Extra);
        return $"cost {a.CostSum} value {a.ValueSum} mm {a.Mm} im {a.Im} charge {a.OrderCharge} simple [{string.Join(",", a.SimpleMm)}] " +
            $"[{string.Join(",", a.SimpleIm)}] per-underlying [{string.Join(",", a.MmU)}] [{string.Join(",", a.ImU)}] scen [{string.Join(",", a.Scen)}] " +
            $"exposure extras [{string.Join(",", a.Exposures.Select(x => x.Extra))}] order extras [{string.Join(",", orders)}]";
    }
}
