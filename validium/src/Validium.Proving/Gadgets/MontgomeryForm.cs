using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Proving.Gadgets;

/// <summary>An affine point of BabyJubjub's Montgomery form.</summary>
internal readonly record struct MontgomeryPoint(Variable U, Variable V);

/// <summary>
/// BabyJubjub in Montgomery form, v² = u³ + A·u² + u with A = 2(a + d)/(a − d) = 168698 and B = 4/(a − d) = 1,
/// reached from the Edwards form by u = (1 + y)/(1 − y), v = u/x (circomlib's montgomery.circom). An addition costs
/// 3 constraints and a doubling-and-addition 5, against 6 and 11 in Edwards form, but the formulas are incomplete:
/// they divide by u₂ − u₁, which vanishes when the points are equal or opposite, and the identity has no affine
/// form. DivUnchecked by zero leaves the slope free (equal points: the prover picks the result) or the system
/// unsatisfiable (opposite points), so each caller must show that its operands can never meet those cases,
/// whatever values the circuit's inputs take.
/// </summary>
internal static class MontgomeryForm
{
    public static readonly Fr A = (Fr)2 * (BabyJubjub.A + BabyJubjub.D) / (BabyJubjub.A - BabyJubjub.D);

    /// <summary>
    /// A point of order 8 (l times the generator of the whole group). The group is cyclic of order 8l, so every
    /// point is one of the prime-order subgroup plus a multiple of this one, its torsion part.
    /// </summary>
    public static readonly BabyJubjubPoint Torsion = BabyJubjub.Multiply(BabyJubjub.Generator, BabyJubjub.SubgroupOrder);

    public static BabyJubjubPoint TorsionTimes(int k) => BabyJubjub.Multiply(Torsion, k);

    public static MontgomeryPoint Constant(BabyJubjubPoint p)
    {
        if (!p.IsOnCurve || p.IsIdentity) throw new ArgumentException("only curve points other than the identity have an affine Montgomery form", nameof(p));
        // (0, −1), of order 2, maps to (0, 0), where u/x would read 0/0.
        if (p.X.IsZero) return new(Fr.Zero, Fr.Zero);
        var u = (Fr.One + p.Y) / (Fr.One - p.Y);
        return new(u, u / p.X);
    }

    /// <summary>2 constraints, for p on the curve with x ≠ 0 (so y ≠ 1), given 1/x.</summary>
    public static MontgomeryPoint FromEdwards(ICircuitApi api, PointVariable p, Variable inverseX)
    {
        var u = api.DivUnchecked(api.Add(Fr.One, p.Y), api.Sub(Fr.One, p.Y));
        return new(u, api.Mul(u, inverseX));
    }

    /// <summary>
    /// 2 constraints, for points of order above 2: those have v ≠ 0, and no point has u = −1 (its v² would be
    /// A − 2 = d, which is not a square), so both quotients are fixed.
    /// </summary>
    public static PointVariable ToEdwards(ICircuitApi api, MontgomeryPoint m) =>
        new(api.DivUnchecked(m.U, m.V), api.DivUnchecked(api.Sub(m.U, Fr.One), api.Add(m.U, Fr.One)));

    public static MontgomeryPoint Negate(ICircuitApi api, MontgomeryPoint m) => new(m.U, api.Sub(Fr.Zero, m.V));

    /// <summary>t + q in 3 constraints, for t ≠ ±q, neither the identity.</summary>
    public static MontgomeryPoint Add(ICircuitApi api, MontgomeryPoint t, MontgomeryPoint q)
    {
        var lambda = api.DivUnchecked(api.Sub(q.V, t.V), api.Sub(q.U, t.U));
        var u = api.MulAdd(lambda, lambda, api.Sub(api.Sub(Fr.Zero, A), api.Add(t.U, q.U)));
        return new(u, api.MulAdd(lambda, api.Sub(t.U, u), api.Sub(Fr.Zero, t.V)));
    }

    /// <summary>
    /// 2t + q as (t + q) + t in 5 constraints, without the middle point's v (Eisenträger–Lauter–Montgomery): for
    /// t ≠ ±q and 2t + q ≠ O, none of t, q the identity. The second slope is 2·v_t/(u_t − u_(t+q)) − λ₁.
    /// </summary>
    public static MontgomeryPoint DoubleAdd(ICircuitApi api, MontgomeryPoint t, MontgomeryPoint q)
    {
        var minusA = Fr.Zero - A;
        var l1 = api.DivUnchecked(api.Sub(q.V, t.V), api.Sub(q.U, t.U));
        var uSum = api.MulAdd(l1, l1, api.Sub(minusA, api.Add(t.U, q.U)));
        var l2 = api.Sub(api.DivUnchecked(api.Add(t.V, t.V), api.Sub(t.U, uSum)), l1);
        var u = api.MulAdd(l2, l2, api.Sub(minusA, api.Add(t.U, uSum)));
        return new(u, api.MulAdd(l2, api.Sub(t.U, u), api.Sub(Fr.Zero, t.V)));
    }

    /// <summary>entries[b0 + 2·b1] for boolean b0, b1 and their product b01: free, a multilinear combination.</summary>
    public static Variable Lookup(ICircuitApi api, Variable b0, Variable b1, Variable b01, ReadOnlySpan<Fr> entries) =>
        api.Add(api.Add(entries[0], api.Mul(b0, entries[1] - entries[0])),
            api.Add(api.Mul(b1, entries[2] - entries[0]), api.Mul(b01, entries[3] - entries[2] - entries[1] + entries[0])));
}
