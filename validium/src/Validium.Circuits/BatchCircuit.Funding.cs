using System.Numerics;
using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;

namespace Validium.Circuits;

/// <summary>
/// Funding (CIRCUIT.md, "Funding"): per instrument an optional tick at the operator's stated rate and mark, within the
/// instrument's funding cap and premium band around the round's price and at most once per funding period, moves the
/// cumulative index by the engine's step; then settlement slots pay every holder −size·step, in strictly increasing account order, and the settled
/// sizes of each ticked instrument must net to zero, so the payments do too.
/// </summary>
public sealed partial class BatchCircuit
{
    /// <summary>Tags the reserved leaf that carries funding state, so it cannot be read as any other two-input hash.</summary>
    public const ulong FundingLeafTag = 0x66756e64;

    /// <summary>The funding state before and after the batch (per instrument last tick, index) and what the settlement slots need.</summary>
    private sealed class FundingVars
    {
        public required Variable[] OldLast, OldIndex, NewLast, Tick, Step, NewIndex;
    }

    /// <summary>
    /// What the reserved leaf holds: the fill-root value alone while the funding state and open interest are zero (and
    /// always in a circuit that carries neither: <paramref name="openInterest"/> null), else Poseidon(tag, fill value, digest).
    /// A circuit with expiry slots also carries <paramref name="expiry"/> (null in one without).
    /// </summary>
    public static Fr ReservedLeafValue(Fr fillRoot, int fillDepth, FundingState? funding, IReadOnlyList<BigInteger>? openInterest, ExpiryFigures? expiry = null)
    {
        var fill = FillRootLeafValue(fillRoot, fillDepth);
        if (openInterest is null) return fill;
        funding ??= FundingState.Zero(openInterest.Count);
        return funding.IsZero && openInterest.All(v => v.IsZero) && expiry?.IsZero != false
            ? fill : Poseidon.Hash([FundingLeafTag, fill, funding.Digest(openInterest, expiry)]);
    }

    private static Variable ReservedLeaf(ICircuitApi api, Variable fillValue, Variable[]? words)
    {
        if (words is null) return fillValue;
        var digest = DataCommitment(api, [.. words]);
        var zero = api.IsZero(api.Sub(digest, PoseidonSponge.Commit(new Fr[words.Length])));
        return api.Select(zero, fillValue, PoseidonGadget.Hash(api, Fr.FromUInt64(FundingLeafTag), fillValue, digest));
    }

    private FundingVars Funding(ICircuitApi api, Inputs top, Running s)
    {
        int n = Config.InstrumentCount;
        var i = top.Sub("funding");
        var (tick, rate, step, index, last) = (i.Many("tick", n), i.Many("rate", n), i.Many("step", n), i.Many("index", n), i.Many("last", n));
        var mark = i.Many("mark", n);
        var newIndex = new Variable[n];
        var newLast = new Variable[n];
        for (int j = 0; j < n; j++)
        {
            using var scope = api.Scope($"funding tick {j}");
            api.AssertBoolean(tick[j]);
            Fr cap = (ulong)Config.FundingCapsPpm[j];
            using (api.Scope("rate cap"))
            {
                api.AssertInRange(api.Add(rate[j], cap), 21);
                api.AssertInRange(api.Sub(cap, rate[j]), 21);
                api.AssertProduct(api.Sub(Fr.One, tick[j]), rate[j], Fr.Zero);
            }
            using (api.Scope("mark band"))
            {
                // The engine's mark is the index plus a premium clamped to ± the premium cap: 10^6·|mark − price| ≤ price·cap.
                api.AssertInRange(mark[j], 64);
                var allowed = api.Mul(s.Prices[j], Fr.FromUInt64((ulong)Config.PremiumCapsPpm[j]));
                var off = api.Mul(api.Sub(mark[j], s.Prices[j]), Fr.FromUInt64(1_000_000));
                api.AssertInRange(api.Sub(allowed, off), 86);
                api.AssertInRange(api.Add(allowed, off), 86);
            }
            using (api.Scope("index step"))
            {
                // The engine's trunc(rate·mark / 10^6), toward zero: the remainder has the rate's sign (the mark is positive).
                var neg = api.Sub(Fr.One, api.ToBits(api.Add(rate[j], Pow2(20)), 21)[20]);
                var rem = api.Sub(api.Mul(rate[j], mark[j]), api.Mul(step[j], Fr.FromUInt64(1_000_000)));
                var magnitude = Arith.Abs(api, rem, neg);
                api.AssertInRange(magnitude, 20);
                api.AssertLessOrEqual(magnitude, Fr.FromUInt64(999_999), 20);
                Arith.Signed64(api, step[j]);
                newIndex[j] = api.Add(index[j], step[j]);
                Arith.Signed64(api, newIndex[j]);
            }
            using (api.Scope("period"))
                api.AssertInRange(api.Mul(tick[j], api.Sub(api.Sub(s.OracleSeconds, last[j]), Fr.FromUInt64((ulong)Config.FundingPeriodSeconds))), 64);
            newLast[j] = api.Add(last[j], api.Mul(tick[j], api.Sub(s.OracleSeconds, last[j])));
            var word = api.Add(api.Add(Fr.FromUInt64((ulong)(BatchEncoding.FundingKind + (j << 8))), api.Mul(api.Add(rate[j], Pow2(20)), Pow2(16))), api.Mul(mark[j], Pow2(64)));
            AddWord(api, s, tick[j], word);
        }
        var f = new FundingVars { OldLast = last, OldIndex = index, NewLast = newLast, Tick = tick, Step = step, NewIndex = newIndex };

        var netSize = new Variable[n];
        var settledLong = new Variable[n];
        Variable previousEnabled = default, previousAccount = default;
        for (int k = 0; k < Config.Shape.Funding; k++)
        {
            using var scope = api.Scope($"settlement {k}");
            var slot = top.Sub($"settlement[{k}]");
            var (en, account) = (slot["enabled"], slot["account"]);
            api.AssertBoolean(en);
            if (k > 0)
            {
                using var order = api.Scope("order");
                // Used slots first, each account above the last: an account is settled at most once per batch.
                api.AssertProduct(api.Sub(Fr.One, previousEnabled), en, Fr.Zero);
                api.AssertInRange(api.Mul(en, api.Sub(api.Sub(account, previousAccount), Fr.One)), 64);
            }
            Settlement(api, slot, en, account, s, f, netSize, settledLong);
            (previousEnabled, previousAccount) = (en, account);
        }
        using (api.Scope("funding zero sum"))
            for (int j = 0; j < n; j++) api.AssertProduct(tick[j], netSize[j], Fr.Zero);
        // Every long is settled: the settled accounts are distinct and their long lots add up to all lots held long.
        using (api.Scope("funding open interest"))
            for (int j = 0; j < n; j++) api.AssertProduct(tick[j], api.Sub(settledLong[j], s.OpenInterest![j]), Fr.Zero);
        return f;
    }

    /// <summary>
    /// One holder: every ticked instrument pays −size·step into collateral (range-checked) and moves a held position's
    /// funding index to the new one, as the engine's Funding does; no margin check (the engine has none: an account
    /// funding pushes below maintenance is liquidated at the next round).
    /// </summary>
    private void Settlement(ICircuitApi api, Inputs i, Variable en, Variable account, Running s, FundingVars f, Variable[] netSize, Variable[] settledLong)
    {
        var acc = AccountVars.Declare(i.Sub("account"), Config);
        var bits = AccountBits(api, account);
        var positionsRoot = AccountGadget.PositionsRoot(api, Config, acc.Size, acc.Notional, acc.Funding);
        var leaf = AccountGadget.Leaf(api, acc.Ax, acc.Ay, acc.Nonce, acc.Collateral, positionsRoot);
        AccountGadget.AssertInTree(api, en, s.AccountsRoot, leaf, acc.Siblings, bits);

        Variable collateral = acc.Collateral;
        var funding = new Variable[Config.InstrumentCount];
        for (int j = 0; j < Config.InstrumentCount; j++)
        {
            using var scope = api.Scope($"pay {j}");
            collateral = api.Sub(collateral, api.Mul(acc.Size[j], f.Step[j]));
            var moves = api.Mul(f.Tick[j], api.Sub(Fr.One, api.IsZero(acc.Size[j])));
            funding[j] = api.Add(acc.Funding[j], api.Mul(moves, api.Sub(f.NewIndex[j], acc.Funding[j])));
            netSize[j] = api.Add(netSize[j], api.Mul(en, acc.Size[j]));
            settledLong[j] = api.Add(settledLong[j], api.Mul(en, Long(api, acc.Size[j], Arith.SignBit(api, acc.Size[j]))));
        }
        Arith.Signed64(api, collateral);
        var newRoot = AccountGadget.PositionsRoot(api, Config, acc.Size, acc.Notional, funding);
        var newLeaf = AccountGadget.Leaf(api, acc.Ax, acc.Ay, acc.Nonce, collateral, newRoot);
        s.AccountsRoot = AccountGadget.Replace(api, en, s.AccountsRoot, newLeaf, acc.Siblings, bits);
        AddWord(api, s, en, api.Add(Fr.FromUInt64(BatchEncoding.SettlementKind), api.Mul(account, Pow2(8))));
    }
}
