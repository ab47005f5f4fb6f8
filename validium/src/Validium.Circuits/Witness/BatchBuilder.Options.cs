using System.Numerics;
using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.State;

namespace Validium.Circuits.Witness;

/// <summary>
/// An option holder's expiry settlement as the engine booked it (ExpirySettlement event): the account, the option
/// and the payout, size × intrinsic value per lot (negative for a short in the money).
/// </summary>
public sealed record ExpiryOp(ulong Account, int Instrument, long Payout);

public sealed partial class BatchBuilder
{
    /// <summary>
    /// As <see cref="Build(ulong, OracleRound, Fr, IReadOnlyList{DepositOp}, IReadOnlyList{ForcedOp}, IReadOnlyList{TradeOp}, IReadOnlyList{WithdrawalOp}, IReadOnlyList{LiquidationOp})"/>,
    /// with the engine's option expiry settlements at the round's commit (<paramref name="expiries"/>), which the batch
    /// applies first (CIRCUIT.md, "Expiry slots").
    /// </summary>
    public PendingBatch Build(ulong batchNumber, OracleRound oracle, Fr opsHead, IReadOnlyList<DepositOp> deposits, IReadOnlyList<ForcedOp> forced,
        IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals, IReadOnlyList<LiquidationOp> liquidations, IReadOnlyList<ExpiryOp> expiries) =>
        Build(batchNumber, oracle, opsHead, deposits, forced, trades, withdrawals, liquidations, FundingOp.None, expiries);

    /// <summary>As above, with the round's funding ticks and payments too (<paramref name="funding"/>), applied after the liquidations.</summary>
    public PendingBatch Build(ulong batchNumber, OracleRound oracle, Fr opsHead, IReadOnlyList<DepositOp> deposits, IReadOnlyList<ForcedOp> forced,
        IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals, IReadOnlyList<LiquidationOp> liquidations, FundingOp funding, IReadOnlyList<ExpiryOp> expiries)
    {
        ArgumentNullException.ThrowIfNull(expiries);
        if (expiries.Count > cfg.Shape.Expiries)
            throw new ArgumentException($"{expiries.Count} option expiries do not fit a batch of {cfg.Shape}");
        pendingExpiries = expiries;
        try
        {
            return Build(batchNumber, oracle, opsHead, deposits, forced, trades, withdrawals, liquidations, funding);
        }
        finally
        {
            pendingExpiries = [];
        }
    }

    /// <summary>The expiries of the build in progress (the overloads without them build none).</summary>
    private IReadOnlyList<ExpiryOp> pendingExpiries = [];

    private void ExpirySlot(Context c, Assignment a, int slot)
    {
        if (slot < pendingExpiries.Count) Expiry(c, a, pendingExpiries[slot], slot);
        else ExpiryNoOp(c, a);
    }

    /// <summary>An enabled trade or liquidation transfer of an option at or after its expiry is refused (the circuit's "option live" rule).</summary>
    private void CheckLive(Context c, int instrument, string what)
    {
        if (!Live(c, instrument))
            throw new InvalidOperationException($"{what}: option {instrument} expired at {cfg.Instruments[instrument].ExpiryMs} ms, at or before the round's time {c.Oracle.Timestamp} s");
    }

    /// <summary>The circuit's live flag: a perpetual always, an option while 1000·timestamp &lt; expiry.</summary>
    private bool Live(Context c, int instrument)
    {
        var ins = cfg.Instruments[instrument];
        return !ins.IsOption || (BigInteger)ins.ExpiryMs > (BigInteger)c.Oracle.Timestamp * 1000;
    }

    private void Expiry(Context c, Assignment a, ExpiryOp op, int slot)
    {
        string what = $"expiry {slot} (account {op.Account}, instrument {op.Instrument})";
        var (data, payout) = OpenExpiry(c, op.Account, op.Instrument, what);
        if (!SkipChecks && payout != op.Payout)
            throw new InvalidOperationException($"{what}: the engine's payout {op.Payout} is not size × intrinsic value per lot at the round's spot, {payout}");
        var proof = c.Batch.Prove(accounts, op.Account);
        a["enabled"] = Fr.One;
        a["account"] = op.Account;
        a["instrument"] = (ulong)op.Instrument;
        a["payout"] = FieldEncoding.Signed(op.Payout);
        AssignAccount(a.Sub("account"), data, proof.Siblings);
        ApplyExpiry(c, op.Account, op.Instrument, data, op.Payout);
    }

    private void ReplayExpiry(Context c, ExpiryRecord r, int slot)
    {
        string what = $"expiry {slot} (account {r.Account}, instrument {r.Instrument})";
        var (data, payout) = OpenExpiry(c, r.Account, r.Instrument, what);
        if (payout != r.Payout) throw new InvalidOperationException($"{what}: the record pays {r.Payout}, the state and round give {payout}");
        ApplyExpiry(c, r.Account, r.Instrument, data, payout);
    }

    /// <summary>The holder's account and the payout the circuit computes, after the checks it makes.</summary>
    private (AccountData Data, long Payout) OpenExpiry(Context c, ulong account, int instrument, string what)
    {
        if ((uint)instrument >= (uint)cfg.InstrumentCount || !cfg.Instruments[instrument].IsOption)
            throw new ArgumentException($"{what}: instrument {instrument} is not an option of the circuit's table");
        var ins = cfg.Instruments[instrument];
        if (!SkipChecks && (BigInteger)ins.ExpiryMs > (BigInteger)c.Oracle.Timestamp * 1000)
            throw new InvalidOperationException($"{what}: the option expires at {ins.ExpiryMs} ms, after the round's time {c.Oracle.Timestamp} s");
        var (data, _) = OpenAccount(c, account, what);
        var payout = data.Positions[instrument].Size * OptionMargin.IntrinsicLotValue(ins, c.Oracle.Prices[cfg.SpotSlot(instrument)]);
        if (!Settlement.FitsInt64(payout)) throw new InvalidOperationException($"{what}: the payout {payout} does not fit 64 bits");
        return (data, (long)payout);
    }

    private void ApplyExpiry(Context c, ulong account, int instrument, AccountData data, long payout)
    {
        var old = data.Positions[instrument];
        var collateral = (BigInteger)data.Collateral + payout - old.OpenNotional;
        if (!Settlement.FitsInt64(collateral)) throw new InvalidOperationException($"expiry: account {account}'s collateral {collateral} does not fit 64 bits");
        var positions = data.Positions.SetItem(instrument, new PositionLeaf(0, 0, old.FundingIndex));
        WriteAccount(c, account, data, data with { Collateral = (long)collateral, Positions = positions });
        c.Words.AddRange(BatchEncoding.ExpiryDataWords(account, instrument, payout));
    }

    /// <summary>
    /// Before the expiry slots, the circuit's "earlier expiries settled" rule on the starting state: the round does
    /// not go back, and a batch of a later round than the last batch's finds no holder of an option that had expired
    /// at that round. The engine settles every holder at the commit that expires the option; the batches of that
    /// round may spread the settlements over their expiry slots, but all of them before the state moves on.
    /// </summary>
    private void CheckEarlierExpiriesSettled(Context c)
    {
        ulong last = c.Mirror.LastRoundTime, now = c.Oracle.Timestamp;
        if (now < last)
            throw new InvalidOperationException($"the round's time {now} s is before the last batch's round time {last} s: rounds cannot go back");
        if (now == last) return;
        foreach (var j in cfg.OptionInstruments)
        {
            var ins = cfg.Instruments[j];
            if ((BigInteger)ins.ExpiryMs > (BigInteger)last * 1000) continue;
            foreach (var (id, data) in c.Mirror.Accounts.OrderBy(kv => kv.Key))
                if (data.Positions[j].Size != 0)
                    throw new InvalidOperationException($"option {j} expired at {ins.ExpiryMs} ms, by the last batch's round time {last} s, but account {id} still holds {data.Positions[j].Size} lots; every holder must be settled in batches of that round before a batch of round time {now} s");
        }
    }

    /// <summary>An unused slot: a key-less, empty account 0 on the first option, paid nothing; its effects are switched off.</summary>
    private void ExpiryNoOp(Context c, Assignment a)
    {
        a["enabled"] = Fr.Zero;
        a["account"] = Fr.Zero;
        a["instrument"] = (ulong)cfg.Instruments.IndexOf(cfg.Instruments.First(i => i.IsOption));
        a["payout"] = Fr.Zero;
        AssignAccount(a.Sub("account"), AccountData.Open(default, 0, cfg.InstrumentCount), new Fr[cfg.AccountDepth]);
        c.Words.AddRange(new Fr[BatchEncoding.ExpiryWords]);
    }
}
