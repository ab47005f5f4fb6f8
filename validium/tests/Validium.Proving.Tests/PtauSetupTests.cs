using Validium.Crypto;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;

namespace Validium.Proving.Tests;

/// <summary>Phase 2 from the fixture's powers of tau, point for point against <c>snarkjs zkey new</c>.</summary>
public class PtauSetupTests
{
    [SkippableFact]
    public void EqualsTheKeySnarkjsZkeyNewWrites()
    {
        Fixtures.SkipWithoutSnarkjs();
        using var tmp = new TempDir();
        Fixtures.Snarkjs("zkey", "new", Fixtures.PathOf("circuit.r1cs"), Fixtures.PathOf("pot10_final.ptau"), tmp.File("new.zkey"));
        var theirs = ZkeyFormat.Read(tmp.File("new.zkey"));
        var ours = PtauSetup.Run(R1csFormat.Read(Fixtures.PathOf("circuit.r1cs")).System, PtauFormat.Read(Fixtures.PathOf("pot10_final.ptau")));

        Assert.Equal((theirs.NumVars, theirs.NumPublic, theirs.DomainSize), (ours.NumVars, ours.NumPublic, ours.DomainSize));
        Assert.Equal(theirs.Alpha1, ours.Alpha1);
        Assert.Equal(theirs.Beta1, ours.Beta1);
        Assert.Equal(theirs.Beta2, ours.Beta2);
        Assert.Equal(theirs.Gamma2, ours.Gamma2);
        Assert.Equal(theirs.Delta1, ours.Delta1);
        Assert.Equal(theirs.Delta2, ours.Delta2);
        Assert.Equal(theirs.IC, ours.IC);
        Assert.Equal(theirs.A, ours.A);
        Assert.Equal(theirs.B1, ours.B1);
        Assert.Equal(theirs.B2, ours.B2);
        Assert.Equal(theirs.C, ours.C);
        Assert.Equal(theirs.H, ours.H);
        static string Key(QapCoefficient c) => $"{c.Matrix}/{c.Constraint}/{c.Signal}/{c.Value}";
        Assert.Equal(theirs.Coefficients.Select(Key).Order(), ours.Coefficients.Select(Key).Order());
    }

    /// <summary>After our δ contribution the key proves, our verifier and snarkjs accept, and δ is no longer the generator.</summary>
    [SkippableFact]
    public void AContributedKeyProvesAndSnarkjsVerifies()
    {
        Fixtures.SkipWithoutSnarkjs();
        var fresh = PtauSetup.Run(R1csFormat.Read(Fixtures.PathOf("circuit.r1cs")).System, PtauFormat.Read(Fixtures.PathOf("pot10_final.ptau")));
        var pk = PtauSetup.Contribute(fresh);
        Assert.NotEqual(G2Affine.Generator, pk.Delta2);
        var w = WtnsFormat.Read(Fixtures.PathOf("circuit.wtns")).Values;
        var proof = new Prover(new Validium.Accel.AccelDispatcher(new Validium.Accel.BackendRegistry(), new Validium.Accel.AccelOptions { Mode = Validium.Accel.AccelMode.Cpu })).Prove(pk, w);
        var publics = w.AsSpan(1, pk.NumPublic).ToArray();
        Assert.True(Verifier.Verify(pk.VerifyingKey, proof, publics, out var reason), reason);
        Assert.False(Verifier.Verify(fresh.VerifyingKey, proof, publics, out _));
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("vk.json"), SnarkjsJson.WriteVerificationKey(pk.VerifyingKey));
        File.WriteAllText(tmp.File("proof.json"), SnarkjsJson.WriteProof(proof));
        File.WriteAllText(tmp.File("public.json"), SnarkjsJson.WritePublicSignals(publics));
        Assert.Contains("OK!", Fixtures.Snarkjs("groth16", "verify", tmp.File("vk.json"), tmp.File("public.json"), tmp.File("proof.json")));
    }

    [Fact]
    public void AnUnpreparedOrTooSmallCeremonyIsRefused()
    {
        var system = R1csFormat.Read(Fixtures.PathOf("circuit.r1cs")).System;
        var ptau = PtauFormat.Read(Fixtures.PathOf("pot10_final.ptau"));
        Assert.Throws<ArgumentException>(() => PtauSetup.Run(system, ptau with { LagrangeTauG1 = [] }));
        Assert.Throws<ArgumentException>(() => PtauSetup.Run(system, ptau with { Power = 5 }));
    }
}
