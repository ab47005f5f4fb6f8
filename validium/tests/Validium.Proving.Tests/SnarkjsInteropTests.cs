using Validium.Crypto;
using Validium.Proving.Formats;

namespace Validium.Proving.Tests;

/// <summary>Files our writers produce, read back by snarkjs itself.</summary>
public class SnarkjsInteropTests
{
    [SkippableFact]
    public void SnarkjsAcceptsOurWitnessAndSystem()
    {
        Fixtures.SkipWithoutSnarkjs();
        using var tmp = new TempDir();
        var r1cs = R1csFormat.Read(Fixtures.PathOf("circuit.r1cs"));
        // A fresh wire map (identity) makes the file differ from circom's, so snarkjs reads something only we wrote.
        File.WriteAllBytes(tmp.File("ours.r1cs"), R1csFormat.Write(r1cs.System));
        File.WriteAllBytes(tmp.File("ours.wtns"), WtnsFormat.Write(WtnsFormat.Read(Fixtures.PathOf("circuit.wtns"))));

        var info = Fixtures.Snarkjs("r1cs", "info", tmp.File("ours.r1cs"));
        Assert.Contains("Curve: bn-128", info);
        Assert.Contains($"# of Wires: {r1cs.System.NumWires}", info);
        Assert.Contains($"# of Constraints: {r1cs.System.Constraints.Count}", info);
        Assert.Contains($"# of Private Inputs: {r1cs.System.NumPrivateInputs}", info);
        Assert.Contains($"# of Public Inputs: {r1cs.System.NumPublicInputs}", info);
        Assert.Contains($"# of Outputs: {r1cs.System.NumOutputs}", info);

        Assert.Contains("WITNESS IS CORRECT", Fixtures.Snarkjs("wtns", "check", tmp.File("ours.r1cs"), tmp.File("ours.wtns")));
        Assert.Contains("WITNESS IS CORRECT", Fixtures.Snarkjs("wtns", "check", Fixtures.PathOf("circuit.r1cs"), tmp.File("ours.wtns")));
    }

    [SkippableFact]
    public void SnarkjsRejectsAWitnessWeBroke()
    {
        Fixtures.SkipWithoutSnarkjs();
        using var tmp = new TempDir();
        var values = (Fr[])WtnsFormat.Read(Fixtures.PathOf("circuit.wtns")).Values.Clone();
        values[^1] += Fr.One;
        File.WriteAllBytes(tmp.File("bad.wtns"), WtnsFormat.Write(new Wtns(values)));
        // snarkjs only logs the verdict of wtns check; its exit code does not depend on it.
        var (_, output) = Fixtures.RunSnarkjs("wtns", "check", Fixtures.PathOf("circuit.r1cs"), tmp.File("bad.wtns"));
        Assert.DoesNotContain("WITNESS IS CORRECT", output);
        Assert.Contains("WITNESS IS NOT CORRECT", output);
    }

    /// <summary>
    /// snarkjs exports the verification key of our rewritten zkey identically, and proves with it: its prover reads the
    /// double-Montgomery coefficients we wrote, so a wrong encoding would give a proof that fails to verify.
    /// </summary>
    [SkippableFact]
    public void SnarkjsExportsAndProvesWithOurZkey()
    {
        Fixtures.SkipWithoutSnarkjs();
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp.File("ours.zkey"), ZkeyFormat.Write(ZkeyFormat.Read(Fixtures.PathOf("circuit.zkey"))));

        // zkey verify recomputes the key from the r1cs and the ptau and replays the contribution transcript.
        Assert.Contains("ZKey Ok!", Fixtures.Snarkjs("zkey", "verify", Fixtures.PathOf("circuit.r1cs"), Fixtures.PathOf("pot10_final.ptau"), tmp.File("ours.zkey")));

        Fixtures.Snarkjs("zkey", "export", "verificationkey", tmp.File("ours.zkey"), tmp.File("vk.json"));
        Assert.Equal(Fixtures.Text("verification_key.json"), File.ReadAllText(tmp.File("vk.json")));

        Fixtures.Snarkjs("groth16", "prove", tmp.File("ours.zkey"), Fixtures.PathOf("circuit.wtns"), tmp.File("proof.json"), tmp.File("public.json"));
        Assert.Equal(Fixtures.Text("public.json"), File.ReadAllText(tmp.File("public.json")));
        Assert.Contains("OK!", Fixtures.Snarkjs("groth16", "verify", Fixtures.PathOf("verification_key.json"), tmp.File("public.json"), tmp.File("proof.json")));

        // Our reader and writer reproduce the fresh proof byte for byte too.
        var proofText = File.ReadAllText(tmp.File("proof.json"));
        Assert.Equal(proofText, SnarkjsJson.WriteProof(SnarkjsJson.ReadProof(proofText, "proof.json")));
    }
}
