using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Circuits;

/// <summary>
/// Open interest (CIRCUIT.md, "Open interest"): per instrument the lots held long, Σ max(size, 0) over the accounts,
/// kept in the reserved leaf when the circuit has funding or expiry slots. The starting figures are private inputs,
/// bound by the reserved leaf proven at the end; every section that changes a size moves them by the change in that
/// position's long lots, so the figures the funding and expiry checks use are the state's at that point.
/// </summary>
public sealed partial class BatchCircuit
{
    /// <summary>max(size, 0) from the size's sign bit: 1 constraint.</summary>
    private static Variable Long(ICircuitApi api, Variable size, Variable neg) => api.Mul(api.Sub(Fr.One, neg), size);

    /// <summary>The change in long lots of a position moving from <paramref name="from"/> to <paramref name="to"/> (sign bits given): 2 constraints.</summary>
    private static Variable LongChange(ICircuitApi api, Variable from, Variable fromNeg, Variable to, Variable toNeg) =>
        api.Sub(Long(api, to, toNeg), Long(api, from, fromNeg));

    /// <summary>When <paramref name="en"/>, the selected instrument's open interest moves by <paramref name="change"/>; nothing in a circuit that carries none.</summary>
    private static void MoveOpenInterest(ICircuitApi api, Running s, Variable en, Variable[] sel, Variable change)
    {
        if (s.OpenInterest is not { } oi) return;
        var moved = api.Mul(en, change);
        for (int j = 0; j < oi.Length; j++) oi[j] = api.Add(oi[j], api.Mul(sel[j], moved));
    }

    /// <summary>As <see cref="MoveOpenInterest(ICircuitApi, Running, Variable, Variable[], Variable)"/> for instrument <paramref name="j"/>, known at compile time.</summary>
    private static void MoveOpenInterest(ICircuitApi api, Running s, int j, Variable change) => s.OpenInterest![j] = api.Add(s.OpenInterest[j], change);

    /// <summary>
    /// The reserved leaf's words (FundingState.Words order): last tick, index, open interest per instrument (the funding
    /// pair is 0 without funding slots); with expiry slots then each option's short interest and the last batch's round timestamp.
    /// </summary>
    private static Variable[] ReservedWords(Variable[] openInterest, Variable[]? last, Variable[]? index, ExpiryWords? expiry)
    {
        var words = new List<Variable>(3 * openInterest.Length);
        for (int j = 0; j < openInterest.Length; j++)
        {
            words.Add(last is null ? Fr.Zero : last[j]);
            words.Add(index is null ? Fr.Zero : index[j]);
            words.Add(openInterest[j]);
        }
        if (expiry is not null)
        {
            words.AddRange(expiry.ShortInterest);
            words.Add(expiry.LastRound);
        }
        return [.. words];
    }

    /// <summary>The expiry words of the reserved leaf: per option the lots held short, then the last batch's round timestamp.</summary>
    private sealed record ExpiryWords(Variable[] ShortInterest, Variable LastRound);

    /// <summary>
    /// Before any slot, against the starting figures the reserved leaf binds: the round does not go back
    /// (timestamp ≥ R), and a batch of a later round (timestamp &gt; R) finds no holder of an option that had expired
    /// at R: pending_j·advanced·(OI_j + SI_j) = 0. Both figures are sums of 64-bit lots over the accounts, so their
    /// sum is 0 only when both are. [expiry ≤ 1000·R] is computed, never hinted, so no batch can skip the check.
    /// </summary>
    private void AssertEarlierExpiriesSettled(ICircuitApi api, Running s, Variable[] openInterest, ExpiryWords start)
    {
        using var scope = api.Scope("earlier expiries settled");
        var elapsed = api.Sub(s.OracleSeconds, start.LastRound);
        api.AssertInRange(elapsed, 64);
        var advanced = api.Sub(Fr.One, api.IsZero(elapsed));
        var then = api.Mul(start.LastRound, Fr.FromUInt64(1000));
        var options = Config.OptionInstruments;
        for (int k = 0; k < options.Length; k++)
        {
            var pending = api.IsLessOrEqual(Fr.FromUInt64((ulong)Config.Instruments[options[k]].ExpiryMs), then, 80);
            api.AssertProduct(api.Mul(pending, advanced), api.Add(openInterest[options[k]], start.ShortInterest[k]), Fr.Zero);
        }
    }

    /// <summary>
    /// Each option's short interest after the batch, derived rather than carried through the sections: every section but
    /// the expiry slots moves lots between two accounts, so the net Σ size = OI − SI changes only there, by minus the
    /// settled sizes. SI' = OI' − (OI − SI − settled): no constraint.
    /// </summary>
    private ExpiryWords ExpiryWordsAfter(ICircuitApi api, Running s, Variable[] startingInterest, ExpiryWords start, Variable[] settledNet)
    {
        var options = Config.OptionInstruments;
        var shortInterest = new Variable[options.Length];
        for (int k = 0; k < options.Length; k++)
        {
            int j = options[k];
            var netBefore = api.Sub(startingInterest[j], start.ShortInterest[k]);
            shortInterest[k] = api.Sub(s.OpenInterest![j], api.Sub(netBefore, settledNet[j]));
        }
        return new ExpiryWords(shortInterest, s.OracleSeconds);
    }
}
