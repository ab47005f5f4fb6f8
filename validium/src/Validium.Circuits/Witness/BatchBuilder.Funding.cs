using System.Collections.Immutable;
using System.Numerics;
using Validium.Crypto;
using Validium.State;

namespace Validium.Circuits.Witness;

/// <summary>The engine's Funding event: the rate it charged (ppm), the instrument's cumulative index after the step, and the mark per lot it stepped at.</summary>
public sealed record FundingTick(int Instrument, long RatePpm, long Index, ulong MarkPerLot);

/// <summary>One FundingPayment event: what the engine moved into the account's collateral (negative: out of it).</summary>
public sealed record FundingPayment(ulong Account, int Instrument, long Amount);

/// <summary>The engine's funding ticks recorded for one batch, with every payment they made.</summary>
public sealed record FundingOp(IReadOnlyList<FundingTick> Ticks, IReadOnlyList<FundingPayment> Payments)
{
    public static FundingOp None { get; } = new([], []);
}

/// <summary>
/// The funding section (CIRCUIT.md, "Funding"): the state's index steps at the round's prices and every holder's
/// payment, checked against what the engine reported, so a batch whose funding differs from the engine's is refused
/// by name before the circuit would refuse it.
/// </summary>
public sealed partial class BatchBuilder
{
    /// <summary>The engine's funding, checked against the state (all holders settled, the same rates, indices and payments).</summary>
    private void Funding(Context c, Assignment a, FundingOp op)
    {
        var ticks = new List<(int, long, ulong)>();
        foreach (var t in op.Ticks)
        {
            if (ticks.Any(x => x.Item1 == t.Instrument))
                throw new InvalidOperationException($"funding: instrument {t.Instrument} ticks twice in one batch; cut the batch between its funding commands");
            ticks.Add((t.Instrument, t.RatePpm, t.MarkPerLot));
        }
        var claimedIndex = op.Ticks.ToDictionary(t => t.Instrument, t => t.Index);
        var paid = op.Payments.GroupBy(p => p.Account).ToDictionary(g => g.Key, g => g.Aggregate(BigInteger.Zero, (s, p) => s + p.Amount));
        // Unchecked, each listed payment takes a settlement slot in the list's order (repeats included): a test's cheating operator.
        ApplyFunding(c, a, ticks, SkipChecks ? [.. op.Payments.Select(p => p.Account)] : null, claimedIndex, paid);
    }

    /// <summary>A funding section from its records: the ticks' rates and the settled accounts; the state gives the rest.</summary>
    private void ReplayFunding(Context c, BatchData data)
    {
        for (int k = 1; k < data.Settlements.Count; k++)
            if (data.Settlements[k] <= data.Settlements[k - 1])
                throw new InvalidOperationException($"funding settlement {k}: account {data.Settlements[k]} does not follow account {data.Settlements[k - 1]} in increasing order");
        ApplyFunding(c, null, [.. data.Funding.Select(f => (f.Instrument, f.RatePpm, f.MarkPerLot))], [.. data.Settlements], null, null);
    }

    /// <summary>
    /// Applies the ticks and settles <paramref name="settle"/> (null: every holder of a ticked instrument, as the engine
    /// does). With the engine's claims (<paramref name="claimedIndex"/>, <paramref name="paid"/>) each is compared with the
    /// state's figure; unchecked, the claims are what is written, so a test can hand the circuit a wrong index or payment.
    /// </summary>
    private void ApplyFunding(Context c, Assignment? a, IReadOnlyList<(int Instrument, long Rate, ulong Mark)> ticks, ulong[]? settle,
        IReadOnlyDictionary<int, long>? claimedIndex, IReadOnlyDictionary<ulong, BigInteger>? paid)
    {
        int n = cfg.InstrumentCount;
        var old = c.Mirror.Funding ?? FundingState.Zero(n);
        var tick = new bool[n];
        var rate = new long[n];
        var step = new long[n];
        var mark = c.Oracle.Prices.ToArray();
        var index = old.Index.ToArray();
        var last = old.LastTick.ToArray();
        foreach (var (j, r, m) in ticks)
        {
            if ((uint)j >= (uint)n) throw new ArgumentException($"funding: instrument {j} is not in the circuit's table of {n}");
            if (tick[j]) throw new InvalidOperationException($"funding: instrument {j} ticks twice in one batch");
            (tick[j], rate[j]) = (true, r);
            if (!SkipChecks && Math.Abs(r) > cfg.FundingCapsPpm[j])
                throw new InvalidOperationException($"funding of instrument {j}: rate {r} ppm is beyond its cap of {cfg.FundingCapsPpm[j]} ppm");
            if (!SkipChecks && (BigInteger)c.Oracle.Timestamp < (BigInteger)last[j] + cfg.FundingPeriodSeconds)
                throw new InvalidOperationException($"funding of instrument {j}: a tick at {c.Oracle.Timestamp} s comes before the period since its last tick at {last[j]} s has passed");
            var price = (BigInteger)c.Oracle.Prices[j];
            if (!SkipChecks && BigInteger.Abs(m - price) * 1_000_000 > price * cfg.PremiumCapsPpm[j])
                throw new InvalidOperationException($"funding of instrument {j}: mark {m} per lot is outside the round's price {price} ± its premium cap of {cfg.PremiumCapsPpm[j]} ppm");
            mark[j] = m;
            // Oracle.cs Funding: trunc(rate × mark per lot / 10^6), Int128 division toward zero.
            var s = BigInteger.Divide((BigInteger)r * m, 1_000_000);
            var next = old.Index[j] + s;
            if (claimedIndex is not null && claimedIndex.TryGetValue(j, out var engineIndex) && engineIndex != next)
            {
                if (!SkipChecks) throw new InvalidOperationException($"funding of instrument {j}: the engine's index {engineIndex} is not the state's {next} (rate {r} ppm at {m} per lot)");
                next = engineIndex;
                s = next - old.Index[j];
            }
            if (!Settlement.FitsInt64(s) || !Settlement.FitsInt64(next)) throw new InvalidOperationException($"funding of instrument {j}: the index leaves 64 bits");
            (step[j], index[j], last[j]) = ((long)s, (long)next, c.Oracle.Timestamp);
        }

        var accountsToSettle = settle ?? [.. c.Mirror.Accounts.Where(kv => Enumerable.Range(0, n).Any(j => tick[j] && kv.Value.Positions[j].Size != 0)).Select(kv => kv.Key).Order()];
        if (accountsToSettle.Length > cfg.Shape.Funding)
            throw new ArgumentException($"funding: {accountsToSettle.Length} holders to settle do not fit a batch of {cfg.Shape}");
        if (!SkipChecks)
            foreach (var (id, data) in c.Mirror.Accounts.OrderBy(kv => kv.Key))
                for (int j = 0; j < n; j++)
                    if (tick[j] && data.Positions[j].Size != 0 && !accountsToSettle.Contains(id))
                        throw new InvalidOperationException($"funding of instrument {j}: account {id} holds {data.Positions[j].Size} lots but is not settled; every holder of a tick must be");
        if (paid is not null && !SkipChecks)
            foreach (var id in paid.Keys.Where(id => !accountsToSettle.Contains(id)))
                throw new InvalidOperationException($"funding: the engine paid account {id}, which holds no position in a ticked instrument here");
        var net = new BigInteger[n];
        for (int k = 0; k < cfg.Shape.Funding; k++)
        {
            var slot = a?.Sub($"settlement[{k}]");
            if (k >= accountsToSettle.Length)
            {
                if (slot is { } noOp) SettlementNoOp(noOp);
                c.Words.Add(Fr.Zero);
                continue;
            }
            ulong id = accountsToSettle[k];
            var (data, proof) = OpenAccount(c, id, $"funding settlement {k}");
            BigInteger pay = 0;
            var positions = data.Positions.ToBuilder();
            for (int j = 0; j < n; j++)
            {
                var p = data.Positions[j];
                pay -= (BigInteger)p.Size * step[j];
                net[j] += p.Size;
                if (tick[j] && p.Size != 0) positions[j] = p with { FundingIndex = index[j] };
            }
            if (paid is not null)
            {
                var engine = paid.GetValueOrDefault(id);
                if (engine != pay && !SkipChecks)
                    throw new InvalidOperationException($"funding settlement of account {id}: the engine paid {engine}, the state's rule pays {pay}");
                pay = engine;
            }
            var collateral = data.Collateral + pay;
            if (!Settlement.FitsInt64(collateral)) throw new InvalidOperationException($"funding settlement of account {id}: its collateral leaves 64 bits");
            if (slot is { } s)
            {
                s["enabled"] = Fr.One;
                s["account"] = id;
                AssignAccount(s.Sub("account"), data, proof.Siblings);
            }
            WriteAccount(c, id, data, data with { Collateral = (long)collateral, Positions = positions.ToImmutable() });
            c.Words.Add(BatchEncoding.SettlementDataWord(id));
        }
        for (int j = 0; j < n; j++)
            if (tick[j] && !net[j].IsZero && !SkipChecks)
                throw new InvalidOperationException($"funding of instrument {j}: the settled holders net {net[j]} lots, not zero, so the payments would not sum to zero");

        if (a is { } assign)
        {
            var f = assign.Sub("funding");
            f.Many("tick", [.. tick.Select(t => t ? Fr.One : Fr.Zero)]);
            f.Many("rate", [.. rate.Select(FieldEncoding.Signed)]);
            f.Many("step", [.. step.Select(FieldEncoding.Signed)]);
            f.Many("index", [.. old.Index.Select(FieldEncoding.Signed)]);
            f.Many("last", [.. old.LastTick.Select(t => (Fr)t)]);
            f.Many("mark", [.. mark.Select(v => (Fr)v)]);
        }
        // The tick words precede the settlement words (CIRCUIT.md, "Batch data").
        c.Words.InsertRange(c.Words.Count - cfg.Shape.Funding, [.. Enumerable.Range(0, n).Select(j => tick[j] ? BatchEncoding.FundingDataWord(j, rate[j], mark[j]) : Fr.Zero)]);
        c.Mirror.Funding = new FundingState([.. index], [.. last]);
    }

    private void SettlementNoOp(Assignment a)
    {
        a["enabled"] = Fr.Zero;
        a["account"] = Fr.Zero;
        AssignAccount(a.Sub("account"), AccountData.Open(new BabyJubjubPoint(Fr.Zero, Fr.Zero), 0, cfg.InstrumentCount), new Fr[cfg.AccountDepth]);
    }
}
