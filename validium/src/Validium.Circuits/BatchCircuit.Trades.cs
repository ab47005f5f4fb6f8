using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Circuits;

/// <summary>Trade settlement: two signed orders, one price and size, both accounts and both fill leaves.</summary>
public sealed partial class BatchCircuit
{
    /// <summary>
    /// A trade of lots at ticks between a taker and a maker order on the same instrument and opposite sides. The
    /// instrument's constants come from a one-hot lookup; fees are floor(cash·ppm / 10^6) (a negative maker fee is a
    /// rebate of the same magnitude, as Engine.Fee); both accounts must keep maintenance margin afterwards.
    /// </summary>
    private void Trade(ICircuitApi api, Inputs i, Running s)
    {
        var en = i["enabled"];
        api.AssertBoolean(en);
        var (ticks, lots) = (i["ticks"], i["lots"]);
        var taker = OrderVars.Declare(i.Sub("taker"), Config);
        var maker = OrderVars.Declare(i.Sub("maker"), Config);
        var takerAccount = AccountVars.Declare(i.Sub("takerAccount"), Config);
        var makerAccount = AccountVars.Declare(i.Sub("makerAccount"), Config);

        Variable[] sel;
        Variable price, quantity, pricePerLot, cash, takerFee, makerFee;
        using (api.Scope("terms"))
        {
            api.AssertInRange(ticks, 64);
            api.AssertInRange(lots, 64);
            api.AssertNonZero(lots);
            api.AssertEqual(taker.Instrument, maker.Instrument);
            api.AssertBoolean(taker.Side);
            api.AssertBoolean(maker.Side);
            api.AssertEqual(api.Add(taker.Side, maker.Side), Fr.One);
            sel = Arith.OneHot(api, taker.Instrument, Config.InstrumentCount);
            var ins = Config.Instruments;
            price = api.Mul(ticks, Arith.Lookup(api, sel, j => ins[j].TickSize));
            api.AssertInRange(price, 64);
            quantity = api.Mul(lots, Arith.Lookup(api, sel, j => ins[j].LotSize));
            api.AssertInRange(quantity, 64);
            pricePerLot = api.Mul(ticks, Arith.Lookup(api, sel, j => ins[j].CashPerTickLot));
            cash = api.Mul(pricePerLot, lots);
            takerFee = Arith.FloorPpm(api, api.Mul(cash, Arith.Lookup(api, sel, j => ins[j].TakerFeePpm)));
            var makerMagnitude = Arith.FloorPpm(api, api.Mul(cash, Arith.Lookup(api, sel, j => Math.Abs(ins[j].MakerFeePpm))));
            makerFee = api.Mul(Arith.Lookup(api, sel, j => ins[j].MakerFeePpm < 0 ? -1 : 1), makerMagnitude);
        }
        if (Config.OptionCount > 0)
            using (api.Scope("option live")) AssertLive(api, en, sel, s);

        var hashes = new Variable[2];
        foreach (var (k, order, account, fee) in new[] { (0, taker, takerAccount, takerFee), (1, maker, makerAccount, makerFee) })
        {
            using var scope = api.Scope(k == 0 ? "taker" : "maker");
            var hash = hashes[k] = OrderGadget.Hash(api, order);
            OrderGadget.CheckLimit(api, order, price);
            OrderGadget.CheckExpiry(api, order, s.OracleSeconds);
            Settle(api, en, s, order, account, hash, sel, lots, pricePerLot, cash, fee);
            s.FillRoot = OrderGadget.Fill(api, Config, en, s.FillRoot, order, hash, quantity);
        }
        s.FeeSum = api.Add(s.FeeSum, api.Mul(en, api.Add(takerFee, makerFee)));

        var head = api.Add(api.Add(Fr.FromUInt64(BatchEncoding.TradeKind), api.Mul(taker.Account, Pow2(8))), api.Mul(maker.Account, Pow2(72)));
        head = api.Add(api.Add(head, api.Mul(taker.Instrument, Pow2(136))), api.Mul(taker.Side, Pow2(152)));
        AddWord(api, s, en, head);
        AddWord(api, s, en, api.Add(ticks, api.Mul(lots, Pow2(64))));
        AddWord(api, s, en, hashes[0]);
        AddWord(api, s, en, hashes[1]);
    }

    /// <summary>One side: the account proven in the tree under the order's account number, its key the order's signer, the fill booked, fee charged, margin kept.</summary>
    private void Settle(ICircuitApi api, Variable en, Running s, OrderVars order, AccountVars acc, Variable hash, Variable[] sel,
        Variable lots, Variable pricePerLot, Variable cash, Variable fee)
    {
        var bits = AccountBits(api, order.Account);
        var leaf = AccountGadget.Leaf(api, acc.Ax, acc.Ay, acc.Nonce, acc.Collateral, AccountGadget.PositionsRoot(api, Config, acc.Size, acc.Notional, acc.Funding));
        AccountGadget.AssertInTree(api, en, s.AccountsRoot, leaf, acc.Siblings, bits);
        OrderGadget.VerifySignature(api, order, acc.Key, hash);

        var from = Arith.Pick(api, sel, acc.Size);
        var cost = Arith.Pick(api, sel, acc.Notional);
        var fill = FillGadget.Apply(api, from, cost, order.Side, lots, pricePerLot, cash);
        Arith.Signed64(api, fill.Keep);
        var size = new Variable[Config.InstrumentCount];
        var notional = new Variable[Config.InstrumentCount];
        for (int j = 0; j < size.Length; j++)
        {
            size[j] = api.Add(acc.Size[j], api.Mul(sel[j], api.Sub(fill.To, from)));
            notional[j] = api.Add(acc.Notional[j], api.Mul(sel[j], api.Sub(fill.Keep, cost)));
        }
        if (s.OpenInterest is not null) MoveOpenInterest(api, s, en, sel, LongChange(api, from, fill.FromNeg, fill.To, fill.ToNeg));
        var collateral = api.Sub(api.Sub(acc.Collateral, fill.Realised), fee);
        Arith.Signed64(api, collateral);
        AccountGadget.AssertMargin(api, Config, s.Prices, collateral, size, notional, initial: false, s.Options);

        var newLeaf = AccountGadget.Leaf(api, acc.Ax, acc.Ay, acc.Nonce, collateral, AccountGadget.PositionsRoot(api, Config, size, notional, acc.Funding));
        s.AccountsRoot = AccountGadget.Replace(api, en, s.AccountsRoot, newLeaf, acc.Siblings, bits);
    }
}
