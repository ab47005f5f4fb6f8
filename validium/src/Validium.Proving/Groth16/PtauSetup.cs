using Validium.Accel.Cpu;
using Validium.Crypto;
using Validium.Proving.Formats;

namespace Validium.Proving.Groth16;

/// <summary>
/// Phase 2 from a prepared powers-of-tau file, as <c>snarkjs zkey new</c> does it: every key point is a
/// combination of the ceremony's Lagrange-basis points, with γ = δ = 1 until contributions are applied.
/// <see cref="Run"/> gives the same key snarkjs writes before any contribution; <see cref="Contribute"/> then
/// applies a secret δ, without which anyone could forge proofs (δ = 1 is public).
/// </summary>
public static class PtauSetup
{
    public static ProvingKey Run(R1cs r1cs, Ptau ptau)
    {
        if (!ptau.IsPreparedForPhase2) throw new ArgumentException("the powers-of-tau file is not prepared for phase 2 (snarkjs powersoftau prepare phase2)");
        int nPub = r1cs.NumPublic;
        var qap = QapColumns.From(r1cs);
        int n = qap.DomainSize;
        int log = System.Numerics.BitOperations.Log2((uint)n);
        if (log > ptau.Power)
            throw new ArgumentException($"{r1cs.ConstraintCount} constraints need a 2^{log} domain; the ceremony only goes up to 2^{ptau.Power}");
        int off = Ptau.LagrangeOffset(log);
        var tauG1 = ptau.LagrangeTauG1.AsSpan(off, n);
        var tauG2 = ptau.LagrangeTauG2.AsSpan(off, n);
        var alphaG1 = ptau.LagrangeAlphaTauG1.AsSpan(off, n);
        var betaG1 = ptau.LagrangeBetaTauG1.AsSpan(off, n);
        var (a, b, c) = (qap.A, qap.B, qap.C);

        int nVars = r1cs.NumWires;
        var aPoints = new G1Affine[nVars];
        var b1Points = new G1Affine[nVars];
        var b2Points = new G2Affine[nVars];
        var ic = new G1Affine[nPub + 1];
        var cPoints = new G1Affine[nVars - nPub - 1];
        for (int j = 0; j < nVars; j++)
        {
            aPoints[j] = Combine(tauG1, a, j).ToAffine();
            b1Points[j] = Combine(tauG1, b, j).ToAffine();
            b2Points[j] = Combine(tauG2, b, j).ToAffine();
            // (β·A_j + α·B_j + C_j)(τ) over γ or δ, both one before contributions.
            var k = Combine(betaG1, a, j).Add(Combine(alphaG1, b, j)).Add(Combine(tauG1, c, j)).ToAffine();
            if (j <= nPub) ic[j] = k;
            else cPoints[j - nPub - 1] = k;
        }
        // H: the doubled domain's Lagrange points at its odd indices (see Setup).
        var tau2n = ptau.LagrangeTauG1.AsSpan(Ptau.LagrangeOffset(log + 1), 2 * n);
        var h = new G1Affine[n];
        for (int i = 0; i < n; i++) h[i] = tau2n[2 * i + 1];

        return new ProvingKey(
            nVars, nPub, n,
            ptau.AlphaTauG1[0], ptau.BetaTauG1[0], ptau.BetaG2, G2Affine.Generator, G1Affine.Generator, G2Affine.Generator,
            ic, qap.Coefficients, aPoints, b1Points, b2Points, cPoints, h);
    }

    /// <summary>
    /// One phase-2 contribution: δ ← δ·d, so the δ points are multiplied by d and the C and H queries by 1/d.
    /// The secret d is drawn here and forgotten. No transcript is appended to the key's contributions
    /// section, so <c>snarkjs zkey verify</c> cannot audit it; proving and verifying are unaffected.
    /// </summary>
    public static ProvingKey Contribute(ProvingKey key)
    {
        Fr d;
        do d = Fr.RandomSecure();
        while (d.IsZero);
        var dInv = d.Inverse();
        return key with
        {
            Delta1 = key.Delta1 * d,
            Delta2 = key.Delta2.ToJacobian().Multiply(d).ToAffine(),
            C = Scale(key.C, dInv),
            H = Scale(key.H, dInv),
        };
    }

    private static G1Affine[] Scale(G1Affine[] points, Fr k)
    {
        var jac = new G1Jacobian[points.Length];
        Parallel.For(0, points.Length, i => jac[i] = points[i].ToJacobian().Multiply(k));
        var result = new G1Affine[points.Length];
        G1Jacobian.BatchToAffine(jac, result);
        return result;
    }

    private static TJ Combine<TJ, TA, TF>(ReadOnlySpan<TA> basis, QapColumns.Column column, int wire)
        where TJ : unmanaged, IJacobianPoint<TJ, TA>
        where TA : unmanaged, IAffinePoint<TA>, IAffineCoordinates<TA, TF>, IGlvEndomorphism<TA>
        where TF : unmanaged, IField<TF>
    {
        int count = column.Count(wire);
        var points = new TA[count];
        var scalars = new Fr[count];
        for (int i = 0; i < count; i++) (points[i], scalars[i]) = (basis[column.Row(wire, i)], column.Value(wire, i));
        return Pippenger.Msm<TJ, TA, TF>(points, scalars, 1, default);
    }

    private static G1Jacobian Combine(ReadOnlySpan<G1Affine> basis, QapColumns.Column column, int wire) =>
        Combine<G1Jacobian, G1Affine, Fp>(basis, column, wire);

    private static G2Jacobian Combine(ReadOnlySpan<G2Affine> basis, QapColumns.Column column, int wire) =>
        Combine<G2Jacobian, G2Affine, Fp2>(basis, column, wire);
}
