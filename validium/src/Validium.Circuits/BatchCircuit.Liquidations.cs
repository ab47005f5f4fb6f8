using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;
using Validium.State;

namespace Validium.Circuits;

/// <summary>
/// Liquidation (CIRCUIT.md, "Liquidation slots"; MARGIN.md, "Liquidation"): an account below the engine's simple
/// maintenance margin at the round's prices pays the penalty to the insurance fund account, every position moves at
/// the round's price to the configured liquidator, who must keep initial margin, and a deficit is covered from the
/// insurance fund, which may not go negative. Runs first, on the state the engine saw right after the oracle commit.
/// </summary>
public sealed partial class BatchCircuit
{
    /// <summary>|value| stays below 2^132: 64-bit collateral and notionals, at most 16 positions of 64-bit lots at 64-bit prices.</summary>
    private const int ValueBits = 132;

    private void Liquidations(ICircuitApi api, Inputs top, Running s)
    {
        Variable[] mmLot;
        using (api.Scope("maintenance per lot"))
            mmLot = [.. Enumerable.Range(0, Config.InstrumentCount).Select(j => CeilPpm(api, api.Mul(s.Prices[j], Fr.FromUInt64((ulong)Config.Instruments[j].MaintenanceMarginPpm)), 64))];
        for (int i = 0; i < Config.Shape.Liquidations; i++)
            using (api.Scope($"liquidation {i}")) Liquidation(api, top.Sub($"liquidation[{i}]"), s, mmLot);
    }

    private void Liquidation(ICircuitApi api, Inputs i, Running s, Variable[] mmLot)
    {
        var en = i["enabled"];
        api.AssertBoolean(en);
        var (account, penalty) = (i["account"], i["penalty"]);
        var a = AccountVars.Declare(i.Sub("account"), Config);
        var l = AccountVars.Declare(i.Sub("liquidator"), Config);
        var f = i.Sub("fund");
        var (fundAx, fundAy, fundNonce, fundCollateral) = (f["ax"], f["ay"], f["nonce"], f["collateral"]);
        var fundSiblings = f.Many("siblings", Config.AccountDepth);

        var bits = AccountBits(api, account);
        api.AssertNonZero(api.Sub(account, Fr.FromUInt64(Config.LiquidatorAccount)));
        api.AssertNonZero(api.Sub(account, Fr.FromUInt64(Config.InsuranceAccount)));
        var positionsA = AccountGadget.PositionsRoot(api, Config, a.Size, a.Notional, a.Funding);
        AccountGadget.AssertInTree(api, en, s.AccountsRoot, AccountGadget.Leaf(api, a.Ax, a.Ay, a.Nonce, a.Collateral, positionsA), a.Siblings, bits);

        var n = Config.InstrumentCount;
        var sells = new Variable[n];
        var lots = new Variable[n];
        Variable value = a.Collateral, mm = default;
        using (api.Scope("below maintenance"))
        {
            for (int j = 0; j < n; j++)
            {
                // A short position goes to the liquidator as a sale, a long one as a purchase.
                sells[j] = Arith.SignBit(api, a.Size[j]);
                lots[j] = Arith.Abs(api, a.Size[j], sells[j]);
                value = api.Add(value, api.Sub(api.Mul(a.Size[j], s.Prices[j]), a.Notional[j]));
                mm = api.Add(mm, api.Mul(lots[j], mmLot[j]));
            }
            api.AssertInRange(api.Sub(api.Sub(mm, value), Fr.One), ValueBits + 2);
            api.AssertNonZero(mm);
        }

        Variable left, cover;
        using (api.Scope("penalty"))
        {
            var nonNegative = api.ToBits(api.Add(value, Pow2(ValueBits)), ValueBits + 2)[ValueBits];
            var owed = api.Mul(nonNegative, value);
            var cap = CeilPpm(api, api.Mul(mm, Fr.FromUInt64((ulong)Config.LiquidationPenaltyPpm)), ValueBits);
            api.AssertInRange(penalty, 64);
            api.AssertInRange(api.Sub(owed, penalty), ValueBits + 2);
            api.AssertInRange(api.Sub(cap, penalty), ValueBits + 2);
            api.AssertProduct(api.Sub(penalty, owed), api.Sub(penalty, cap), Fr.Zero);
            // Closing every position at mark books value − notional into collateral: what is left after the penalty.
            left = api.Sub(value, penalty);
            var deficit = Arith.SignBit(api, left);
            cover = api.Mul(deficit, api.Sub(Fr.Zero, left));
        }
        var flat = new Variable[n];
        for (int j = 0; j < n; j++) flat[j] = Fr.Zero;
        s.AccountsRoot = AccountGadget.Replace(api, en, s.AccountsRoot,
            AccountGadget.Leaf(api, a.Ax, a.Ay, a.Nonce, api.Add(left, cover), AccountGadget.PositionsRoot(api, Config, flat, flat, a.Funding)), a.Siblings, bits);

        using (api.Scope("liquidator"))
            Takeover(api, en, s, l, sells, lots);

        using (api.Scope("insurance fund"))
        {
            var fundBits = ConstantBits(Config.InsuranceAccount, Config.AccountDepth);
            var empty = ZeroHashes.EmptyRoot(Config.PositionsDepth);
            AccountGadget.AssertInTree(api, en, s.AccountsRoot, AccountGadget.Leaf(api, fundAx, fundAy, fundNonce, fundCollateral, empty), fundSiblings, fundBits);
            // Below zero the deficit would have to be socialised, which this circuit does not do.
            var fund = api.Sub(api.Add(fundCollateral, penalty), cover);
            api.AssertInRange(fund, 63);
            s.AccountsRoot = AccountGadget.Replace(api, en, s.AccountsRoot, AccountGadget.Leaf(api, fundAx, fundAy, fundNonce, fund, empty), fundSiblings, fundBits);
        }

        var word = api.Add(api.Add(Fr.FromUInt64(BatchEncoding.LiquidationKind), api.Mul(account, Pow2(8))), api.Mul(penalty, Pow2(72)));
        AddWord(api, s, en, api.Add(word, api.Mul(cover, Pow2(136))));
    }

    /// <summary>The liquidator takes every position at the round's price, booked as trade fills, and must keep initial margin after.</summary>
    private void Takeover(ICircuitApi api, Variable en, Running s, AccountVars l, Variable[] sells, Variable[] lots)
    {
        var bits = ConstantBits(Config.LiquidatorAccount, Config.AccountDepth);
        AccountGadget.AssertInTree(api, en, s.AccountsRoot,
            AccountGadget.Leaf(api, l.Ax, l.Ay, l.Nonce, l.Collateral, AccountGadget.PositionsRoot(api, Config, l.Size, l.Notional, l.Funding)), l.Siblings, bits);
        var size = new Variable[Config.InstrumentCount];
        var notional = new Variable[Config.InstrumentCount];
        Variable collateral = l.Collateral;
        for (int j = 0; j < size.Length; j++)
        {
            var fill = FillGadget.Apply(api, l.Size[j], l.Notional[j], sells[j], lots[j], s.Prices[j], api.Mul(lots[j], s.Prices[j]));
            Arith.Signed64(api, fill.Keep);
            size[j] = fill.To;
            notional[j] = fill.Keep;
            collateral = api.Sub(collateral, fill.Realised);
        }
        Arith.Signed64(api, collateral);
        AccountGadget.AssertMargin(api, Config, s.Prices, collateral, size, notional, initial: true);
        s.AccountsRoot = AccountGadget.Replace(api, en, s.AccountsRoot,
            AccountGadget.Leaf(api, l.Ax, l.Ay, l.Nonce, collateral, AccountGadget.PositionsRoot(api, Config, size, notional, l.Funding)), l.Siblings, bits);
    }

    /// <summary>
    /// ceil(x / 10^6) for 0 ≤ x whose quotient is below 2^bits: q·10^6 − x ∈ [0, 10^6) and q &lt; 2^bits, bits + 43
    /// constraints (the range check on q rules out a wrapped quotient).
    /// </summary>
    private static Variable CeilPpm(ICircuitApi api, Variable x, int bits)
    {
        var q = api.Hint("ceil ppm", static (i, o) =>
        {
            var v = i[0].ToBigInteger();
            o[0] = Fr.FromBigInteger((v + 999_999) / 1_000_000);
        }, 1, [x])[0];
        api.AssertInRange(q, bits);
        var r = api.Sub(api.Mul(q, Fr.FromUInt64(1_000_000)), x);
        api.AssertInRange(r, 20);
        api.AssertLessOrEqual(r, Fr.FromUInt64(999_999), 20);
        return q;
    }
}
