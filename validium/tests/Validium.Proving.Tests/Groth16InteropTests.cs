using Validium.Accel;
using Validium.Crypto;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;

namespace Validium.Proving.Tests;

/// <summary>Our prover and verifier against snarkjs 0.7.6, both directions, on the circom fixture and on our own setup.</summary>
public class Groth16InteropTests
{
    private static readonly Prover Cpu = new(new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }));

    private static void WriteProof(TempDir tmp, Proof proof, IEnumerable<Fr> publicSignals)
    {
        File.WriteAllText(tmp.File("proof.json"), SnarkjsJson.WriteProof(proof));
        File.WriteAllText(tmp.File("public.json"), SnarkjsJson.WritePublicSignals(publicSignals));
    }

    /// <summary>snarkjs's key and witness (circom circuit, snarkjs ceremony), our prover, snarkjs's verifier.</summary>
    [SkippableFact]
    public void OurProofFromTheSnarkjsKeyPassesSnarkjsVerify()
    {
        Fixtures.SkipWithoutSnarkjs();
        var pk = ZkeyFormat.Read(Fixtures.PathOf("circuit.zkey"));
        var w = WtnsFormat.Read(Fixtures.PathOf("circuit.wtns")).Values;
        var proof = Cpu.Prove(pk, w);
        var publics = w.AsSpan(1, pk.NumPublic).ToArray();
        Assert.True(Verifier.Verify(pk.VerifyingKey, proof, publics, out var reason), reason);
        using var tmp = new TempDir();
        WriteProof(tmp, proof, publics);
        Assert.Contains("OK!", Fixtures.Snarkjs("groth16", "verify", Fixtures.PathOf("verification_key.json"), tmp.File("public.json"), tmp.File("proof.json")));
    }

    /// <summary>Our setup and prover on our own system; snarkjs verifies with the verification_key.json we export.</summary>
    [SkippableFact]
    public void OurSetupAndProofPassSnarkjsVerify()
    {
        Fixtures.SkipWithoutSnarkjs();
        var system = R1csFormat.Read(Fixtures.PathOf("circuit.r1cs")).System;
        var w = WtnsFormat.Read(Fixtures.PathOf("circuit.wtns")).Values;
        var pk = Setup.Run(system, devSeed: 33);
        var proof = Cpu.Prove(pk, w);
        var publics = w.AsSpan(1, pk.NumPublic).ToArray();
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("vk.json"), SnarkjsJson.WriteVerificationKey(pk.VerifyingKey));
        WriteProof(tmp, proof, publics);
        Assert.Contains("OK!", Fixtures.Snarkjs("groth16", "verify", tmp.File("vk.json"), tmp.File("public.json"), tmp.File("proof.json")));

        // The same key written as a .zkey proves under snarkjs too, and that proof passes our verifier.
        File.WriteAllBytes(tmp.File("ours.zkey"), ZkeyFormat.Write(pk));
        Fixtures.Snarkjs("groth16", "prove", tmp.File("ours.zkey"), Fixtures.PathOf("circuit.wtns"), tmp.File("sproof.json"), tmp.File("spublic.json"));
        var theirs = SnarkjsJson.ReadProof(File.ReadAllText(tmp.File("sproof.json")), "sproof.json");
        var theirPublics = SnarkjsJson.ReadPublicSignals(File.ReadAllText(tmp.File("spublic.json")), "spublic.json");
        Assert.True(Verifier.Verify(pk.VerifyingKey, theirs, theirPublics, out var reason), reason);
    }

    /// <summary>
    /// A circuit written in our DSL (a Merkle-style Poseidon commitment with a range-checked amount), compiled,
    /// set up and proven by us; snarkjs verifies it with the verification_key.json we export.
    /// </summary>
    [SkippableFact]
    public void ADslCircuitProvenByUsPassesSnarkjsVerify()
    {
        Fixtures.SkipWithoutSnarkjs();
        var circuit = new TestCircuit(api =>
        {
            var commitment = api.PublicInput("commitment");
            var secret = api.PrivateInput("secret");
            var amount = api.PrivateInput("amount");
            api.AssertInRange(amount, 64);
            api.AssertEqual(Validium.Proving.Gadgets.PoseidonGadget.Hash(api, secret, amount), commitment);
            api.Output("doubled", api.Add(amount, amount));
        });
        Fr secretValue = 123456789, amountValue = 1000;
        var solution = circuit.SolveSatisfied(TestCircuit.Inputs(("commitment", Poseidon.Hash(secretValue, amountValue)), ("secret", secretValue), ("amount", amountValue)));
        var pk = Setup.Run(solution.Circuit.R1cs, devSeed: 44);
        var proof = Cpu.Prove(pk, solution.Witness);
        var publics = solution.Witness.AsSpan(1, pk.NumPublic).ToArray();
        Assert.Equal(Fr.FromUInt64(2000), publics[0]);
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("vk.json"), SnarkjsJson.WriteVerificationKey(pk.VerifyingKey));
        WriteProof(tmp, proof, publics);
        Assert.Contains("OK!", Fixtures.Snarkjs("groth16", "verify", tmp.File("vk.json"), tmp.File("public.json"), tmp.File("proof.json")));
    }

    /// <summary>A tampered public signal or proof point fails snarkjs and us alike.</summary>
    [SkippableFact]
    public void TamperingFailsBothVerifiers()
    {
        Fixtures.SkipWithoutSnarkjs();
        var vk = SnarkjsJson.ReadVerificationKey(Fixtures.Text("verification_key.json"), "verification_key.json");
        var proof = SnarkjsJson.ReadProof(Fixtures.Text("proof.json"), "proof.json");
        var publics = SnarkjsJson.ReadPublicSignals(Fixtures.Text("public.json"), "public.json");
        Assert.True(Verifier.Verify(vk, proof, publics, out var reason), reason);

        var badPublics = (Fr[])publics.Clone();
        badPublics[0] += Fr.One;
        var badProof = proof with { C = proof.C.Negate() };
        foreach (var (p, pub) in new[] { (proof, badPublics), (badProof, publics) })
        {
            Assert.False(Verifier.Verify(vk, p, pub, out _));
            using var tmp = new TempDir();
            WriteProof(tmp, p, pub);
            var (_, output) = Fixtures.RunSnarkjs("groth16", "verify", Fixtures.PathOf("verification_key.json"), tmp.File("public.json"), tmp.File("proof.json"));
            Assert.DoesNotContain("OK!", output);
            Assert.Contains("Invalid proof", output);
        }
    }
}
