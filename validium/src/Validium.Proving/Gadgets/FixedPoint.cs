using System.Numerics;
using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Proving.Gadgets;

/// <summary>
/// Signed fixed-point numbers for prices and sizes. A value x is carried as the integer n = x·10^Decimals,
/// encoded in the field as n when n ≥ 0 and p − |n| when negative, and every value this gadget accepts or
/// returns is range-checked to n ∈ [−2^(Bits−1), 2^(Bits−1)). The constructor refuses a (Decimals, Bits)
/// pair for which a product or a rescaled quotient could reach p/2, so no operation here can wrap the field.
/// Multiplication rounds toward −∞ (floor), the same way for both signs.
/// Costs: AssertInRange Bits + 1; Add/Sub Bits + 1; Mul 2 + 2·(rbits + 1) + Bits + 1 with rbits the bit
/// length of 10^Decimals − 1; AssertLessOrEqual Bits + 1 (operands already in range).
/// </summary>
public sealed class FixedPoint
{
    private readonly ICircuitApi api;
    private readonly Fr offset;
    private readonly int remainderBits;

    public FixedPoint(ICircuitApi api, int decimals, int bits)
    {
        if (decimals is < 0 or > 38) throw new ArgumentOutOfRangeException(nameof(decimals));
        if (bits < 2) throw new ArgumentOutOfRangeException(nameof(bits));
        var scale = BigInteger.Pow(10, decimals);
        var half = BigInteger.One << (bits - 1);
        // |a·b| ≤ 2^(2·Bits−2) and |q·10^k + r| < (2^(Bits−1) + 1)·10^k must both stay below p/2.
        if ((BigInteger.One << (2 * bits - 2)) >= Fr.Modulus / 2 || (half + 1) * scale >= Fr.Modulus / 2)
            throw new ArgumentOutOfRangeException(nameof(bits), $"{bits} bits with {decimals} decimals could wrap the field");
        this.api = api;
        Decimals = decimals;
        Bits = bits;
        Scale = scale;
        offset = Fr.FromBigInteger(half);
        remainderBits = (int)Math.Max(1, (scale - 1).GetBitLength());
    }

    public int Decimals { get; }
    public int Bits { get; }

    /// <summary>10^Decimals.</summary>
    public BigInteger Scale { get; }

    /// <summary>The field encoding of the scaled integer n (n = x·10^Decimals).</summary>
    public static Fr Encode(BigInteger n) => Fr.FromBigInteger(n);

    /// <summary>The scaled integer a field element encodes, reading the upper half of the field as negative.</summary>
    public static BigInteger Decode(Fr v)
    {
        var n = v.ToBigInteger();
        return n > Fr.Modulus / 2 ? n - Fr.Modulus : n;
    }

    public Variable AssertInRange(Variable v)
    {
        using var scope = api.Scope("fixed/range");
        api.AssertInRange(api.Add(v, offset), Bits);
        return v;
    }

    public Variable Add(Variable a, Variable b) => AssertInRange(api.Add(a, b));

    public Variable Sub(Variable a, Variable b) => AssertInRange(api.Sub(a, b));

    /// <summary>floor(a·b / 10^Decimals), from a hinted quotient and remainder: a·b = q·10^k + r, 0 ≤ r &lt; 10^k.</summary>
    public Variable Mul(Variable a, Variable b)
    {
        Variable q, r;
        using (api.Scope("fixed/mul"))
        {
            var scale = Scale;
            var qr = api.Hint("fixed rescale", (x, y) =>
            {
                var quotient = BigInteger.DivRem(Decode(x[0]) * Decode(x[1]), scale, out var rem);
                // DivRem truncates toward zero; floor moves negative quotients down one when inexact.
                if (rem.Sign < 0) { quotient -= 1; rem += scale; }
                y[0] = Encode(quotient);
                y[1] = Encode(rem);
            }, 2, [a, b]);
            (q, r) = (qr[0], qr[1]);
            api.AssertEqual(api.Mul(a, b), api.Add(api.Mul(q, Fr.FromBigInteger(Scale)), r));
            api.AssertInRange(r, remainderBits);
            api.AssertLessOrEqual(r, Fr.FromBigInteger(Scale - 1), remainderBits);
        }
        return AssertInRange(q);
    }

    /// <summary>a ≤ b as signed values; both must already be in range.</summary>
    public void AssertLessOrEqual(Variable a, Variable b)
    {
        using var scope = api.Scope("fixed/compare");
        api.AssertLessOrEqual(api.Add(a, offset), api.Add(b, offset), Bits);
    }
}
