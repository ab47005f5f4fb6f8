using System.Numerics;
using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Proving.Gadgets;

/// <summary>A BabyJubjub point as two circuit variables.</summary>
public readonly record struct PointVariable(Variable X, Variable Y)
{
    public static implicit operator PointVariable(BabyJubjubPoint p) => new(p.X, p.Y);
}

/// <summary>
/// BabyJubjub (a·x² + y² = 1 + d·x²·y²) in-circuit. Edwards-form operations use circomlib's BabyAdd formulas, complete
/// on this curve (a square, d not), so their denominators never vanish for points on it and DivUnchecked's single
/// constraint is enough. The scalar multiplications run in Montgomery form (<see cref="MontgomeryForm"/>), whose
/// incomplete formulas each method shows to be safe for every input it accepts.
/// </summary>
public static class BabyJubjubGadget
{
    // Montgomery windows of the fixed-base multiplication: their offset 2·4^W plus the window sum stays below l
    // while 4^W ≤ 2^248 (see MultiplyFixed).
    private const int MaxFixedWindows = 124;
    public const int MaxFixedBits = 2 * MaxFixedWindows + 3;

    private static readonly MontgomeryPoint[] TorsionM = [default, .. Enumerable.Range(1, 7).Select(k => MontgomeryForm.Constant(MontgomeryForm.TorsionTimes(k)))];

    // 2T = (x₄, 0) has order 4; adding it maps (x, y) to (x₄·y, −a·x₄·x), a linear map.
    private static readonly Fr X4 = MontgomeryForm.TorsionTimes(2).X;

    /// <summary>3 constraints: x², y², and d·x²·y² = a·x² + y² − 1 as one product (circomlib's BabyCheck).</summary>
    public static void AssertOnCurve(ICircuitApi api, PointVariable p)
    {
        var x2 = api.Mul(p.X, p.X);
        var y2 = api.Mul(p.Y, p.Y);
        api.AssertProduct(api.Mul(x2, BabyJubjub.D), y2, api.Sub(api.Add(api.Mul(x2, BabyJubjub.A), y2), Fr.One));
    }

    /// <summary>6 constraints; 3 when q is a constant point, none when p is the constant identity.</summary>
    public static PointVariable Add(ICircuitApi api, PointVariable p, PointVariable q)
    {
        var beta = api.Mul(p.X, q.Y);
        var gamma = api.Mul(p.Y, q.X);
        var delta = api.Mul(api.Add(api.Mul(p.X, -BabyJubjub.A), p.Y), api.Add(q.X, q.Y));
        var dTau = api.Mul(api.Mul(beta, gamma), BabyJubjub.D);
        var x = api.DivUnchecked(api.Add(beta, gamma), api.Add(Fr.One, dTau));
        var y = api.DivUnchecked(api.Sub(api.Add(delta, api.Mul(beta, BabyJubjub.A)), gamma), api.Sub(Fr.One, dTau));
        return new(x, y);
    }

    /// <summary>
    /// 2p in 5 constraints (x², y², x·y and two quotients) for p on the curve, where the denominators
    /// a·x² + y² = 1 + d·x²y² and 2 − a·x² − y² = 1 − d·x²y² are those of the complete addition law.
    /// </summary>
    public static PointVariable Double(ICircuitApi api, PointVariable p)
    {
        var xx = api.Mul(p.X, p.X);
        var yy = api.Mul(p.Y, p.Y);
        var xy = api.Mul(p.X, p.Y);
        var axx = api.Mul(xx, BabyJubjub.A);
        var x = api.DivUnchecked(api.Add(xy, xy), api.Add(axx, yy));
        var y = api.DivUnchecked(api.Sub(yy, axx), api.Sub((Fr)2, api.Add(axx, yy)));
        return new(x, y);
    }

    public static PointVariable Select(ICircuitApi api, Variable bit, PointVariable a, PointVariable b) =>
        new(api.Select(bit, a.X, b.X), api.Select(bit, a.Y, b.Y));

    /// <summary>
    /// Σ bits[i]·2^i·p for p on the curve, in the prime-order subgroup and not the identity (as 8·A is once its x is
    /// non-zero); the first constraint inverts p.x, so p with x = 0 makes the system unsatisfiable. At least 2 bits,
    /// asserted boolean (free for bits from ToBits). 6 constraints a bit plus 23 (1,541 for 254 bits), for every scalar.
    /// </summary>
    /// <remarks>
    /// The scalar H is run from the top bit with digits ±1: K = H − h₀ + 1 = 2^(n−1) + Σ_{i&lt;n−1} (2·h_(i+1) − 1)·2^i,
    /// acc ← 2·acc ± p by <see cref="MontgomeryForm.DoubleAdd"/>, then h₀ corrects the last unit. DoubleAdd needs
    /// acc ≠ ±q, q ≠ O and 2·acc + q ≠ O, which plain multiples of p break (after leading zero bits acc = p meets
    /// q = ±p, and for some H the running multiple wraps past l onto ±1 or 0). Here every operand also carries a
    /// torsion part (a multiple of T, of order 8), chosen so that those conditions hold by the torsion parts alone,
    /// whatever the subgroup parts are: points whose torsion parts τ₁ ∉ {±τ₂} differ in u (equal u means equal or
    /// opposite points, and taking the torsion part is a homomorphism), and a non-zero torsion part is not the identity.
    /// The precomputed p + kT, −p + T and the start are sums of torsion part 0 and k ≠ 0, safe for the same reason.
    /// acc starts at p + 2T or p + 3T and alternates between torsion parts {2T, 6T} and {3T, 5T}:
    /// from {2T, 6T} it adds ±(p + T) (torsion ±1 ∉ {±2, ±6}; 2τ ± 1 ∈ {3, 5} ≠ 0),
    /// from {3T, 5T} it adds ±(p + 4T) (torsion 4 ∉ {±3, ±5}; 2τ + 4 ∈ {2, 6} ≠ 0).
    /// The last digit adds ±p + T from {2T, 6T}, ending at K·p + 5T; adding (h₀ ? O : −p) + T (5 ≠ ±1) gives H·p + 6T,
    /// of order at least 4, so the conversion back to Edwards divides by non-zero values; adding 2T, a linear map in
    /// Edwards form, leaves H·p. Every slope is thus fixed by its constraint for every scalar, multiples of l included.
    /// </remarks>
    public static PointVariable Multiply(ICircuitApi api, IReadOnlyList<Variable> bits, PointVariable p)
    {
        int n = bits.Count;
        if (n < 2) throw new ArgumentException("the scalar needs at least 2 bits", nameof(bits));
        foreach (var b in bits) api.AssertBoolean(b);
        var pm = MontgomeryForm.FromEdwards(api, p, api.Inverse(p.X));
        var plusT = MontgomeryForm.Add(api, pm, TorsionM[1]);
        var plus4T = MontgomeryForm.Add(api, pm, TorsionM[4]);
        var minusPlusT = MontgomeryForm.Add(api, MontgomeryForm.Negate(api, pm), TorsionM[1]);

        int steps = n - 1;
        // Start so that the last step, which must leave {2T, 6T}, has one: the torsion class flips at every step.
        bool even = steps % 2 == 1;
        var acc = MontgomeryForm.Add(api, pm, TorsionM[even ? 2 : 3]);
        for (int j = 1; j <= steps; j++)
        {
            var bit = bits[n - j];
            var q = j == steps ? SelectPoint(api, bit, plusT, minusPlusT) : Signed(api, bit, even ? plusT : plus4T);
            acc = MontgomeryForm.DoubleAdd(api, acc, q);
            even = !even;
        }
        var z = SelectPoint(api, bits[0], TorsionM[1], minusPlusT);
        var e = MontgomeryForm.ToEdwards(api, MontgomeryForm.Add(api, acc, z));
        return new(api.Mul(e.Y, X4), api.Mul(e.X, -BabyJubjub.A * X4));
    }

    /// <summary>
    /// Σ bits[i]·2^i·basePoint for a constant point of the prime-order subgroup other than the identity, and at most
    /// <see cref="MaxFixedBits"/> bits, asserted boolean (free for bits from ToBits): 2 constraints a bit (504 for 251 bits).
    /// </summary>
    /// <remarks>
    /// Two-bit windows read a table of constant Montgomery points (1 constraint, the bits' product) and add it
    /// (3). Window w adds (d_w + 1)·4^w·B, never the identity, and window 0 also the offset 2·4^W, so before window
    /// w the accumulator is k·B with k ∈ [2·4^W + (4^w − 1)/3, 2·4^W + 4·(4^w − 1)/3] against (d_w + 1)·4^w ≤ 4^W:
    /// always larger, with a sum below (10/3)·4^W &lt; l for W ≤ 124, so as integers below l the two multiples are
    /// neither equal, opposite nor zero. The top one to three bits pick, from a constant Edwards table, their own
    /// multiple minus the offsets, added with the complete Edwards law: the result may be the identity (scalar 0).
    /// </remarks>
    public static PointVariable MultiplyFixed(ICircuitApi api, IReadOnlyList<Variable> bits, BabyJubjubPoint basePoint)
    {
        int n = bits.Count;
        if (n is < 1 or > MaxFixedBits) throw new ArgumentOutOfRangeException(nameof(bits), $"between 1 and {MaxFixedBits} bits");
        if (basePoint.IsIdentity || !BabyJubjub.IsInSubgroup(basePoint)) throw new ArgumentException("the base must be in the prime-order subgroup and not the identity", nameof(basePoint));
        foreach (var b in bits) api.AssertBoolean(b);

        int windows = Math.Min(MaxFixedWindows, (n - 1) / 2);
        var top = bits.Skip(2 * windows).ToArray();
        var windowWeight = BigInteger.Pow(4, windows);
        var offset = 2 * windowWeight;
        var topEntries = Enumerable.Range(0, 1 << top.Length)
            .Select(d => BabyJubjub.Multiply(basePoint, windows == 0 ? d : d * windowWeight - offset - (windowWeight - 1) / 3)).ToArray();
        var topPoint = LookupEdwards(api, top, topEntries);
        if (windows == 0) return topPoint;

        var offsetPoint = BabyJubjub.Multiply(basePoint, offset);
        var weighted = basePoint;
        MontgomeryPoint acc = default;
        for (int w = 0; w < windows; w++)
        {
            // (d + 1)·4^w·B for d = 0..3, window 0 with the offset added.
            var entries = new BabyJubjubPoint[4];
            entries[0] = w == 0 ? BabyJubjub.Add(offsetPoint, weighted) : weighted;
            for (int d = 1; d < 4; d++) entries[d] = BabyJubjub.Add(entries[d - 1], weighted);
            var window = LookupMontgomery(api, bits[2 * w], bits[2 * w + 1], entries);
            acc = w == 0 ? window : MontgomeryForm.Add(api, acc, window);
            weighted = BabyJubjub.Add(weighted, weighted);
            weighted = BabyJubjub.Add(weighted, weighted);
        }
        return Add(api, MontgomeryForm.ToEdwards(api, acc), topPoint);
    }

    private static MontgomeryPoint Signed(ICircuitApi api, Variable bit, MontgomeryPoint q) =>
        new(q.U, api.Mul(api.Sub(api.Add(bit, bit), Fr.One), q.V));

    private static MontgomeryPoint SelectPoint(ICircuitApi api, Variable bit, MontgomeryPoint a, MontgomeryPoint b) =>
        new(api.Select(bit, a.U, b.U), api.Select(bit, a.V, b.V));

    private static MontgomeryPoint LookupMontgomery(ICircuitApi api, Variable b0, Variable b1, BabyJubjubPoint[] entries)
    {
        var m = entries.Select(MontgomeryForm.Constant).ToArray();
        var b01 = api.Mul(b0, b1);
        return new(MontgomeryForm.Lookup(api, b0, b1, b01, [.. m.Select(e => e.U.ConstantValue)]),
            MontgomeryForm.Lookup(api, b0, b1, b01, [.. m.Select(e => e.V.ConstantValue)]));
    }

    /// <summary>entries[Σ bits[i]·2^i] for 1 to 3 boolean bits: free, 1 and 3 constraints.</summary>
    private static PointVariable LookupEdwards(ICircuitApi api, Variable[] bits, BabyJubjubPoint[] entries)
    {
        Fr[] xs = [.. entries.Select(e => e.X)], ys = [.. entries.Select(e => e.Y)];
        switch (bits.Length)
        {
            case 1:
                return new(api.Add(xs[0], api.Mul(bits[0], xs[1] - xs[0])), api.Add(ys[0], api.Mul(bits[0], ys[1] - ys[0])));
            case 2:
            {
                var b01 = api.Mul(bits[0], bits[1]);
                return new(MontgomeryForm.Lookup(api, bits[0], bits[1], b01, xs), MontgomeryForm.Lookup(api, bits[0], bits[1], b01, ys));
            }
            case 3:
            {
                var b01 = api.Mul(bits[0], bits[1]);
                Variable Coordinate(Fr[] c) => api.Select(bits[2],
                    MontgomeryForm.Lookup(api, bits[0], bits[1], b01, c.AsSpan(4)), MontgomeryForm.Lookup(api, bits[0], bits[1], b01, c.AsSpan(0, 4)));
                return new(Coordinate(xs), Coordinate(ys));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(bits), "1 to 3 bits");
        }
    }
}
