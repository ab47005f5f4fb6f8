namespace Validium.Exchange;

/// <summary>
/// Liquidation (MARGIN.md, "Liquidation"): an account whose total value is below maintenance margin after an oracle
/// commit loses its orders, pays a penalty to the insurance fund, and has every position taken over at mark by the
/// liquidator account, or, where the liquidator cannot carry it, closed at mark against the most profitable opposite
/// holders (auto-deleveraging). A remaining deficit is covered by the insurance fund, and past that socialised over
/// accounts with positive collateral.
/// </summary>
public sealed partial class Engine
{
    private bool HasPositions(Account a)
    {
        for (int i = 0; i < a.Exposures.Length && i < markets.Count; i++)
            if (a.Exposures[i].Lots != 0) return true;
        return false;
    }

    private void Liquidate(Account a)
    {
        CancelAccountOrders(a, -1, CancelReason.Liquidation);
        ref var e = ref Emit(EventKind.Liquidation);
        e.Account = a.Id;
        e.Amount = a.TotalValue;
        e.Amount2 = a.Mm;
        long penalty = Math.Min(Math.Max(a.TotalValue, 0), CeilDiv((Int128)a.Mm * Config.LiquidationPenaltyPpm, Ppm));
        a.Collateral -= penalty;
        InsuranceFund += penalty;

        var liquidator = AccountOrNull(Config.LiquidatorAccount);
        for (int i = 0; i < markets.Count && i < a.Exposures.Length; i++)
        {
            long lots = a.Exposures[i].Lots;
            if (lots == 0) continue;
            var m = markets[i];
            if (liquidator is not null && liquidator != a && CanCarry(liquidator, m, lots)) Transfer(a, liquidator, m, lots, EventKind.PositionTransfer);
            else Deleverage(a, m, lots);
        }

        if (a.Collateral >= 0) return;
        long cover = Math.Min(-a.Collateral, Math.Max(InsuranceFund, 0));
        if (cover > 0)
        {
            InsuranceFund -= cover;
            a.Collateral += cover;
            ref var ce = ref Emit(EventKind.InsuranceCover);
            ce.Account = a.Id;
            ce.Amount = cover;
        }
        if (a.Collateral < 0) Socialise(a);
    }

    /// <summary>Would the liquidator keep non-negative free collateral taking these lots at mark? (A transfer at mark leaves its value unchanged.)</summary>
    private bool CanCarry(Account l, Market m, long lots)
    {
        long from = l.Exp(m.Id).Lots, to = from + lots;
        if (Math.Abs(to) > m.MaxLots) return false;
        // ApplyPositionRisk moves the position's value but not its cost, which the transfer raises by as much: keep the value as it is.
        long value = l.TotalValue;
        ApplyPositionRisk(l, m, from, to);
        bool ok = value - l.Im - l.OrderCharge >= 0;
        ApplyPositionRisk(l, m, to, from);
        return ok;
    }

    /// <summary>Moves lots from one account to another at the mark price.</summary>
    private void Transfer(Account from, Account to, Market m, long lots, EventKind kind)
    {
        long cash = lots * m.MarkTicks * m.Cpl;
        ApplyFill(to, m, lots, cash, m.MarkTicks);
        ApplyFill(from, m, -lots, -cash, m.MarkTicks);
        ref var e = ref Emit(kind);
        e.Account = from.Id;
        e.Counterparty = to.Id;
        e.Instrument = m.Id;
        e.Price = m.MarkTicks * m.Spec.TickSize;
        e.Quantity = lots * m.Spec.LotSize;
    }

    /// <summary>Closes lots against opposite holders ranked by unrealised profit (then account id), at mark.</summary>
    private void Deleverage(Account a, Market m, long lots)
    {
        int count = 0;
        var set = members[m.Spec.Underlying];
        for (long id = set.NextAtOrAbove(0); id >= 0; id = set.NextAtOrAbove(id + 1))
        {
            var b = accounts[id]!;
            if (b == a || m.Id >= b.Exposures.Length) continue;
            ref var x = ref b.Exposures[m.Id];
            if (x.Lots == 0 || (x.Lots > 0) == (lots > 0)) continue;
            Scratch(count) = b.Id;
            scratchKeys[count++] = x.Lots * m.MarkTicks * m.Cpl - x.Cost;
        }
        // Most profitable first; Array.Sort is not stable, so break ties on the id explicitly.
        var ids = scratch.AsSpan(0, count);
        var pnl = scratchKeys.AsSpan(0, count);
        for (int i = 1; i < count; i++)
            for (int j = i; j > 0 && (pnl[j] > pnl[j - 1] || (pnl[j] == pnl[j - 1] && ids[j] < ids[j - 1])); j--)
            {
                (pnl[j], pnl[j - 1]) = (pnl[j - 1], pnl[j]);
                (ids[j], ids[j - 1]) = (ids[j - 1], ids[j]);
            }
        for (int i = 0; i < count && lots != 0; i++)
        {
            var b = accounts[ids[i]]!;
            long q = Math.Min(Math.Abs(lots), Math.Abs(b.Exposures[m.Id].Lots)) * Math.Sign(lots);
            Transfer(a, b, m, q, EventKind.Deleverage);
            lots -= q;
        }
    }

    /// <summary>Spreads an uncovered deficit over accounts with positive collateral, pro rata, remainder one unit each in id order.</summary>
    private void Socialise(Account bankrupt)
    {
        long deficit = -bankrupt.Collateral;
        Int128 total = 0;
        foreach (var b in accounts)
            if (b is not null && b != bankrupt && b.Collateral > 0) total += b.Collateral;
        long charged = 0;
        if (total > 0)
        {
            long target = (long)Int128.Min(deficit, total);
            foreach (var b in accounts)
            {
                if (b is null || b == bankrupt || b.Collateral <= 0) continue;
                long share = (long)(target * (Int128)b.Collateral / total);
                if (share == 0) continue;
                b.Collateral -= share;
                charged += share;
                EmitLoss(b.Id, share);
            }
            foreach (var b in accounts)
            {
                if (charged == target) break;
                if (b is null || b == bankrupt || b.Collateral <= 0) continue;
                b.Collateral--;
                charged++;
                EmitLoss(b.Id, 1);
            }
        }
        bankrupt.Collateral += charged;
        // Whatever no one could absorb stays as a negative insurance fund: the system's recorded shortfall.
        InsuranceFund -= -bankrupt.Collateral;
        bankrupt.Collateral = 0;
    }

    private void EmitLoss(int account, long amount)
    {
        MarkDirty(accounts[account]!);
        ref var e = ref Emit(EventKind.SocialisedLoss);
        e.Account = account;
        e.Amount = amount;
    }
}
