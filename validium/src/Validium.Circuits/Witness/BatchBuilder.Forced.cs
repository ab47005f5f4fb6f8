using System.Numerics;
using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.State;

namespace Validium.Circuits.Witness;

public sealed partial class BatchBuilder
{
    private static readonly BigInteger WordLimit = BigInteger.One << 232;

    /// <summary>What a forced request says, decoded and checked against what the contract guarantees.</summary>
    private readonly record struct Forced(bool Trade, ulong A, ulong B, BigInteger Y, uint Instrument, long Size, ulong C);

    private Forced Decode(ForcedOp f, string what)
    {
        var word = f.Word.ToBigInteger();
        if (word >= WordLimit || f.Kind is not (BatchEncoding.L1ForcedWithdrawal or BatchEncoding.L1ForcedTrade))
            throw new ArgumentException($"{what}: word {word} is not a forced withdrawal's or forced trade's (kind 2 or 3 below 2^232)");
        var c = f.C.ToBigInteger();
        if (c.IsZero || c > ulong.MaxValue) throw new ArgumentException($"{what}: c = {c} is not a positive 64-bit amount or price");
        var x = f.X;
        CheckL1Account(x, what);
        if (f.Kind == BatchEncoding.L1ForcedWithdrawal) return new Forced(false, x, 0, f.Y, 0, 0, (ulong)c);

        var b = f.Y & ulong.MaxValue;
        var instrument = f.Y >> 64;
        if (b >= BigInteger.One << cfg.AccountDepth) throw new ArgumentException($"{what}: account B {b} is outside an account tree of depth {cfg.AccountDepth}");
        if (instrument > uint.MaxValue) throw new ArgumentException($"{what}: instrument {instrument} is not a 32-bit number");
        if ((ulong)b == x) throw new ArgumentException($"{what}: a forced trade needs two accounts");
        var size = Arith.Decode(f.B);
        if (size.IsZero || !Settlement.FitsInt64(size)) throw new ArgumentException($"{what}: size {size} is not a non-zero 64-bit number");
        return new Forced(true, x, (ulong)b, f.Y, (uint)instrument, (long)size, (ulong)c);
    }

    /// <summary>The contract lets a request name any account below 2^accountDepth, the reserved one included.</summary>
    private void CheckL1Account(ulong id, string what)
    {
        if (!TreeShape.Contains(cfg.AccountDepth, id)) throw new ArgumentException($"{what}: account {id} is outside an account tree of depth {cfg.AccountDepth}");
    }

    /// <summary>
    /// One forced request, executed exactly when the circuit's flags say so (BatchCircuit.Forced): the request is
    /// consumed either way, and a refused one leaves the state as it was.
    /// </summary>
    private void ForcedRequest(Context c, Assignment a, ForcedOp? op, int slot)
    {
        if (op is null)
        {
            a["enabled"] = Fr.Zero;
            a["isTrade"] = Fr.Zero;
            foreach (var name in (string[])["x", "y", "a", "b"]) a[name] = Fr.Zero;
            a["c"] = Fr.One;
            AssignFiller(a, "A");
            AssignFiller(a, "B");
            c.Words.AddRange(new Fr[BatchEncoding.ForcedWords]);
            return;
        }
        string what = $"forced request {slot}";
        var f = Decode(op, what);
        var reserved = BatchCircuit.FillRootIndex(cfg.AccountDepth);
        a["enabled"] = Fr.One;
        a["isTrade"] = f.Trade ? Fr.One : Fr.Zero;
        a["x"] = f.A;
        a["y"] = Fr.FromBigInteger(f.Y);
        a["a"] = op.A;
        a["b"] = op.B;
        a["c"] = f.C;

        var (dataA, proofA) = f.A == reserved ? (null, null) : Open(c, f.A);
        AccountData? dataB = null;
        bool keysOk;
        if (!f.Trade) keysOk = dataA is not null && dataA.Key.X == op.A && dataA.Key.Y == op.B;
        else
        {
            dataB = f.B == reserved ? null : c.Mirror.Account(f.B);
            keysOk = dataA is not null && dataB is not null
                && BatchEncoding.ForcedTradeKeys(dataA.Key, dataB.Key) == op.A;
        }

        bool inTable = f.Trade && f.Instrument < cfg.InstrumentCount;
        int instrument = inTable ? (int)f.Instrument : 0;
        var flatA = dataA ?? AccountData.Open(default, 0, cfg.InstrumentCount);
        var flatB = dataB ?? AccountData.Open(default, 0, cfg.InstrumentCount);
        BigInteger lots = 0;
        if (f.Trade)
        {
            // An option at or after its expiry does not trade (CIRCUIT.md, "Options"): such a request moves nothing.
            bool fit = inTable && Live(c, instrument) && Settlement.FitsInt64((BigInteger)flatA.Positions[instrument].Size + f.Size)
                && Settlement.FitsInt64((BigInteger)flatB.Positions[instrument].Size - f.Size);
            keysOk &= fit;
            lots = fit ? BigInteger.Abs(f.Size) : 0;
        }
        var afterA = Side(c, flatA, instrument, f.Size < 0, lots, f.C, f.Trade ? 0 : f.C);
        var afterB = f.Trade ? Side(c, flatB, instrument, f.Size >= 0, lots, f.C, 0) : null;
        bool exec = keysOk && afterA is not null && (!f.Trade || afterB is not null);

        a["emptyA"] = dataA is null ? Fr.One : Fr.Zero;
        AssignAccount(a.Sub("accountA"), flatA, proofA is null ? new Fr[cfg.AccountDepth] : proofA.Siblings);
        if (exec) WriteAccount(c, f.A, dataA, afterA!);

        if (f.Trade && f.B != reserved)
        {
            var (_, proofB) = Open(c, f.B);
            a["emptyB"] = dataB is null ? Fr.One : Fr.Zero;
            AssignAccount(a.Sub("accountB"), flatB, proofB!.Siblings);
            if (exec) WriteAccount(c, f.B, dataB, afterB!);
        }
        else AssignFiller(a, "B");

        if (exec && !f.Trade) c.Withdrawals.Add((f.Y, f.C));
        c.OpsHead = BatchEncoding.ChainL1(c.OpsHead, op.Word, op.A, op.B, op.C);
        c.Words.AddRange(BatchEncoding.ForcedDataWords(f.Trade, exec, f.A, f.C, (ulong)BigInteger.Abs(f.Size), f.Size < 0, f.Y));
    }

    /// <summary>An account opened at id (null when the leaf is empty) and its proof against the current root.</summary>
    private (AccountData? Data, MerkleProof Proof) Open(Context c, ulong id)
    {
        var proof = c.Batch.Prove(accounts, id);
        var data = c.Mirror.Account(id);
        CheckMirror(data, proof, id);
        return (data, proof);
    }

    /// <summary>
    /// The account after the fill and debit, or null when a new value leaves 64 bits or the initial margin rule fails
    /// at the batch's prices (the circuit's refusals).
    /// </summary>
    private AccountData? Side(Context c, AccountData acc, int instrument, bool sell, BigInteger lots, ulong pricePerLot, ulong debit)
    {
        var old = acc.Positions[instrument];
        var (to, keep, realised) = Settlement.ApplyFillWide(old.Size, old.OpenNotional, sell, lots, pricePerLot);
        var collateral = acc.Collateral - realised - debit;
        if (!Settlement.FitsInt64(keep) || !Settlement.FitsInt64(collateral)) return null;
        var after = acc with
        {
            Collateral = (long)collateral,
            Positions = acc.Positions.SetItem(instrument, new PositionLeaf((long)to, (long)keep, old.FundingIndex)),
        };
        return Settlement.MeetsMargin(cfg, c.Oracle.Prices, after.Collateral, after.Positions, initial: true) ? after : null;
    }

    /// <summary>An account the request does not open (a withdrawal's B, a reserved index, an unused slot): flat and empty.</summary>
    private void AssignFiller(Assignment a, string role)
    {
        a["empty" + role] = Fr.One;
        AssignAccount(a.Sub("account" + role), AccountData.Open(default, 0, cfg.InstrumentCount), new Fr[cfg.AccountDepth]);
    }
}
