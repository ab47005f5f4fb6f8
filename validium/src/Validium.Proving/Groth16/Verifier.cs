using Validium.Crypto;

namespace Validium.Proving.Groth16;

public static class Verifier
{
    /// <summary>
    /// e(A, B) = e(α, β)·e(Σ x_i·IC_i, γ)·e(C, δ), checked as one multi-pairing. Public inputs at or above the
    /// field modulus cannot be represented as Fr and so never reach here; a wrong count or a point off its
    /// group is a false result with a reason, never an exception.
    /// </summary>
    public static bool Verify(VerifyingKey vk, Proof proof, ReadOnlySpan<Fr> publicInputs, out string reason)
    {
        if (publicInputs.Length != vk.NumPublic)
        {
            reason = $"expected {vk.NumPublic} public inputs, got {publicInputs.Length}";
            return false;
        }
        if (!proof.A.IsOnCurve() || !proof.C.IsOnCurve())
        {
            reason = "proof point A or C is not on G1";
            return false;
        }
        if (!proof.B.IsOnCurve() || !proof.B.IsInSubgroup())
        {
            reason = "proof point B is not in G2";
            return false;
        }
        var x = vk.IC[0].ToJacobian();
        for (int i = 0; i < publicInputs.Length; i++) x = x.Add(vk.IC[i + 1].ToJacobian().Multiply(publicInputs[i]));
        bool ok = Pairing.PairingCheck([
            (proof.A.Negate(), proof.B),
            (vk.Alpha1, vk.Beta2),
            (x.ToAffine(), vk.Gamma2),
            (proof.C, vk.Delta2),
        ]);
        reason = ok ? "" : "the pairing check fails";
        return ok;
    }
}
