using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Proving.Gadgets;

/// <summary>A BabyJubjub point as two circuit variables.</summary>
public readonly record struct PointVariable(Variable X, Variable Y)
{
    public static implicit operator PointVariable(BabyJubjubPoint p) => new(p.X, p.Y);
}

/// <summary>
/// BabyJubjub (a·x² + y² = 1 + d·x²·y²) in-circuit, with circomlib's BabyAdd formulas. The addition law is
/// complete on this curve (a square, d not), so the quotients' denominators never vanish for points on it
/// and DivUnchecked's single constraint is enough.
/// </summary>
public static class BabyJubjubGadget
{
    /// <summary>4 constraints.</summary>
    public static void AssertOnCurve(ICircuitApi api, PointVariable p)
    {
        var x2 = api.Mul(p.X, p.X);
        var y2 = api.Mul(p.Y, p.Y);
        api.AssertEqual(api.Add(api.Mul(x2, BabyJubjub.A), y2), api.Add(Fr.One, api.Mul(api.Mul(x2, y2), BabyJubjub.D)));
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

    public static PointVariable Select(ICircuitApi api, Variable bit, PointVariable a, PointVariable b) =>
        new(api.Select(bit, a.X, b.X), api.Select(bit, a.Y, b.Y));

    /// <summary>Σ bits[i]·2^i·p by double-and-add, bits least significant first: about 14 constraints a bit.</summary>
    public static PointVariable Multiply(ICircuitApi api, IReadOnlyList<Variable> bits, PointVariable p)
    {
        PointVariable acc = BabyJubjubPoint.Identity;
        for (int i = 0; i < bits.Count; i++)
        {
            acc = Select(api, bits[i], Add(api, acc, p), acc);
            if (i + 1 < bits.Count) p = Add(api, p, p);
        }
        return acc;
    }

    /// <summary>Σ bits[i]·2^i·p for a fixed point, its doublings precomputed: 5 constraints a bit.</summary>
    public static PointVariable MultiplyFixed(ICircuitApi api, IReadOnlyList<Variable> bits, BabyJubjubPoint p)
    {
        PointVariable acc = BabyJubjubPoint.Identity;
        for (int i = 0; i < bits.Count; i++)
        {
            acc = Select(api, bits[i], Add(api, acc, p), acc);
            p = BabyJubjub.Add(p, p);
        }
        return acc;
    }
}

/// <summary>
/// circomlib's EdDSAPoseidonVerifier, always enabled: 0 ≤ S &lt; l through S's bits, A and R8 on the curve,
/// 8·A not the identity's x = 0 (circomlib's small-order key check), H = Poseidon(R8x, R8y, Ax, Ay, M) in its
/// 254 strict bits, and S·B8 = R8 + H·(8·A), the same rule as <see cref="EdDsaPoseidon.Verify"/> (which
/// does not reject small-order keys).
/// </summary>
public static class EdDsaPoseidonGadget
{
    private static readonly Fr MaxS = Fr.FromBigInteger(BabyJubjub.SubgroupOrder - 1);

    public static void Verify(ICircuitApi api, PointVariable publicKey, PointVariable r8, Variable s, Variable message)
    {
        Variable[] sBits;
        using (api.Scope("eddsa/s below l"))
        {
            sBits = api.ToBits(s, 251);
            api.AssertBitsLessOrEqual(sBits, MaxS);
        }
        using (api.Scope("eddsa/on curve"))
        {
            BabyJubjubGadget.AssertOnCurve(api, publicKey);
            BabyJubjubGadget.AssertOnCurve(api, r8);
        }
        var h = PoseidonGadget.Hash(api, r8.X, r8.Y, publicKey.X, publicKey.Y, message);
        PointVariable right;
        using (api.Scope("eddsa/right"))
        {
            var hBits = api.ToBits(h, 254);
            var a8 = publicKey;
            for (int i = 0; i < 3; i++) a8 = BabyJubjubGadget.Add(api, a8, a8);
            api.AssertNonZero(a8.X);
            right = BabyJubjubGadget.Add(api, r8, BabyJubjubGadget.Multiply(api, hBits, a8));
        }
        using (api.Scope("eddsa/left"))
        {
            var left = BabyJubjubGadget.MultiplyFixed(api, sBits, BabyJubjub.Base8);
            api.AssertEqual(left.X, right.X);
            api.AssertEqual(left.Y, right.Y);
        }
    }
}
