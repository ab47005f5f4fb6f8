using System.Numerics;
using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Circuits.Gadgets;

/// <summary>
/// One account's side of a fill, exactly as the engine books it (Engine.ApplyFill): the position moves by d = ±lots,
/// the cash paid d·pricePerLot joins the open cost, and the part of the cost the position no longer carries is
/// realised into collateral. What the position keeps:
///   growing (from 0 or the same direction): the whole new cost;
///   closed to 0: nothing;
///   shrinking without crossing: trunc(cost·to / from), the engine's Int128 division;
///   crossing zero: to·pricePerLot, the new side opened at the trade price.
/// About 350 constraints.
/// </summary>
internal static class FillGadget
{
    /// <param name="FromNeg">The sign bit of the size before the fill, <paramref name="ToNeg"/> after: what open interest is counted from.</param>
    public readonly record struct Result(Variable To, Variable Keep, Variable Realised, Variable FromNeg, Variable ToNeg);

    /// <param name="sell">1 when this account sells.</param>
    /// <param name="pricePerLot">Collateral micro-units per lot at the trade price.</param>
    public static Result Apply(ICircuitApi api, Variable from, Variable cost, Variable sell, Variable lots, Variable pricePerLot, Variable cash)
    {
        using var scope = api.Scope("fill");
        var sign = api.Sub(Fr.One, api.Add(sell, sell));
        var d = api.Mul(sign, lots);
        var costNew = api.Add(cost, api.Mul(sign, cash));
        var to = api.Add(from, d);

        var fromNeg = Arith.SignBit(api, from);
        var fromZero = api.IsZero(from);
        var toNeg = Arith.SignBit(api, to);
        var toZero = api.IsZero(to);

        // Against the position's direction: the position is not flat and the fill's side differs from its sign's.
        var against = api.Mul(api.Sub(Fr.One, fromZero), Arith.Xor(api, fromNeg, sell));
        var grow = api.Sub(Fr.One, against);
        var live = api.Mul(against, api.Sub(Fr.One, toZero));
        var shrink = api.Mul(live, api.Sub(Fr.One, Arith.Xor(api, fromNeg, toNeg)));
        var cross = api.Sub(live, shrink);

        var q = TruncatedShare(api, shrink, cost, Arith.Abs(api, from, fromNeg), Arith.Abs(api, to, toNeg));
        var keep = api.Add(api.Add(api.Mul(grow, costNew), api.Mul(shrink, q)), api.Mul(cross, api.Mul(to, pricePerLot)));
        return new Result(to, keep, api.Sub(costNew, keep), fromNeg, toNeg);
    }

    /// <summary>
    /// When on: trunc(cost·|to| / |from|), from N = q·|from| + r with |r| &lt; |from| and r of cost's sign (truncation toward
    /// zero, as Int128 division). When off the numerator is 0 and the divisor 1, which forces q = r = 0.
    /// </summary>
    private static Variable TruncatedShare(ICircuitApi api, Variable on, Variable cost, Variable absFrom, Variable absTo)
    {
        using var scope = api.Scope("shrink share");
        var costNeg = Arith.SignBit(api, cost);
        var n = api.Mul(on, api.Mul(cost, absTo));
        var divisor = api.Select(on, absFrom, Fr.One);
        var qr = api.Hint("truncated division", static (x, y) =>
        {
            var num = Arith.Decode(x[0]);
            var den = Arith.Decode(x[1]);
            var q = den.IsZero ? BigInteger.Zero : BigInteger.Divide(num, den);
            y[0] = Fr.FromBigInteger(q);
            y[1] = Fr.FromBigInteger(num - q * den);
        }, 2, [n, divisor]);
        var (quotient, remainder) = (qr[0], qr[1]);
        api.AssertProduct(quotient, divisor, api.Sub(n, remainder));
        var absR = Arith.Abs(api, remainder, costNeg);
        api.AssertInRange(absR, 64);
        api.AssertLessOrEqual(api.Add(absR, Fr.One), divisor, 64);
        return quotient;
    }
}
