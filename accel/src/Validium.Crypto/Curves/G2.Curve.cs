using System.Numerics;

namespace Validium.Crypto;

public readonly partial struct G2Jacobian
{
    /// <summary>Twist coefficient b' = 3/ξ with ξ = 9 + u (the D-type twist EIP-197 uses).</summary>
    public static readonly Fp2 B = new Fp2(Fp.FromUInt64(3), Fp.Zero) * Fp2.NonResidue.Inverse();

    public static G2Jacobian Generator => FromAffine(G2Affine.Generator);
}

public readonly partial struct G2Affine
{
    /// <summary>The EIP-197 / snarkjs G2 generator.</summary>
    public static G2Affine Generator { get; } = new(
        new Fp2(
            Fp.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781"),
            Fp.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
        new Fp2(
            Fp.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930"),
            Fp.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531")));

    /// <summary>BN parameter x (u in some papers): p = 36x⁴ + 36x³ + 24x² + 6x + 1, r = 36x⁴ + 36x³ + 18x² + 6x + 1.</summary>
    public const ulong CurveParameterX = 4965661367192848881;

    /// <summary>6x² = p - r: the eigenvalue of ψ on G2.</summary>
    private static readonly Limbs4 SixXSquared = Limbs4.FromBigInteger(6 * new BigInteger(CurveParameterX) * CurveParameterX);

    // ψ = untwist ∘ Frobenius ∘ twist; with the twist (x, y) -> (x·w², y·w³), w^(2(p-1)) = ξ^((p-1)/3) and w^(3(p-1)) = ξ^((p-1)/2).
    private static readonly Fp2 PsiX = TowerFrobenius.Gamma[1][2];
    private static readonly Fp2 PsiY = TowerFrobenius.Gamma[1][3];

    /// <summary>The endomorphism ψ(x, y) = (conj(x)·ξ^((p-1)/3), conj(y)·ξ^((p-1)/2)); on G2 it acts as multiplication by p.</summary>
    public G2Affine Psi() => IsInfinity ? this : new G2Affine(X.Conjugate() * PsiX, Y.Conjugate() * PsiY);

    /// <summary>
    /// On-curve and in the order-r subgroup, by testing ψ(Q) = [6x²]Q instead of [r]Q = O (a 128-bit scalar, not 254).
    /// Sufficient, not just necessary: ψ satisfies ψ² - tψ + p = 0 on the whole twist, so ψ(Q) = [p - r]Q gives
    /// [(p-r)² - t(p-r) + p]Q = [r]Q = O once t = p + 1 - r is substituted.
    /// </summary>
    public bool IsInSubgroup()
    {
        if (!IsOnCurve()) return false;
        if (IsInfinity) return true;
        return G2Jacobian.FromAffine(Psi()) == ToJacobian().Multiply(SixXSquared);
    }

    /// <summary>The definition of the subgroup, [r]Q = O: slower than <see cref="IsInSubgroup"/>, kept as its reference.</summary>
    public bool IsInSubgroupByOrder() => IsOnCurve() && ToJacobian().Multiply(FrModulus.Modulus).IsInfinity;
}
