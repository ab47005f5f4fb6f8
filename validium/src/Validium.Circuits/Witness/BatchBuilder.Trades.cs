using Validium.Crypto;
using Validium.Exchange;
using Validium.State;

namespace Validium.Circuits.Witness;

public sealed partial class BatchBuilder
{
    /// <summary>Fees, cash and units of one trade, as the circuit derives them from ticks, lots and the instrument.</summary>
    internal readonly record struct Terms(int Instrument, long Lots, long Price, long Quantity, long PricePerLot, long Cash, long TakerFee, long MakerFee)
    {
        public static Terms Of(CircuitConfig cfg, int instrument, long ticks, long lots)
        {
            var ins = cfg.Instruments[instrument];
            long ppl = checked(ticks * ins.CashPerTickLot);
            long cash = checked(ppl * lots);
            return new(instrument, lots, checked(ticks * ins.TickSize), checked(lots * ins.LotSize), ppl, cash,
                Settlement.Fee(cash, ins.TakerFeePpm), Settlement.Fee(cash, ins.MakerFeePpm));
        }
    }

    private void Trade(Context c, Assignment a, TradeOp t, int slot)
    {
        string what = $"trade {slot}";
        var (taker, maker) = (t.Taker.Order, t.Maker.Order);
        if (taker.Kind is not (CommandKind.Place or CommandKind.Amend) || maker.Kind is not (CommandKind.Place or CommandKind.Amend))
            throw new ArgumentException($"{what}: both orders must be place or amend commands");
        if (taker.Instrument != maker.Instrument) throw new ArgumentException($"{what}: the orders are for instruments {taker.Instrument} and {maker.Instrument}");
        if ((uint)taker.Instrument >= (uint)cfg.InstrumentCount) throw new ArgumentException($"{what}: instrument {taker.Instrument} is not in the circuit's table");
        if (taker.Side == maker.Side) throw new ArgumentException($"{what}: both orders are on the same side");
        if (t.PriceTicks <= 0 || t.Lots <= 0) throw new ArgumentException($"{what}: price and size must be positive");
        var terms = Terms.Of(cfg, taker.Instrument, t.PriceTicks, t.Lots);
        if (!SkipChecks) CheckLive(c, taker.Instrument, what);

        a["enabled"] = Fr.One;
        a["ticks"] = (ulong)t.PriceTicks;
        a["lots"] = (ulong)t.Lots;
        Side(c, a, "taker", t.Taker, terms, terms.TakerFee, what);
        Side(c, a, "maker", t.Maker, terms, terms.MakerFee, what);
        c.FeeSum = checked(c.FeeSum + terms.TakerFee + terms.MakerFee);
        c.Words.AddRange(BatchEncoding.TradeDataWords((ulong)taker.Account, (ulong)maker.Account, taker.Instrument, taker.Side == Exchange.Side.Sell,
            (ulong)t.PriceTicks, (ulong)t.Lots, t.Taker.Hash, t.Maker.Hash));
    }

    /// <summary>One order's side, in the circuit's order: its account settled, then its fill recorded.</summary>
    private void Side(Context c, Assignment a, string role, SignedOrder o, Terms terms, long fee, string what)
    {
        what = $"{what} {role}";
        var order = o.Order;
        var s = OpenSide(c, (ulong)order.Account, o.Hash, order.Side == Exchange.Side.Sell, terms, fee, what);
        if (!SkipChecks) CheckOrder(c, o, s.Data, terms, s.Filled, s.Updated, what);
        AssignAccount(a.Sub(role + "Account"), s.Data, s.Proof.Siblings);
        AssignOrder(a.Sub(role), o, s.Filled, s.FillProof.Siblings, what);
        CloseSide(c, s, terms);
    }

    /// <summary>An order's side before it is written: the account as it was and as it will be, and the order's fill slot.</summary>
    private readonly record struct SideState(ulong Account, AccountData Data, MerkleProof Proof, AccountData Updated, Fr Hash, ulong Slot, MerkleProof FillProof, ulong Filled);

    /// <summary>The fill applied to the account (Settlement.ApplyFill, the fee charged) and the order's fill slot read; nothing written yet.</summary>
    private SideState OpenSide(Context c, ulong account, Fr hash, bool sell, Terms terms, long fee, string what)
    {
        var (data, proof) = OpenAccount(c, account, what);
        var old = data.Positions[terms.Instrument];
        var fill = Settlement.ApplyFill(old.Size, old.OpenNotional, sell, terms.Lots, terms.PricePerLot);
        var positions = data.Positions.SetItem(terms.Instrument, new PositionLeaf(fill.To, fill.Keep, old.FundingIndex));
        var updated = data with { Collateral = checked(data.Collateral - fill.Realised - fee), Positions = positions };

        var slot = OrderFillLeaf.Slot(hash, cfg.FillDepth);
        var fillProof = c.Batch.Prove(fills, slot);
        var recorded = c.Mirror.Fill(slot);
        if (fillProof.Leaf != (recorded?.Hash() ?? Fr.Zero)) throw new InvalidOperationException($"the state mirror and the order-fill tree disagree on slot {slot}");
        if (recorded is not null && recorded.OrderHash != hash)
            throw new InvalidOperationException($"{what}: fill slot {slot} already holds another order; its owner must re-sign with another nonce");
        return new SideState(account, data, proof, updated, hash, slot, fillProof, recorded?.FilledSize ?? 0);
    }

    private void CloseSide(Context c, SideState s, Terms terms)
    {
        WriteAccount(c, s.Account, s.Data, s.Updated);
        var leaf = new OrderFillLeaf(s.Hash, checked(s.Filled + (ulong)terms.Quantity));
        c.Batch.Update(fills, [new LeafUpdate(s.Slot, leaf.Hash())]);
        c.Mirror.SetFill(s.Slot, leaf);
    }

    internal static void AssignOrder(Assignment a, SignedOrder o, ulong filled, ReadOnlySpan<Fr> fillSiblings, string what)
    {
        Span<Fr> fields = stackalloc Fr[OrderSigning.FieldCount];
        OrderSigning.Fields(o.Order, fields);
        a["amend"] = o.Order.Kind == CommandKind.Amend ? Fr.One : Fr.Zero;
        string[] names = ["account", "nonce", "instrument", "side", "type", "price", "quantity", "clientId", "flags", "expiresAt"];
        for (int k = 0; k < names.Length; k++) a[names[k]] = fields[k + 1];
        AssignSignature(a, o.Signature, what);
        a["filled"] = filled;
        a.Many("fillSiblings", fillSiblings);
    }

    private void CheckOrder(Context c, SignedOrder o, AccountData account, Terms terms, ulong filled, AccountData after, string what)
    {
        var order = o.Order;
        if (!EdDsaPoseidon.Verify(o.Hash, o.Signature, account.Key)) throw new InvalidOperationException($"{what}: the signature is not account {order.Account}'s");
        bool market = order.Type == OrderType.Market;
        if (order.Side == Exchange.Side.Buy ? !market && terms.Price > order.Price : terms.Price < order.Price)
            throw new InvalidOperationException($"{what}: price {terms.Price} is beyond the order's limit {order.Price}");
        if (order.ExpiresAt != 0 && (ulong)order.ExpiresAt <= c.Oracle.Timestamp * 1000)
            throw new InvalidOperationException($"{what}: the order expired at {order.ExpiresAt} ms, before the oracle time");
        if (order.Quantity <= 0 || filled + (ulong)terms.Quantity > (ulong)order.Quantity)
            throw new InvalidOperationException($"{what}: the fill would take the order to {filled + (ulong)terms.Quantity} of {order.Quantity}");
        if (!Settlement.MeetsMargin(cfg, c.Oracle.Prices, after.Collateral, after.Positions, initial: false))
            throw new InvalidOperationException($"{what}: account {order.Account} would be below maintenance margin at the batch's prices");
    }
}
