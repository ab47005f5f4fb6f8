using Validium.Crypto;

namespace Validium.Proving.Groth16;

/// <summary>One non-zero entry of the A or B matrix, as snarkjs's zkey section 4 lists them.</summary>
public readonly record struct QapCoefficient(int Matrix, int Constraint, int Signal, Fr Value)
{
    public const int A = 0;
    public const int B = 1;
}

/// <summary>What a verifier needs: snarkjs's verification_key.json content.</summary>
public sealed record VerifyingKey(G1Affine Alpha1, G2Affine Beta2, G2Affine Gamma2, G2Affine Delta2, G1Affine[] IC)
{
    /// <summary>Public signals, not counting the constant one.</summary>
    public int NumPublic => IC.Length - 1;
}

/// <summary>
/// A Groth16 proving key laid out as snarkjs's .zkey: the same points, the same A/B coefficient list and the
/// same H query (Lagrange basis of the doubled domain at its odd points, over δ), so either side's keys work
/// with the other's prover. Contributions is a zkey's section 10 (circuit hash and MPC transcript) kept verbatim,
/// so a key read and written again keeps its provenance; a key from our own setup has none.
/// </summary>
public sealed record ProvingKey(
    int NumVars,
    int NumPublic,
    int DomainSize,
    G1Affine Alpha1,
    G1Affine Beta1,
    G2Affine Beta2,
    G2Affine Gamma2,
    G1Affine Delta1,
    G2Affine Delta2,
    G1Affine[] IC,
    QapMatrix Coefficients,
    G1Affine[] A,
    G1Affine[] B1,
    G2Affine[] B2,
    G1Affine[] C,
    G1Affine[] H,
    byte[]? Contributions = null)
{
    public VerifyingKey VerifyingKey => new(Alpha1, Beta2, Gamma2, Delta2, IC);

    public int DomainLog => System.Numerics.BitOperations.Log2((uint)DomainSize);

    /// <summary>snarkjs's domain: the smallest power of two above the constraints plus one row per public signal and the constant.</summary>
    public static int DomainSizeFor(int constraints, int numPublic)
    {
        long needed = (long)constraints + numPublic + 1;
        int log = 0;
        while ((1L << log) < needed) log++;
        if (log >= Fr.TwoAdicity) throw new ArgumentException($"{constraints} constraints need a domain of 2^{log}, beyond what this prover supports (2^{Fr.TwoAdicity - 1})");
        return 1 << log;
    }
}
