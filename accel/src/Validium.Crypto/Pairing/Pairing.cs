using System.Numerics;

namespace Validium.Crypto;

/// <summary>
/// Optimal-ate pairing on BN254: e(P, Q) = f_{6x+2,Q}(P) · l_{[6x+2]Q,ψ(Q)}(P) · l_{…,-ψ²(Q)}(P), raised to
/// (p¹² - 1)/r · m with m = 2x(6x² + 3x + 1) (the Fuentes-Castañeda–Knapp–Rodríguez-Henríquez hard part).
/// m is below r and so coprime to it: the result is still a non-degenerate bilinear pairing, and it is the exact
/// value ffjavascript (snarkjs) and libff compute, so GT elements compare with theirs coordinate for coordinate.
/// </summary>
public static class Pairing
{
    private const ulong X = G2Affine.CurveParameterX;

    /// <summary>NAF digits of 6x + 2, least significant first: fewer additions than the binary expansion.</summary>
    private static readonly sbyte[] AteLoopNaf = Naf(6 * new BigInteger(X) + 2);

    private static readonly Fp2 ThreeB = G2Jacobian.B * Fp.FromUInt64(3);
    private static readonly Fp HalfOfOne = Fp.FromUInt64(2).Inverse();

    /// <summary>e(P, Q) for validated points; infinity on either side gives 1.</summary>
    public static Fp12 Pair(G1Affine p, G2Affine q)
    {
        ReadOnlySpan<(G1Affine, G2Affine)> one = [(p, q)];
        return FinalExponentiation(MillerLoop(one));
    }

    /// <summary>
    /// e(a1, b1)·…·e(an, bn) == 1 with one shared Miller loop and one final exponentiation (the EIP-197 precompile's
    /// question; an empty list is true). Every point is checked: on its curve, and G2 points in the order-r subgroup,
    /// because a pairing of an unchecked twist point proves nothing.
    /// </summary>
    public static bool PairingCheck(ReadOnlySpan<(G1Affine P, G2Affine Q)> pairs)
    {
        foreach (var (p, q) in pairs)
        {
            if (!p.IsOnCurve()) throw new ArgumentException($"{p} is not on BN254 G1", nameof(pairs));
            if (!q.IsInSubgroup()) throw new ArgumentException($"{q} is not in BN254 G2", nameof(pairs));
        }
        return FinalExponentiation(MillerLoop(pairs)).IsOne;
    }

    /// <summary>The product of the Miller loops of all pairs, skipping pairs with a point at infinity.</summary>
    public static Fp12 MillerLoop(ReadOnlySpan<(G1Affine P, G2Affine Q)> pairs)
    {
        int n = 0;
        foreach (var (p, q) in pairs) if (!p.IsInfinity && !q.IsInfinity) n++;
        var px = new Fp[n];
        var py = new Fp[n];
        var qs = new G2Affine[n];
        var t = new Projective[n];
        int k = 0;
        foreach (var (p, q) in pairs)
        {
            if (p.IsInfinity || q.IsInfinity) continue;
            px[k] = p.X; py[k] = p.Y; qs[k] = q;
            t[k] = new Projective(q.X, q.Y, Fp2.One);
            k++;
        }

        var f = Fp12.One;
        for (int i = AteLoopNaf.Length - 2; i >= 0; i--)
        {
            f = f.Square();
            for (int j = 0; j < n; j++)
            {
                var (l0, l1, l3) = t[j].DoubleStep();
                f = f.MulBy034(l0 * py[j], l1 * px[j], l3);
            }
            int digit = AteLoopNaf[i];
            if (digit == 0) continue;
            for (int j = 0; j < n; j++)
            {
                var (l0, l1, l3) = t[j].AddStep(digit > 0 ? qs[j] : qs[j].Negate());
                f = f.MulBy034(l0 * py[j], l1 * px[j], l3);
            }
        }

        // The two extra lines of the optimal ate pairing: through [6x+2]Q and ψ(Q), then through that sum and -ψ²(Q).
        for (int j = 0; j < n; j++)
        {
            var q1 = qs[j].Psi();
            var q2 = q1.Psi().Negate();
            var (l0, l1, l3) = t[j].AddStep(q1);
            f = f.MulBy034(l0 * py[j], l1 * px[j], l3);
            (l0, l1, l3) = t[j].AddStep(q2);
            f = f.MulBy034(l0 * py[j], l1 * px[j], l3);
        }
        return f;
    }

    /// <summary>f^((p¹² - 1)/r · m); see the class summary for m.</summary>
    public static Fp12 FinalExponentiation(Fp12 f)
    {
        // Easy part f^((p⁶ - 1)(p² + 1)): afterwards f is in the cyclotomic subgroup, where conjugation inverts.
        var t = f.Conjugate() * f.Inverse();
        t = t.Frobenius(2) * t;
        return HardPart(t);
    }

    /// <summary>
    /// t^(λ0 + λ1·p + λ2·p² + λ3·p³) = t^(m·(p⁴ - p² + 1)/r) with λ0 = 12x³ + 12x² + 6x + 1, λ1 = 12x³ + 6x² + 4x,
    /// λ2 = 12x³ + 6x² + 6x, λ3 = 12x³ + 6x² + 4x - 1 (Fuentes-Castañeda et al., the sequence libff uses):
    /// three exponentiations by x instead of one by a 760-bit exponent.
    /// </summary>
    private static Fp12 HardPart(Fp12 t)
    {
        var a = t.CyclotomicPow(X).Conjugate();         // t^-x
        var b = a.CyclotomicSquare();                    // t^-2x
        var c = b.CyclotomicSquare();                    // t^-4x
        var d = c * b;                                   // t^-6x
        var e = d.CyclotomicPow(X).Conjugate();          // t^6x²
        var g = e.CyclotomicSquare().CyclotomicPow(X).Conjugate(); // t^-12x³
        var k = g.Conjugate() * e * d.Conjugate();       // t^(12x³ + 6x² + 6x)
        var l = k * b;                                   // t^(12x³ + 6x² + 4x)
        var n = k * e * t;                               // t^(12x³ + 12x² + 6x + 1)
        var s = t.Conjugate() * l;                       // t^(12x³ + 6x² + 4x - 1)
        return n * l.Frobenius(1) * k.Frobenius(2) * s.Frobenius(3);
    }

    private static sbyte[] Naf(BigInteger n)
    {
        var digits = new List<sbyte>();
        while (!n.IsZero)
        {
            sbyte d = 0;
            if (!n.IsEven)
            {
                d = (sbyte)(2 - (int)(n % 4));
                n -= d;
            }
            digits.Add(d);
            n >>= 1;
        }
        return [.. digits];
    }

    /// <summary>
    /// The running point T of the Miller loop in homogeneous projective coordinates (x = X/Z, y = Y/Z), which keep the
    /// line coefficients free of inversions. The steps return the line as (c0, c3, c4) of <see cref="Fp12.MulBy034"/>
    /// before c0 is scaled by y_P and c3 by x_P; Fp2 factors common to all three are dropped, as the final
    /// exponentiation kills them.
    /// </summary>
    private struct Projective(Fp2 x, Fp2 y, Fp2 z)
    {
        private Fp2 x = x, y = y, z = z;

        /// <summary>T = 2T and the tangent at T (Costello–Lange–Naehrig, as arkworks writes it for a D-type twist).</summary>
        public (Fp2, Fp2, Fp2) DoubleStep()
        {
            var a = x * y * HalfOfOne;
            var b = y.Square();
            var c = z.Square();
            var e = ThreeB * c;
            var f = e.Double() + e;
            var g = (b + f) * HalfOfOne;
            var h = (y + z).Square() - (b + c);
            var i = e - b;
            var j = x.Square();
            var e2 = e.Square();
            x = a * (b - f);
            y = g.Square() - (e2.Double() + e2);
            z = b * h;
            return (-h, j.Double() + j, i);
        }

        /// <summary>T = T + Q and the line through T and Q.</summary>
        public (Fp2, Fp2, Fp2) AddStep(G2Affine q)
        {
            var theta = y - q.Y * z;
            var lambda = x - q.X * z;
            var c = theta.Square();
            var d = lambda.Square();
            var e = lambda * d;
            var f = z * c;
            var g = x * d;
            var h = e + f - g.Double();
            x = lambda * h;
            y = theta * (g - h) - e * y;
            z *= e;
            return (lambda, -theta, theta * q.X - lambda * q.Y);
        }
    }
}
