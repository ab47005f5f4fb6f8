using System.Numerics;
using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Circuits;

/// <summary>Options (CIRCUIT.md, "Options"): no trade of an expired option, and expiry settlement slots.</summary>
public sealed partial class BatchCircuit
{
    /// <summary>Stands in for a perpetual's expiry: above 1000·timestamp for every 64-bit timestamp.</summary>
    private static readonly BigInteger NeverExpires = BigInteger.One << 74;

    /// <summary>An enabled trade's instrument is not an option at or past its expiry: 1000·timestamp &lt; expiry. 82 constraints.</summary>
    private void AssertLive(ICircuitApi api, Variable en, Variable[] sel, Running s)
    {
        var expiry = Arith.Lookup(api, sel, j => Config.Instruments[j].IsOption ? Config.Instruments[j].ExpiryMs : NeverExpires);
        Arith.InRangeIf(api, en, api.Sub(api.Sub(expiry, api.Mul(s.OracleSeconds, Fr.FromUInt64(1000))), Fr.One), 80);
    }

    /// <summary>
    /// Per instrument, 1 while it trades at the round: a perpetual always (the constant 1, free), an option while
    /// 1000·timestamp &lt; expiry. Computed, never asserted, once per batch on first use (82 constraints per option), for
    /// the sections that must treat an expired option differently without stalling (forced trades) or assert it per slot
    /// at one constraint (liquidation transfers).
    /// </summary>
    private Variable[] LiveFlags(ICircuitApi api, Running s)
    {
        if (s.Live is { } live) return live;
        using var scope = api.Scope("option live flags");
        var now = api.Mul(s.OracleSeconds, Fr.FromUInt64(1000));
        return s.Live = [.. Config.Instruments.Select(ins =>
            ins.IsOption ? api.Sub(Fr.One, api.IsLessOrEqual(Fr.FromUInt64((ulong)ins.ExpiryMs), now, 80)) : (Variable)Fr.One)];
    }

    /// <summary>
    /// One holder of an expired option paid at intrinsic value (Oracle.cs ExpireOption): collateral + size·intrinsic
    /// per lot − open notional; the position's size and notional become 0. The payout is a private input the circuit
    /// checks, so the record carries it.
    /// </summary>
    private void Expiry(ICircuitApi api, Inputs i, Running s, Variable[] settledNet)
    {
        var en = i["enabled"];
        api.AssertBoolean(en);
        var (account, instrument, payout) = (i["account"], i["instrument"], i["payout"]);
        var acc = AccountVars.Declare(i.Sub("account"), Config);
        var options = s.Options!;

        var bits = AccountBits(api, account);
        var leaf = AccountGadget.Leaf(api, acc.Ax, acc.Ay, acc.Nonce, acc.Collateral, AccountGadget.PositionsRoot(api, Config, acc.Size, acc.Notional, acc.Funding));
        AccountGadget.AssertInTree(api, en, s.AccountsRoot, leaf, acc.Siblings, bits);

        var sel = Arith.OneHot(api, instrument, Config.InstrumentCount);
        using (api.Scope("expired"))
        {
            api.AssertEqual(Arith.Lookup(api, sel, j => Config.Instruments[j].IsOption ? 1 : 0), Fr.One);
            var expiry = Arith.Lookup(api, sel, j => Config.Instruments[j].IsOption ? Config.Instruments[j].ExpiryMs : 0);
            Arith.InRangeIf(api, en, api.Sub(api.Mul(s.OracleSeconds, Fr.FromUInt64(1000)), expiry), 80);
        }

        var size = Arith.Pick(api, sel, acc.Size);
        var cost = Arith.Pick(api, sel, acc.Notional);
        Variable collateral;
        using (api.Scope("payout"))
        {
            // Perpetuals' entries are the constant 0 (default): the one-hot names an option, so they are never picked.
            var intrinsic = Arith.Pick(api, sel, options.IntrinsicLot);
            api.AssertEqual(payout, api.Mul(size, intrinsic));
            Arith.Signed64(api, payout);
            collateral = api.Sub(api.Add(acc.Collateral, payout), cost);
            Arith.Signed64(api, collateral);
        }
        using (api.Scope("open interest"))
        {
            var settled = api.Mul(en, size);
            foreach (var j in Config.OptionInstruments) settledNet[j] = api.Add(settledNet[j], api.Mul(sel[j], settled));
            MoveOpenInterest(api, s, en, sel, api.Sub(Fr.Zero, Long(api, size, Arith.SignBit(api, size))));
        }
        var newSize = new Variable[Config.InstrumentCount];
        var newNotional = new Variable[Config.InstrumentCount];
        for (int j = 0; j < newSize.Length; j++)
        {
            newSize[j] = api.Sub(acc.Size[j], api.Mul(sel[j], size));
            newNotional[j] = api.Sub(acc.Notional[j], api.Mul(sel[j], cost));
        }
        var newLeaf = AccountGadget.Leaf(api, acc.Ax, acc.Ay, acc.Nonce, collateral, AccountGadget.PositionsRoot(api, Config, newSize, newNotional, acc.Funding));
        s.AccountsRoot = AccountGadget.Replace(api, en, s.AccountsRoot, newLeaf, acc.Siblings, bits);

        var head = api.Add(api.Add(Fr.FromUInt64(BatchEncoding.ExpiryKind), api.Mul(account, Pow2(8))), api.Mul(instrument, Pow2(72)));
        AddWord(api, s, en, head);
        AddWord(api, s, en, payout);
    }
}
