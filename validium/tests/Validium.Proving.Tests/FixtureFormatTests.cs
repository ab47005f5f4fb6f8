using System.Numerics;
using Validium.Crypto;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;

namespace Validium.Proving.Tests;

/// <summary>Reads every snarkjs/circom fixture and checks the files against each other.</summary>
public class FixtureFormatTests
{
    private static readonly R1csFile R1csFixture = R1csFormat.Read(Fixtures.PathOf("circuit.r1cs"));
    private static readonly Wtns WtnsFixture = WtnsFormat.Read(Fixtures.PathOf("circuit.wtns"));
    private static readonly ProvingKey ZkeyFixture = ZkeyFormat.Read(Fixtures.PathOf("circuit.zkey"));

    [Fact]
    public void WitnessSatisfiesTheSystemAndCarriesThePublicSignals()
    {
        var r1cs = R1csFixture.System;
        Assert.Equal(-1, r1cs.FirstUnsatisfied(WtnsFixture.Values));
        var publicSignals = SnarkjsJson.ReadPublicSignals(Fixtures.Text("public.json"), "public.json");
        Assert.Equal(r1cs.NumPublic, publicSignals.Length);
        Assert.Equal(publicSignals, WtnsFixture.Values[1..(1 + r1cs.NumPublic)]);
    }

    [Fact]
    public void ATamperedWitnessIsCaught()
    {
        var values = (Fr[])WtnsFixture.Values.Clone();
        values[^1] += Fr.One;
        Assert.NotEqual(-1, R1csFixture.System.FirstUnsatisfied(values));
    }

    [Fact]
    public void ZkeyHeaderMatchesTheSystem()
    {
        var r1cs = R1csFixture.System;
        Assert.Equal(r1cs.NumWires, ZkeyFixture.NumVars);
        Assert.Equal(r1cs.NumPublic, ZkeyFixture.NumPublic);
        Assert.Equal(ZkeyFixture.NumPublic + 1, ZkeyFixture.IC.Length);
        // snarkjs sizes the domain for the constraints plus one "x·0 = 0" row per public signal and the constant.
        Assert.Equal((int)BitOperations.RoundUpToPowerOf2((uint)(r1cs.Constraints.Count + r1cs.NumPublic + 1)), ZkeyFixture.DomainSize);
    }

    /// <summary>
    /// The r1cs stores coefficients canonically and the zkey in double-Montgomery form, so agreement between the two
    /// files checks the zkey decoding against an encoding it does not share.
    /// </summary>
    [Fact]
    public void QapCoefficientsAreTheSystemsAAndBMatrices()
    {
        var r1cs = R1csFixture.System;
        var expected = new List<QapCoefficient>();
        for (int i = 0; i < r1cs.Constraints.Count; i++)
        {
            expected.AddRange(r1cs.Constraints[i].A.Where(t => !t.Coefficient.IsZero).Select(t => new QapCoefficient(0, i, t.Wire, t.Coefficient)));
            expected.AddRange(r1cs.Constraints[i].B.Where(t => !t.Coefficient.IsZero).Select(t => new QapCoefficient(1, i, t.Wire, t.Coefficient)));
        }
        for (int s = 0; s <= r1cs.NumPublic; s++) expected.Add(new QapCoefficient(0, r1cs.Constraints.Count + s, s, Fr.One));
        static string Key(QapCoefficient c) => $"{c.Matrix}/{c.Constraint}/{c.Signal}/{c.Value}";
        Assert.Equal(expected.Select(Key).Order(), ZkeyFixture.Coefficients.Select(Key).Order());
    }

    [Fact]
    public void ZkeyVerificationKeyEqualsSnarkjsExportByteForByte()
    {
        var text = Fixtures.Text("verification_key.json");
        var fromJson = SnarkjsJson.ReadVerificationKey(text, "verification_key.json");
        var fromZkey = ZkeyFixture.VerifyingKey;
        Assert.Equal(fromJson.NumPublic, fromZkey.NumPublic);
        Assert.Equal(fromJson.Alpha1, fromZkey.Alpha1);
        Assert.Equal(fromJson.Beta2, fromZkey.Beta2);
        Assert.Equal(fromJson.Gamma2, fromZkey.Gamma2);
        Assert.Equal(fromJson.Delta2, fromZkey.Delta2);
        Assert.Equal(fromJson.IC, fromZkey.IC);
        Assert.Equal(text, SnarkjsJson.WriteVerificationKey(fromZkey));
    }

    [Fact]
    public void ProofAndPublicSignalsRoundTripByteForByte()
    {
        var proofText = Fixtures.Text("proof.json");
        Assert.Equal(proofText, SnarkjsJson.WriteProof(SnarkjsJson.ReadProof(proofText, "proof.json")));
        var publicText = Fixtures.Text("public.json");
        Assert.Equal(publicText, SnarkjsJson.WritePublicSignals(SnarkjsJson.ReadPublicSignals(publicText, "public.json")));
    }

    /// <summary>The snarkjs proof checks out with the pairing equation over what our readers decoded.</summary>
    [Fact]
    public void FixtureProofVerifiesAgainstTheDecodedKey()
    {
        var vk = SnarkjsJson.ReadVerificationKey(Fixtures.Text("verification_key.json"), "verification_key.json");
        var proof = SnarkjsJson.ReadProof(Fixtures.Text("proof.json"), "proof.json");
        var pub = SnarkjsJson.ReadPublicSignals(Fixtures.Text("public.json"), "public.json");
        var acc = vk.IC[0].ToJacobian();
        for (int i = 0; i < pub.Length; i++) acc += vk.IC[i + 1].ToJacobian() * pub[i];
        (G1Affine, G2Affine)[] pairs = [(proof.A.Negate(), proof.B), (vk.Alpha1, vk.Beta2), (acc.ToAffine(), vk.Gamma2), (proof.C, vk.Delta2)];
        Assert.True(Pairing.PairingCheck(pairs));
        pairs[2] = ((acc + vk.IC[1].ToJacobian()).ToAffine(), vk.Gamma2);
        Assert.False(Pairing.PairingCheck(pairs));
    }

    [Fact]
    public void PtauIsPreparedAndAgreesWithTheZkey()
    {
        var ptau = PtauFormat.Read(Fixtures.PathOf("pot10_final.ptau"));
        Assert.Equal(10, ptau.Power);
        Assert.True(ptau.IsPreparedForPhase2);
        Assert.Equal(2 * 1024 - 1, ptau.TauG1.Length);
        Assert.Equal(G1Affine.Generator, ptau.TauG1[0]);
        Assert.Equal(G2Affine.Generator, ptau.TauG2[0]);
        Assert.Equal(4 * 1024 - 1, ptau.LagrangeTauG1.Length);
        // The domain of size 1 has the single Lagrange polynomial 1, so its basis is the generator.
        Assert.Equal(G1Affine.Generator, ptau.LagrangeTauG1[Ptau.LagrangeOffset(0)]);
        // alpha and beta come from the ceremony; the circuit contribution only touches delta and what depends on it.
        Assert.Equal(ptau.AlphaTauG1[0], ZkeyFixture.Alpha1);
        Assert.Equal(ptau.BetaTauG1[0], ZkeyFixture.Beta1);
        Assert.Equal(ptau.BetaG2, ZkeyFixture.Beta2);
        // The Lagrange bases of a domain sum to the constant polynomial 1.
        int k = 4, n = 1 << k;
        var sum = G1Jacobian.Infinity;
        foreach (var p in ptau.LagrangeTauG1.AsSpan(Ptau.LagrangeOffset(k), n)) sum = sum.AddMixed(p);
        Assert.Equal(G1Affine.Generator, sum.ToAffine());
    }

    [Fact]
    public void OurWritersReproduceCircomsFilesByteForByte()
    {
        Assert.Equal(Fixtures.Bytes("circuit.wtns"), WtnsFormat.Write(WtnsFixture));
        Assert.Equal(Fixtures.Bytes("circuit.r1cs"), R1csFormat.Write(R1csFixture.System, R1csFixture.WireToLabel, R1csFixture.NumLabels));
    }

    [Fact]
    public void ZkeyRoundTripsThroughOurWriter()
    {
        var again = ZkeyFormat.Read(ZkeyFormat.Write(ZkeyFixture), "ours.zkey");
        Assert.Equal(ZkeyFormat.Write(ZkeyFixture), ZkeyFormat.Write(again));
        Assert.Equal(ZkeyFixture.Coefficients, again.Coefficients);
        Assert.Equal(ZkeyFixture.H, again.H);
        Assert.Equal(ZkeyFixture.B2, again.B2);
    }
}
