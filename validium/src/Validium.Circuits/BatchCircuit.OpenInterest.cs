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

    /// <summary>The reserved leaf's words (FundingState.Words order): last tick, index, open interest per instrument; the funding pair is 0 without funding slots.</summary>
    private static Variable[] ReservedWords(Variable[] openInterest, Variable[]? last, Variable[]? index)
    {
        var words = new Variable[3 * openInterest.Length];
        for (int j = 0; j < openInterest.Length; j++)
        {
            words[3 * j] = last is null ? Fr.Zero : last[j];
            words[3 * j + 1] = index is null ? Fr.Zero : index[j];
            words[3 * j + 2] = openInterest[j];
        }
        return words;
    }

    /// <summary>
    /// After the expiry slots, every holder of an expired option has been settled: its open interest is 0 (no long
    /// left), and the sizes the slots settled of each option net to zero, so the shorts went with the longs.
    /// [1000·timestamp ≥ expiry] is computed, never hinted, so a batch past the expiry cannot skip the check.
    /// </summary>
    private void AssertExpiredSettled(ICircuitApi api, Running s, Variable[] settledNet)
    {
        var now = api.Mul(s.OracleSeconds, Fr.FromUInt64(1000));
        for (int j = 0; j < Config.InstrumentCount; j++)
        {
            if (!Config.Instruments[j].IsOption) continue;
            using var scope = api.Scope($"expired {j} settled");
            var expired = api.IsLessOrEqual(Fr.FromUInt64((ulong)Config.Instruments[j].ExpiryMs), now, 80);
            api.AssertProduct(expired, s.OpenInterest![j], Fr.Zero);
            api.AssertEqual(settledNet[j], Fr.Zero);
        }
    }
}
