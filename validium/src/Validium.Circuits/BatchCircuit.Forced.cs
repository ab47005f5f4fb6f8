using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;

namespace Validium.Circuits;

/// <summary>
/// L1 forced requests (SPEC.md): a forced withdrawal or a forced trade, consumed from the L1-operations chain after the
/// batch's deposits (the section runs last, on the state the batch's other operations left). The contract checked the
/// signatures; the circuit decides, from the state alone, whether the request executes, and a refused request is
/// consumed all the same. The operator has no say: every reason to
/// refuse (wrong key, empty or reserved account, an instrument outside the table, a value leaving 64 bits, the initial
/// margin rule) is computed as a flag, never asserted, so an honest request cannot stall the chain and a valid one
/// cannot be refused.
/// </summary>
public sealed partial class BatchCircuit
{
    private void Forced(ICircuitApi api, Inputs i, Running s)
    {
        var en = i["enabled"];
        var isTrade = i["isTrade"];
        api.AssertBoolean(en);
        api.AssertBoolean(isTrade);
        var (x, y, a, b, c) = (i["x"], i["y"], i["a"], i["b"], i["c"]);
        var accA = AccountVars.Declare(i.Sub("accountA"), Config);
        var accB = AccountVars.Declare(i.Sub("accountB"), Config);
        var (emptyA, emptyB) = (i["emptyA"], i["emptyB"]);
        api.AssertBoolean(emptyA);
        api.AssertBoolean(emptyB);
        var reserved = Fr.FromUInt64(FillRootIndex(Config.AccountDepth));

        // The contract keeps x below 2^accountDepth and y below 2^160, so the word has one spelling.
        var xBits = api.ToBits(x, Config.AccountDepth);
        var yBits = api.ToBits(y, BatchEncoding.AddressBits);
        var word = api.Add(api.Add(api.Add(Fr.FromUInt64(BatchEncoding.L1ForcedWithdrawal), isTrade), api.Mul(x, Pow2(8))), api.Mul(y, Pow2(72)));
        using (api.Scope("L1 chain"))
            s.OpsHead = api.Select(en, PoseidonGadget.Hash(api, s.OpsHead, word, a, b, c), s.OpsHead);
        api.AssertInRange(c, 64);
        api.AssertNonZero(c);

        // A trade's y is account B + instrument·2^64; the contract keeps B below 2^accountDepth and A ≠ B.
        Variable accountB = default, above = default, instrument = default;
        for (int k = 0; k < 64; k++)
        {
            if (k < Config.AccountDepth) accountB = api.Add(accountB, api.Mul(yBits[k], Pow2(k)));
            else above = api.Add(above, api.Mul(yBits[k], Pow2(k)));
        }
        for (int k = 64; k < BatchEncoding.AddressBits; k++) instrument = api.Add(instrument, api.Mul(yBits[k], Pow2(k - 64)));
        api.AssertProduct(isTrade, above, Fr.Zero);
        api.AssertNonZero(api.Add(api.Mul(isTrade, api.Sub(x, accountB)), api.Sub(Fr.One, isTrade)));
        var resA = api.IsZero(api.Sub(x, reserved));
        var resB = api.IsZero(api.Sub(accountB, reserved));

        Variable[] sel;
        Variable inTable, sellA, lots, size;
        using (api.Scope("terms"))
        {
            inTable = api.IsLessOrEqual(instrument, Fr.FromUInt64((ulong)Config.InstrumentCount - 1), 96);
            sel = Arith.OneHot(api, api.Mul(inTable, instrument), Config.InstrumentCount);
            // signed(size) for a trade, 0 for a withdrawal (whose b is a key coordinate): the contract keeps it int64.
            size = api.Mul(isTrade, b);
            sellA = Arith.SignBit(api, size);
            lots = Arith.Abs(api, size, sellA);
        }

        var positionsA = AccountGadget.PositionsRoot(api, Config, accA.Size, accA.Notional, accA.Funding);
        var leafA = api.Mul(api.Sub(Fr.One, emptyA), AccountGadget.Leaf(api, accA.Ax, accA.Ay, accA.Nonce, accA.Collateral, positionsA));
        using (api.Scope("A"))
            AccountGadget.AssertInTree(api, api.Mul(en, api.Sub(Fr.One, resA)), s.AccountsRoot, leafA, accA.Siblings, xBits);
        var positionsB = AccountGadget.PositionsRoot(api, Config, accB.Size, accB.Notional, accB.Funding);
        var leafB = api.Mul(api.Sub(Fr.One, emptyB), AccountGadget.Leaf(api, accB.Ax, accB.Ay, accB.Nonce, accB.Collateral, positionsB));

        Variable allowed;
        using (api.Scope("keys"))
        {
            var withdrawer = api.Mul(api.IsZero(api.Sub(accA.Ax, a)), api.IsZero(api.Sub(accA.Ay, b)));
            var pair = api.Mul(api.IsZero(api.Sub(PoseidonGadget.Hash(api, accA.Ax, accA.Ay, accB.Ax, accB.Ay), a)),
                api.Mul(api.Sub(Fr.One, emptyB), api.Sub(Fr.One, resB)));
            allowed = api.Mul(api.Mul(api.Sub(Fr.One, emptyA), api.Sub(Fr.One, resA)), api.Select(isTrade, pair, withdrawer));
        }

        // Positions first: a trade whose new sizes leave 64 bits (or on an instrument outside the table) is refused,
        // and the fill gadgets then see no lots at all.
        var fromA = Arith.Pick(api, sel, accA.Size);
        var fromB = Arith.Pick(api, sel, accB.Size);
        Variable lotsTraded;
        using (api.Scope("sizes fit"))
        {
            // An option trades while live at the round (CIRCUIT.md, "Options"); a table without options keeps its circuit.
            var tradable = Config.OptionCount > 0 ? api.Mul(inTable, Arith.Pick(api, sel, LiveFlags(api, s))) : inTable;
            var tradeFits = api.Mul(api.Mul(tradable, Arith.FitsSigned64(api, api.Add(fromA, size), 65)),
                Arith.FitsSigned64(api, api.Sub(fromB, size), 65));
            lotsTraded = api.Mul(tradeFits, lots);
            allowed = api.Mul(allowed, api.Sub(Fr.One, api.Mul(isTrade, api.Sub(Fr.One, tradeFits))));
        }
        var cash = api.Mul(c, lotsTraded);
        var sideA = ForcedSide(api, s, "A", accA, sel, fromA, sellA, lotsTraded, c, cash, api.Mul(api.Sub(Fr.One, isTrade), c));
        var sideB = ForcedSide(api, s, "B", accB, sel, fromB, api.Sub(Fr.One, sellA), lotsTraded, c, cash, Fr.Zero);
        var marginB = api.Sub(Fr.One, api.Mul(isTrade, api.Sub(Fr.One, sideB.Ok)));
        var exec = api.Mul(api.Mul(api.Mul(en, allowed), sideA.Ok), marginB);

        var execTrade = api.Mul(exec, isTrade);
        MoveOpenInterest(api, s, exec, sel, sideA.LongChange);
        MoveOpenInterest(api, s, execTrade, sel, sideB.LongChange);
        s.AccountsRoot = AccountGadget.Replace(api, exec, s.AccountsRoot,
            AccountGadget.Leaf(api, accA.Ax, accA.Ay, accA.Nonce, sideA.Collateral, AccountGadget.PositionsRoot(api, Config, sideA.Size, sideA.Notional, accA.Funding)),
            accA.Siblings, xBits);
        using (api.Scope("B"))
            AccountGadget.AssertInTree(api, api.Mul(api.Mul(en, isTrade), api.Sub(Fr.One, resB)), s.AccountsRoot, leafB, accB.Siblings, yBits[..Config.AccountDepth]);
        s.AccountsRoot = AccountGadget.Replace(api, execTrade, s.AccountsRoot,
            AccountGadget.Leaf(api, accB.Ax, accB.Ay, accB.Nonce, sideB.Collateral, AccountGadget.PositionsRoot(api, Config, sideB.Size, sideB.Notional, accB.Funding)),
            accB.Siblings, yBits[..Config.AccountDepth]);

        var paid = api.Mul(exec, api.Sub(Fr.One, isTrade));
        using (api.Scope("withdrawals chain"))
            s.Withdrawals = api.Select(paid, PoseidonGadget.Hash(api, s.Withdrawals, api.Add(api.Mul(c, Pow2(BatchEncoding.AddressBits)), y)), s.Withdrawals);

        var head = api.Add(api.Add(Fr.FromUInt64(BatchEncoding.ForcedWithdrawalKind), isTrade), api.Mul(exec, Pow2(8)));
        head = api.Add(api.Add(head, api.Mul(x, Pow2(16))), api.Mul(c, Pow2(80)));
        head = api.Add(api.Add(head, api.Mul(lots, Pow2(144))), api.Mul(sellA, Pow2(208)));
        AddWord(api, s, en, head);
        AddWord(api, s, en, y);
    }

    private readonly record struct ForcedResult(Variable Ok, Variable Collateral, Variable[] Size, Variable[] Notional, Variable LongChange);

    /// <summary>
    /// One account's side of a forced request: the fill (no lots for a withdrawal), the debit, then whether the new
    /// notional and collateral fit 64 bits and the initial margin rule holds on them. The values returned are the new
    /// ones when they fit and the old ones when not, so the margin sums never see a wrapped number.
    /// </summary>
    private ForcedResult ForcedSide(ICircuitApi api, Running s, string name, AccountVars acc, Variable[] sel, Variable from, Variable sell, Variable lots,
        Variable pricePerLot, Variable cash, Variable debit)
    {
        using var scope = api.Scope(name);
        var cost = Arith.Pick(api, sel, acc.Notional);
        var fill = FillGadget.Apply(api, from, cost, sell, lots, pricePerLot, cash);
        // |keep| < 2^128 (cost plus at most 2^127 of cash, or to·price); realised and the collateral stay below 2^130.
        var collateral = api.Sub(api.Sub(acc.Collateral, fill.Realised), debit);
        var fits = api.Mul(Arith.FitsSigned64(api, fill.Keep, 129), Arith.FitsSigned64(api, collateral, 131));
        var keep = api.Add(cost, api.Mul(fits, api.Sub(fill.Keep, cost)));
        collateral = api.Add(acc.Collateral, api.Mul(fits, api.Sub(collateral, acc.Collateral)));
        var size = new Variable[Config.InstrumentCount];
        var notional = new Variable[Config.InstrumentCount];
        for (int j = 0; j < size.Length; j++)
        {
            size[j] = api.Add(acc.Size[j], api.Mul(sel[j], api.Sub(fill.To, from)));
            notional[j] = api.Add(acc.Notional[j], api.Mul(sel[j], api.Sub(keep, cost)));
        }
        var margin = AccountGadget.MarginHolds(api, Config, s.Prices, collateral, size, notional, initial: true, s.Options);
        var longChange = s.OpenInterest is null ? Fr.Zero : LongChange(api, from, fill.FromNeg, fill.To, fill.ToNeg);
        return new ForcedResult(api.Mul(fits, margin), collateral, size, notional, longChange);
    }
}
