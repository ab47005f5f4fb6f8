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
/// insurance fund, which may not go negative. Runs right after the expiry slots, on the state the engine saw right
/// after the oracle commit. An option's maintenance per lot is OptionMargin's long or short figure, by the side.
/// </summary>
public sealed partial class BatchCircuit
{
    /// <summary>|value| stays below 2^132: 64-bit collateral and notionals, at most 16 positions of 64-bit lots at 64-bit prices.</summary>
    private const int ValueBits = 132;

    /// <summary>The liquidator's state as the section's slots move positions to it: opened once, written once.</summary>
    private sealed class Carried(Variable collateral, Variable[] size, Variable[] notional)
    {
        public Variable Collateral = collateral;
        public readonly Variable[] Size = size, Notional = notional;
        public Variable FundDelta;
    }

    /// <summary>
    /// The section: per slot the liquidated account (opened, closed, written); the liquidator and the insurance fund,
    /// which no slot may name, are carried through the slots as values and written once at the end, so each slot
    /// pays for one account's paths instead of three.
    /// </summary>
    private void Liquidations(ICircuitApi api, Inputs top, Running s)
    {
        // Perpetuals only: an option's figure depends on the side and comes from the batch's option figures.
        var mmLot = new Variable[Config.InstrumentCount];
        using (api.Scope("maintenance per lot"))
            for (int j = 0; j < mmLot.Length; j++)
                if (!Config.Instruments[j].IsOption)
                    mmLot[j] = CeilPpm(api, api.Mul(s.Prices[j], Fr.FromUInt64((ulong)Config.Instruments[j].MaintenanceMarginPpm)), 64);
        var section = top.Sub("liquidation");
        var l = AccountVars.Declare(section.Sub("liquidator"), Config);
        var carried = new Carried(l.Collateral, [.. l.Size], [.. l.Notional]);
        Variable none = Fr.One;
        for (int i = 0; i < Config.Shape.Liquidations; i++)
            using (api.Scope($"liquidation {i}"))
                none = api.Mul(none, api.Sub(Fr.One, Liquidation(api, top.Sub($"liquidation[{i}]"), s, mmLot, carried)));
        // Used slots need not come first, so the two accounts are written when any slot is used.
        var used = api.Sub(Fr.One, none);

        using (api.Scope("liquidator"))
        {
            var bits = ConstantBits(Config.LiquidatorAccount, Config.AccountDepth);
            AccountGadget.AssertInTree(api, used, s.AccountsRoot,
                AccountGadget.Leaf(api, l.Ax, l.Ay, l.Nonce, l.Collateral, AccountGadget.PositionsRoot(api, Config, l.Size, l.Notional, l.Funding)), l.Siblings, bits);
            Arith.Signed64(api, carried.Collateral);
            AccountGadget.AssertMargin(api, Config, s.Prices, carried.Collateral, carried.Size, carried.Notional, initial: true, s.Options);
            s.AccountsRoot = AccountGadget.Replace(api, used, s.AccountsRoot,
                AccountGadget.Leaf(api, l.Ax, l.Ay, l.Nonce, carried.Collateral, AccountGadget.PositionsRoot(api, Config, carried.Size, carried.Notional, l.Funding)), l.Siblings, bits);
        }

        using (api.Scope("insurance fund"))
        {
            var f = section.Sub("fund");
            var (ax, ay, nonce, collateral) = (f["ax"], f["ay"], f["nonce"], f["collateral"]);
            var siblings = f.Many("siblings", Config.AccountDepth);
            var bits = ConstantBits(Config.InsuranceAccount, Config.AccountDepth);
            var empty = ZeroHashes.EmptyRoot(Config.PositionsDepth);
            AccountGadget.AssertInTree(api, used, s.AccountsRoot, AccountGadget.Leaf(api, ax, ay, nonce, collateral, empty), siblings, bits);
            // Below zero the deficits would have to be socialised, which this circuit does not do.
            var fund = api.Add(collateral, carried.FundDelta);
            api.AssertInRange(fund, 63);
            s.AccountsRoot = AccountGadget.Replace(api, used, s.AccountsRoot, AccountGadget.Leaf(api, ax, ay, nonce, fund, empty), siblings, bits);
        }
    }

    /// <summary>One slot; returns its enabled flag. Its transfers, penalty and cover go into <paramref name="carried"/> when enabled.</summary>
    private Variable Liquidation(ICircuitApi api, Inputs i, Running s, Variable[] mmLot, Carried carried)
    {
        var en = i["enabled"];
        api.AssertBoolean(en);
        var (account, penalty) = (i["account"], i["penalty"]);
        var a = AccountVars.Declare(i.Sub("account"), Config);

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
                var perLot = Config.Instruments[j].IsOption ? s.Options!.PerLot(api, j, sells[j], initial: false) : mmLot[j];
                mm = api.Add(mm, api.Mul(lots[j], perLot));
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

        using (api.Scope("to liquidator"))
        {
            for (int j = 0; j < n; j++)
            {
                // An unused slot moves nothing: a fill of no lots leaves a position as it is.
                var moved = api.Mul(en, lots[j]);
                // The expiry slots settle an expired option's holders first, so an honest slot never moves one (CIRCUIT.md).
                if (Config.Instruments[j].IsOption)
                    using (api.Scope("option live")) api.AssertProduct(api.Sub(Fr.One, LiveFlags(api, s)[j]), moved, Fr.Zero);
                var fill = FillGadget.Apply(api, carried.Size[j], carried.Notional[j], sells[j], moved, s.Prices[j], api.Mul(moved, s.Prices[j]));
                Arith.Signed64(api, fill.Keep);
                // A's lots leave, the liquidator's position moves: the open interest follows both (a circuit that carries it).
                if (s.OpenInterest is not null)
                    MoveOpenInterest(api, s, j, api.Sub(LongChange(api, carried.Size[j], fill.FromNeg, fill.To, fill.ToNeg), api.Mul(en, Long(api, a.Size[j], sells[j]))));
                carried.Size[j] = fill.To;
                carried.Notional[j] = fill.Keep;
                carried.Collateral = api.Sub(carried.Collateral, fill.Realised);
            }
        }
        carried.FundDelta = api.Add(carried.FundDelta, api.Mul(en, api.Sub(penalty, cover)));

        var word = api.Add(api.Add(Fr.FromUInt64(BatchEncoding.LiquidationKind), api.Mul(account, Pow2(8))), api.Mul(penalty, Pow2(72)));
        AddWord(api, s, en, api.Add(word, api.Mul(cover, Pow2(136))));
        return en;
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
