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
}
