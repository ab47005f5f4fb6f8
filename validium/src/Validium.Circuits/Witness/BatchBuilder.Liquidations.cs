using System.Collections.Immutable;
using System.Numerics;
using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.State;

namespace Validium.Circuits.Witness;

/// <summary>
/// Liquidation slots (CIRCUIT.md, "Liquidation slots"): the state recomputes what the engine reported (value,
/// maintenance margin, penalty, transfers at the round's price to the liquidator, the deficit the insurance fund
/// covers) and refuses, with the reason, a liquidation the circuit cannot prove: one the engine deleveraged or
/// socialised, one that moves an expired option, or whose figures the state does not give. An option's maintenance
/// per lot is the simple long or short figure at the round's spot (<see cref="OptionMargin.PerLotValues"/>).
/// </summary>
public sealed partial class BatchBuilder
{
    /// <summary>What the state says a liquidation of an account does at the batch's prices.</summary>
    private readonly record struct LiquidationTerms(BigInteger Value, BigInteger Maintenance, long Penalty, long Cover);

    private LiquidationTerms Figures(Context c, AccountData a, string what)
    {
        BigInteger value = a.Collateral, mm = 0;
        for (int j = 0; j < a.Positions.Length; j++)
        {
            var p = a.Positions[j];
            var price = (BigInteger)c.Oracle.Prices[j];
            var ins = cfg.Instruments[j];
            value += p.Size * price - p.OpenNotional;
            if (!ins.IsOption) mm += BigInteger.Abs(p.Size) * CeilPpm(price * ins.MaintenanceMarginPpm);
            else
            {
                var (lng, sht) = OptionMargin.PerLotValues(ins, c.Oracle.Prices[cfg.SpotSlot(j)], price, ins.MaintenanceMarginPpm);
                mm += BigInteger.Abs(p.Size) * (p.Size < 0 ? sht : lng);
            }
        }
        var penalty = BigInteger.Min(BigInteger.Max(value, 0), CeilPpm(mm * cfg.LiquidationPenaltyPpm));
        var left = value - penalty;
        if (!Settlement.FitsInt64(left)) throw new InvalidOperationException($"{what}: the account's value {value} leaves 64 bits");
        return new LiquidationTerms(value, mm, (long)penalty, left < 0 ? (long)-left : 0);
    }

    private static BigInteger CeilPpm(BigInteger x) => (x + 999_999) / 1_000_000;

    /// <summary>
    /// One liquidation the engine reported. With the builder's checks, every figure must be the state's; without them
    /// (tests playing a cheating operator) the engine's claims are applied as they are.
    /// </summary>
    private void Liquidation(Context c, Assignment a, LiquidationOp op, int slot)
    {
        string what = $"liquidation {slot} (account {op.Account})";
        CheckAccountNumber(op.Account, what);
        var (data, _) = OpenAccount(c, op.Account, what);
        var terms = Figures(c, data, what);
        if (!SkipChecks) CheckEngine(c, op, data, terms, what);
        ApplyLiquidation(c, a, op.Account, data, op.Transfers, op.Penalty, op.Cover, what);
    }

    private void CheckEngine(Context c, LiquidationOp op, AccountData data, LiquidationTerms t, string what)
    {
        if (op.Deleveraged.Length > 0)
            throw new InvalidOperationException($"{what}: the engine auto-deleveraged {op.Deleveraged.Length} position(s) because the liquidator could not carry them; the circuit proves transfers to liquidator account {cfg.LiquidatorAccount} only (give it more collateral)");
        if (op.Socialised != 0)
            throw new InvalidOperationException($"{what}: the engine socialised a loss of {op.Socialised} the insurance fund could not cover; the circuit does not socialise losses");
        if (op.Account == cfg.LiquidatorAccount || op.Account == cfg.InsuranceAccount)
            throw new InvalidOperationException($"{what}: the liquidator and the insurance fund accounts cannot be liquidated in the circuit");
        if (t.Maintenance.IsZero || t.Value >= t.Maintenance)
            throw new InvalidOperationException($"{what}: the account is not below maintenance margin at the batch's prices (value {t.Value}, maintenance {t.Maintenance})");
        if (op.MaintenanceMargin != t.Maintenance)
            throw new InvalidOperationException($"{what}: the engine's maintenance margin {op.MaintenanceMargin} is not the circuit's simple rule {t.Maintenance} (its scenario rule was larger: configure shocks no larger than the maintenance rates)");
        if (op.TotalValue != t.Value)
            throw new InvalidOperationException($"{what}: the engine's total value {op.TotalValue} is not the state's {t.Value}");
        if (op.Penalty != t.Penalty)
            throw new InvalidOperationException($"{what}: the engine's penalty {op.Penalty} is not the circuit's {t.Penalty}");
        if (op.Cover != t.Cover)
            throw new InvalidOperationException($"{what}: the insurance fund covered {op.Cover}, the state's deficit is {t.Cover}");
        var expected = AllToLiquidator(c, data, what);
        if (!expected.SequenceEqual(op.Transfers))
            throw new InvalidOperationException($"{what}: the engine's transfers [{string.Join(", ", op.Transfers)}] are not every position moved to liquidator account {cfg.LiquidatorAccount} at the round's price [{string.Join(", ", expected)}]");
    }

    /// <summary>Replays a liquidation record from the state alone; the re-encoded record must then equal the stored one.</summary>
    private void ReplayLiquidation(Context c, LiquidationRecord r, int slot)
    {
        string what = $"liquidation {slot} (account {r.Account})";
        CheckAccountNumber(r.Account, what);
        var (data, _) = OpenAccount(c, r.Account, what);
        if (r.Account == cfg.LiquidatorAccount || r.Account == cfg.InsuranceAccount)
            throw new InvalidOperationException($"{what}: the record names the liquidator or the insurance fund account");
        var t = Figures(c, data, what);
        if (t.Maintenance.IsZero || t.Value >= t.Maintenance)
            throw new InvalidOperationException($"{what}: the account is not below maintenance margin at the batch's prices");
        ApplyLiquidation(c, null, r.Account, data, AllToLiquidator(c, data, what), t.Penalty, t.Cover, what);
    }

    /// <summary>Every position of the account, moved to the liquidator at the round's price (in ticks, as the engine reports it).</summary>
    private ImmutableArray<PositionMove> AllToLiquidator(Context c, AccountData data, string what)
    {
        var moves = ImmutableArray.CreateBuilder<PositionMove>();
        for (int j = 0; j < data.Positions.Length; j++)
        {
            if (data.Positions[j].Size == 0) continue;
            ulong price = c.Oracle.Prices[j], perTick = (ulong)cfg.Instruments[j].CashPerTickLot;
            if (price % perTick != 0) throw new InvalidOperationException($"{what}: the round's price {price} of instrument {j} is not whole ticks");
            moves.Add(new PositionMove(cfg.LiquidatorAccount, j, data.Positions[j].Size, (long)(price / perTick)));
        }
        return moves.ToImmutable();
    }

    /// <summary>
    /// The liquidator and the insurance fund across the section's slots: the circuit opens and writes them once, at
    /// the end, so the builder keeps their changes here until <see cref="CloseLiquidations"/>.
    /// </summary>
    private sealed class LiquidationCarry
    {
        public AccountData? Liquidator;
        public long FundDelta;
        public bool Used;
    }

    /// <summary>Applies the moves (each a fill at its price, the liquidator on the other side), penalty and cover; records the slot's inputs when building.</summary>
    private void ApplyLiquidation(Context c, Assignment? a, ulong account, AccountData data, ImmutableArray<PositionMove> transfers, long penalty, long cover, string what)
    {
        if (penalty < 0 || cover < 0) throw new InvalidOperationException($"{what}: penalty {penalty} and cover {cover} cannot be negative");
        var carry = c.Liquidating!;
        try
        {
            carry.Liquidator ??= c.Mirror.Account(cfg.LiquidatorAccount)
                ?? throw new InvalidOperationException($"{what}: liquidator account {cfg.LiquidatorAccount} does not exist; open it with a deposit first");
            var positions = data.Positions;
            long collateral = checked(data.Collateral - penalty + cover);
            var carried = carry.Liquidator;
            foreach (var m in transfers)
            {
                if ((uint)m.Instrument >= (uint)cfg.InstrumentCount || m.Lots == 0) throw new InvalidOperationException($"{what}: transfer {m} is outside the instrument table or empty");
                if (!SkipChecks) CheckLive(c, m.Instrument, what);
                long ppl = checked(m.PriceTicks * cfg.Instruments[m.Instrument].CashPerTickLot);
                var p = positions[m.Instrument];
                var fill = Settlement.ApplyFill(p.Size, p.OpenNotional, m.Lots > 0, Math.Abs(m.Lots), ppl);
                positions = positions.SetItem(m.Instrument, new PositionLeaf(fill.To, fill.Keep, p.FundingIndex));
                collateral = checked(collateral - fill.Realised);
                var q = carried.Positions[m.Instrument];
                var taken = Settlement.ApplyFill(q.Size, q.OpenNotional, m.Lots < 0, Math.Abs(m.Lots), ppl);
                carried = carried with
                {
                    Collateral = checked(carried.Collateral - taken.Realised),
                    Positions = carried.Positions.SetItem(m.Instrument, new PositionLeaf(taken.To, taken.Keep, q.FundingIndex)),
                };
            }
            if (!SkipChecks && !Settlement.MeetsMargin(cfg, c.Oracle.Prices, carried.Collateral, carried.Positions, initial: true))
                throw new InvalidOperationException($"{what}: liquidator account {cfg.LiquidatorAccount} cannot carry the positions within initial margin at the batch's prices");
            carry.Liquidator = carried;
            carry.FundDelta = checked(carry.FundDelta + penalty - cover);
            carry.Used = true;

            var proof = c.Batch.Prove(accounts, account);
            if (a is { } s)
            {
                s["enabled"] = Fr.One;
                s["account"] = account;
                s["penalty"] = (ulong)penalty;
                AssignAccount(s.Sub("account"), data, proof.Siblings);
            }
            WriteAccount(c, account, data, data with { Collateral = collateral, Positions = positions });
        }
        catch (OverflowException e)
        {
            throw new InvalidOperationException($"{what}: a value leaves 64 bits", e);
        }
        c.Words.Add(BatchEncoding.LiquidationDataWord(account, (ulong)penalty, (ulong)cover));
    }

    /// <summary>Writes the liquidator's and the insurance fund's accounts once, after every slot, as the circuit does; an unused section assigns zeros.</summary>
    private void CloseLiquidations(Context c, Assignment a)
    {
        var carry = c.Liquidating!;
        var l = a.Sub("liquidator");
        var f = a.Sub("fund");
        if (!carry.Used)
        {
            AssignAccount(l, AccountData.Open(default, 0, cfg.InstrumentCount), new Fr[cfg.AccountDepth]);
            foreach (var name in (string[])["ax", "ay", "nonce", "collateral"]) f[name] = Fr.Zero;
            f.Many("siblings", new Fr[cfg.AccountDepth]);
            return;
        }
        var (liquidator, proof) = OpenAccount(c, cfg.LiquidatorAccount, "liquidations: liquidator");
        AssignAccount(l, liquidator, proof.Siblings);
        WriteAccount(c, cfg.LiquidatorAccount, liquidator, carry.Liquidator!);

        var fundProof = c.Batch.Prove(accounts, cfg.InsuranceAccount);
        var fund = c.Mirror.Account(cfg.InsuranceAccount);
        CheckMirror(fund, fundProof, cfg.InsuranceAccount);
        if (fund is null) throw new InvalidOperationException($"liquidations: insurance fund account {cfg.InsuranceAccount} does not exist; open it with a deposit first");
        if (fund.Positions.Any(p => !p.IsFlat)) throw new InvalidOperationException($"liquidations: insurance fund account {cfg.InsuranceAccount} holds positions; it must hold collateral only");
        long funded = checked(fund.Collateral + carry.FundDelta);
        if (funded < 0 && !SkipChecks)
            throw new InvalidOperationException($"liquidations: insurance fund account {cfg.InsuranceAccount} holds {fund.Collateral}, less than the batch's deficits net of penalties ({-carry.FundDelta}); the circuit does not socialise losses");
        f["ax"] = fund.Key.X;
        f["ay"] = fund.Key.Y;
        f["nonce"] = fund.Nonce;
        f["collateral"] = FieldEncoding.Signed(fund.Collateral);
        f.Many("siblings", fundProof.Siblings);
        WriteAccount(c, cfg.InsuranceAccount, fund, fund with { Collateral = funded });
    }

    /// <summary>
    /// An unused slot: a complete valid liquidation off the tree (CIRCUIT.md): a key-less account with one lot of
    /// instrument 0 bought at the round's price and nothing else; it moves nothing to the liquidator.
    /// </summary>
    private void LiquidationNoOp(Context c, Assignment a)
    {
        ulong account = 0;
        while (account == cfg.LiquidatorAccount || account == cfg.InsuranceAccount) account++;
        long price = checked((long)c.Oracle.Prices[0]);
        var positions = Enumerable.Repeat(PositionLeaf.Flat, cfg.InstrumentCount).ToImmutableArray();
        a["enabled"] = Fr.Zero;
        a["account"] = account;
        a["penalty"] = Fr.Zero;
        AssignAccount(a.Sub("account"), new AccountData(default, 0, 0, positions.SetItem(0, new PositionLeaf(1, price, 0))), new Fr[cfg.AccountDepth]);
        c.Words.Add(Fr.Zero);
    }
}
