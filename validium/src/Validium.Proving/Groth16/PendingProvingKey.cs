using Validium.Crypto;

namespace Validium.Proving.Groth16;

/// <summary>
/// A proving key whose large parts may still be arriving (read from disk, checked on other threads): the header
/// is here, each part is a task. The prover starts each stage when the part it needs is there, so reading a key
/// overlaps with proving instead of preceding it (see <see cref="Formats.ZkeyFormat.Open"/>).
/// </summary>
public sealed record PendingProvingKey(
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
    Task<QapMatrix> Coefficients,
    Task<G1Affine[]> A,
    Task<G1Affine[]> B1,
    Task<G2Affine[]> B2,
    Task<G1Affine[]> C,
    Task<G1Affine[]> H,
    Task<byte[]?> Contributions)
{
    public int DomainLog => System.Numerics.BitOperations.Log2((uint)DomainSize);

    public static PendingProvingKey Ready(ProvingKey pk) => new(pk.NumVars, pk.NumPublic, pk.DomainSize, pk.Alpha1, pk.Beta1, pk.Beta2,
        pk.Gamma2, pk.Delta1, pk.Delta2, pk.IC, Task.FromResult(pk.Coefficients), Task.FromResult(pk.A), Task.FromResult(pk.B1),
        Task.FromResult(pk.B2), Task.FromResult(pk.C), Task.FromResult(pk.H), Task.FromResult(pk.Contributions));

    /// <summary>
    /// The whole key once every part is there. Parts are awaited in file order, so when several are bad the
    /// error names the first, as reading them one after another would.
    /// </summary>
    public ProvingKey Wait() => new(NumVars, NumPublic, DomainSize, Alpha1, Beta1, Beta2, Gamma2, Delta1, Delta2, IC,
        Coefficients.GetAwaiter().GetResult(), A.GetAwaiter().GetResult(), B1.GetAwaiter().GetResult(), B2.GetAwaiter().GetResult(),
        C.GetAwaiter().GetResult(), H.GetAwaiter().GetResult(), Contributions.GetAwaiter().GetResult());
}
