using System.Numerics;
using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Circuits.Gadgets;

/// <summary>
/// Integer helpers over STATE.md's signed encoding (n, or p − |n| when negative). Every value the circuit writes into
/// the state passes <see cref="SignBit"/> or <see cref="Signed64"/>, so values read back from the state (bound by
/// their leaf hashes) are 64-bit integers too, and no sum or product below reaches p/2.
/// </summary>
internal static class Arith
{
    private static readonly Fr Half = Fr.FromBigInteger(BigInteger.One << 63);

    /// <summary>v ∈ [−2^63, 2^63): 65 constraints.</summary>
    public static void Signed64(ICircuitApi api, Variable v) => api.AssertInRange(api.Add(v, Half), 64);

    /// <summary>1 when v &lt; 0, with v ∈ [−2^63, 2^63) enforced: 65 constraints.</summary>
    public static Variable SignBit(ICircuitApi api, Variable v) => api.Sub(Fr.One, api.ToBits(api.Add(v, Half), 64)[63]);

    /// <summary>
    /// 1 when v ∈ [−2^63, 2^63), else 0, for any v with |v| &lt; 2^bound (64 ≤ bound ≤ 248): w = v + 2^63 + 2^bound lies in
    /// (0, 2^(bound+2)), and v fits exactly when w's bit bound is set, bit bound + 1 is clear and bits 64..bound−1 are
    /// clear. bound + 6 constraints. Where an overflow must be refused as a provable no-op rather than left unsatisfiable.
    /// </summary>
    public static Variable FitsSigned64(ICircuitApi api, Variable v, int bound)
    {
        if (bound is < 64 or > 248) throw new ArgumentOutOfRangeException(nameof(bound));
        var bits = api.ToBits(api.Add(api.Add(v, Half), Fr.FromBigInteger(BigInteger.One << bound)), bound + 2);
        Variable high = default;
        for (int i = 64; i < bound; i++) high = api.Add(high, bits[i]);
        var inWindow = api.Mul(bits[bound], api.Sub(Fr.One, bits[bound + 1]));
        return bound == 64 ? inWindow : api.Mul(inWindow, api.IsZero(high));
    }

    /// <summary>v &lt; 2^bits when cond, anything when not (cond boolean): bits + 2 constraints.</summary>
    public static void InRangeIf(ICircuitApi api, Variable cond, Variable v, int bits) => api.AssertInRange(api.Mul(cond, v), bits);

    /// <summary>v·(1 − 2·neg) = |v| for neg the sign bit of v: 1 constraint.</summary>
    public static Variable Abs(ICircuitApi api, Variable v, Variable neg) => api.Mul(v, api.Sub(Fr.One, api.Add(neg, neg)));

    /// <summary>a XOR b for booleans: 1 constraint.</summary>
    public static Variable Xor(ICircuitApi api, Variable a, Variable b) =>
        api.Sub(api.Add(a, b), api.Mul(api.Add(a, a), b));

    /// <summary>cond ⇒ a = b, for cond boolean: 1 constraint.</summary>
    public static void AssertEqualIf(ICircuitApi api, Variable cond, Variable a, Variable b)
    {
        if (cond.IsConstant && cond.ConstantValue.IsOne) api.AssertEqual(a, b);
        else api.AssertProduct(cond, api.Sub(a, b), Fr.Zero);
    }

    /// <summary>
    /// One boolean per value 0..count−1, exactly one of them set, at index v: count + 2 constraints. Sums of constants
    /// weighted by the result are then free lookups (v must be below count).
    /// </summary>
    public static Variable[] OneHot(ICircuitApi api, Variable v, int count)
    {
        var sel = api.Hint($"one hot({count})", static (x, y) =>
        {
            var c = x[0].ToBigInteger();
            for (int i = 0; i < y.Length; i++) y[i] = c == i ? Fr.One : Fr.Zero;
        }, count, [v]);
        Variable sum = default, index = default;
        for (int i = 0; i < count; i++)
        {
            api.AssertBoolean(sel[i]);
            sum = api.Add(sum, sel[i]);
            index = api.Add(index, api.Mul(sel[i], Fr.FromUInt64((ulong)i)));
        }
        api.AssertEqual(sum, Fr.One);
        api.AssertEqual(index, v);
        return sel;
    }

    /// <summary>Σ sel[i]·table[i]: free.</summary>
    public static Variable Lookup(ICircuitApi api, Variable[] sel, Func<int, BigInteger> table)
    {
        Variable r = default;
        for (int i = 0; i < sel.Length; i++) r = api.Add(r, api.Mul(sel[i], Fr.FromBigInteger(table(i))));
        return r;
    }

    /// <summary>Σ sel[i]·values[i]: one constraint per entry.</summary>
    public static Variable Pick(ICircuitApi api, Variable[] sel, IReadOnlyList<Variable> values)
    {
        Variable r = default;
        for (int i = 0; i < sel.Length; i++) r = api.Add(r, api.Mul(sel[i], values[i]));
        return r;
    }

    /// <summary>
    /// floor(x / 10^6) for 0 ≤ x &lt; 2^150 whose quotient is below 2^64: x = q·10^6 + r with r in [0, 10^6) and
    /// q &lt; 2^64, 20 + 21 + 65 constraints (both range checks rule out a wrapped quotient).
    /// </summary>
    public static Variable FloorPpm(ICircuitApi api, Variable x)
    {
        var qr = api.Hint("floor ppm", static (i, o) =>
        {
            var q = BigInteger.DivRem(i[0].ToBigInteger(), 1_000_000, out var r);
            o[0] = Fr.FromBigInteger(q);
            o[1] = Fr.FromBigInteger(r);
        }, 2, [x]);
        api.AssertEqual(x, api.Add(api.Mul(qr[0], Fr.FromUInt64(1_000_000)), qr[1]));
        api.AssertInRange(qr[1], 20);
        api.AssertLessOrEqual(qr[1], Fr.FromUInt64(999_999), 20);
        api.AssertInRange(qr[0], 64);
        return qr[0];
    }

    /// <summary>The signed integer a field element encodes (upper half negative).</summary>
    public static BigInteger Decode(Fr v)
    {
        var n = v.ToBigInteger();
        return n > Fr.Modulus / 2 ? n - Fr.Modulus : n;
    }
}
