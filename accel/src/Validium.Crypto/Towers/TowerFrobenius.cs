using System.Numerics;

namespace Validium.Crypto;

/// <summary>
/// Frobenius coefficients of the tower, derived from ξ at startup rather than pasted in.
/// Fp12 has the basis 1, w, …, w⁵ over Fp2 with w⁶ = ξ, and (c·wⁱ)^(p^k) = c^(p^k)·wⁱ·ξ^(i·(p^k - 1)/6),
/// so every power-of-p Frobenius is a conjugation (for odd k) followed by one multiplication per coefficient.
/// </summary>
internal static class TowerFrobenius
{
    /// <summary>Gamma[k][i] = ξ^(i·(p^k - 1)/6) for k in 0..11 and i in 0..5.</summary>
    internal static readonly Fp2[][] Gamma = Build();

    private static Fp2[][] Build()
    {
        var p = Fp.Modulus;
        // ξ lies in Fp2*, whose order is p² - 1: reducing the exponent keeps it small without changing the power.
        var order = p * p - 1;
        var table = new Fp2[12][];
        for (int k = 0; k < 12; k++)
        {
            var e = (BigInteger.Pow(p, k) - 1) / 6;
            table[k] = new Fp2[6];
            for (int i = 0; i < 6; i++) table[k][i] = Fp2.NonResidue.Pow(e * i % order);
        }
        return table;
    }
}
