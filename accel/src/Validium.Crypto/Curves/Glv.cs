using System.Numerics;

namespace Validium.Crypto;

/// <summary>
/// BN254's GLV endomorphism: φ(x, y) = (β·x, y) with β a cube root of unity in Fp maps G1 to itself as
/// multiplication by λ, a cube root of unity in Fr; on the twist (G2) the other cube root β² does the same with
/// the same λ. A scalar k splits as k ≡ k1 + k2·λ (mod r) with |k1|, |k2| &lt; 2^127, so k·P = k1·P + k2·φ(P)
/// needs half the doublings, or in an MSM half the windows over twice the points.
/// </summary>
public static class Glv
{
    /// <summary>The magnitudes of both halves are below 2^HalfBits (bound derived below <see cref="Decompose"/>).</summary>
    public const int HalfBits = 127;

    public static readonly Fr Lambda = Fr.FromCanonical(Limbs4.FromBigInteger(
        BigInteger.Parse("4407920970296243842393367215006156084916469457145843978461")));

    internal static readonly Fp BetaG1 = Fp.FromCanonical(Limbs4.FromBigInteger(
        BigInteger.Parse("2203960485148121921418603742825762020974279258880205651966")));

    internal static readonly Fp BetaG2 = BetaG1.Square();

    // A short basis of the lattice {(a, b) : a + b·λ ≡ 0 (mod r)}: v1 = (A1, -B1), v2 = (A2, B2), all positive
    // here, determinant A1·B2 + A2·B1 = r (extended Euclid on r and λ, Guide to ECC algorithm 3.74).
    private const ulong A1 = 0x89d3256894d213e3;
    private static readonly UInt128 B1 = new(0x6f4d8248eeb859fc, 0x8211bbeb7d4f1128);
    private static readonly UInt128 A2 = new(0x6f4d8248eeb859fd, 0x0be4e1541221250b);
    private const ulong B2 = 0x89d3256894d213e3;

    // G1 = round(2^256·B2/r), G2 = round(2^256·B1/r): c_i = ⌊k·G_i / 2^256⌋ approximate k·B2/r and k·B1/r,
    // the coordinates of (k, 0) in the basis.
    private static readonly (ulong L0, ulong L1, ulong L2) G1 = (0xd91d232ec7e0b3d7, 0x2, 0);
    private static readonly (ulong L0, ulong L1, ulong L2) G2 = (0x7a7bd9d4391eb18e, 0x4ccef014a773d2cf, 0x2);

    /// <summary>
    /// k1 = k - c1·A1 - c2·A2 and k2 = c1·B1 - c2·B2, i.e. (k, 0) - c1·v1 - c2·v2. With x_i the exact coordinates,
    /// c_i = x_i - e_i where e_i lies in (-1/8, 9/8) (G_i's rounding moves k·G_i/2^256 by under k/2^257 &lt; 1/8),
    /// so |k1| &lt; 9/8·(A1 + A2) &lt; 2^126.97 and |k2| &lt; 9/8·(B1 + B2) &lt; 2^126.97. Both fit a signed 128-bit
    /// value, so arithmetic modulo 2^128 gives them exactly.
    /// </summary>
    public static (UInt128 K1, bool Negative1, UInt128 K2, bool Negative2) Decompose(in Limbs4 k)
    {
        var c1 = MulHigh256(k, G1);
        var c2 = MulHigh256(k, G2);
        var low = new UInt128(k.L1, k.L0);
        var k1 = (Int128)(low - c1 * A1 - c2 * A2);
        var k2 = (Int128)(c1 * B1 - c2 * B2);
        return (Magnitude(k1), k1 < 0, Magnitude(k2), k2 < 0);
    }

    private static UInt128 Magnitude(Int128 v) => v < 0 ? (UInt128)(-v) : (UInt128)v;

    /// <summary>⌊k·g / 2^256⌋ for a 256-bit k and a 192-bit g whose product stays below 2^384.</summary>
    private static UInt128 MulHigh256(in Limbs4 k, (ulong L0, ulong L1, ulong L2) g)
    {
        Span<ulong> t = stackalloc ulong[7];
        ReadOnlySpan<ulong> kl = [k.L0, k.L1, k.L2, k.L3];
        ReadOnlySpan<ulong> gl = [g.L0, g.L1, g.L2];
        for (int j = 0; j < 3; j++)
        {
            ulong carry = 0;
            for (int i = 0; i < 4; i++)
            {
                UInt128 s = (UInt128)kl[i] * gl[j] + t[i + j] + carry;
                t[i + j] = (ulong)s;
                carry = (ulong)(s >> 64);
            }
            t[j + 4] = carry;
        }
        return new UInt128(t[5], t[4]);
    }
}

public readonly partial struct G1Affine : IGlvEndomorphism<G1Affine>
{
    public G1Affine Endomorphism() => new(X * Glv.BetaG1, Y);
}

public readonly partial struct G2Affine : IGlvEndomorphism<G2Affine>
{
    public G2Affine Endomorphism() => new(X * Glv.BetaG2, Y);
}
