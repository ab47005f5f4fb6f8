using System.Text.Json;
using Validium.Accel;
using Validium.Crypto;
using Validium.Proving.Groth16;
using Validium.Proving.Solidity;

namespace Validium.Proving.Tests;

/// <summary>The emitted verifier compiled by solc and run on a real anvil node (through ethers).</summary>
public class SolidityVerifierTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static object Call(Proof p, params Fr[] input) => Call(
        [p.A.X.ToString(), p.A.Y.ToString()],
        [[p.B.X.C1.ToString(), p.B.X.C0.ToString()], [p.B.Y.C1.ToString(), p.B.Y.C0.ToString()]],
        [p.C.X.ToString(), p.C.Y.ToString()],
        input.Select(x => x.ToString()).ToArray());

    private static object Call(string[] a, string[][] b, string[] c, string[] input) => new { a, b, c, input };

    [SkippableFact]
    public void AcceptsValidProofsAndRejectsTamperedOnes()
    {
        var root = NodeTool.RequireNode("solc");
        var r1cs = new R1cs(4, 1, 0, 2, [new Constraint([new Term(2, Fr.One)], [new Term(3, Fr.One)], [new Term(1, Fr.One)], "x*y=z")]);
        var pk = Setup.Run(r1cs, devSeed: 21);
        var prover = new Prover(new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }));
        Fr[] w = [Fr.One, 391, 17, 23];
        var proof = prover.Prove(pk, w);
        var p = Fr.Modulus.ToString();
        var r = Fr.Modulus.ToString();
        var good = (object[])[Call(proof, w[1])];
        var calls = new[]
        {
            Call(proof, w[1]),
            Call(proof, w[1] + Fr.One),
            Call(proof with { C = proof.C.Negate() }, w[1]),
            Call([proof.A.X.ToString(), proof.A.Y.ToString()], [[proof.B.X.C1.ToString(), proof.B.X.C0.ToString()], [proof.B.Y.C1.ToString(), proof.B.Y.C0.ToString()]], [proof.C.X.ToString(), proof.C.Y.ToString()], [(Fr.Modulus + w[1].ToBigInteger()).ToString()]),
            Call(["1", "3"], [[proof.B.X.C1.ToString(), proof.B.X.C0.ToString()], [proof.B.Y.C1.ToString(), proof.B.Y.C0.ToString()]], [proof.C.X.ToString(), proof.C.Y.ToString()], [w[1].ToString()]),
            Call([proof.A.X.ToString(), proof.A.Y.ToString()], [[Fp.Modulus.ToString(), proof.B.X.C0.ToString()], [proof.B.Y.C1.ToString(), proof.B.Y.C0.ToString()]], [proof.C.X.ToString(), proof.C.Y.ToString()], [w[1].ToString()]),
        };
        var dir = Directory.CreateTempSubdirectory("verifier-");
        try
        {
            var job = Path.Combine(dir.FullName, "job.json");
            File.WriteAllText(job, JsonSerializer.Serialize(new { source = VerifierEmitter.Emit(pk.VerifyingKey), contract = "Groth16Verifier", calls }));
            var (code, stdout, err) = NodeTool.Run(root, TimeSpan.FromMinutes(2), "validium/tests/evm/run-verifier.mjs", job);
            Assert.True(code == 0, err);
            var results = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToArray();
            Assert.True(results[0].GetProperty("verify").GetBoolean());
            Assert.Equal("ok", results[0].GetProperty("require").GetString());
            int gas = results[0].GetProperty("gas").GetInt32();
            output.WriteLine($"requireValidProof with 1 public input: {gas} gas (eth_estimateGas on anvil)");
            Assert.InRange(gas, 150_000, 400_000);
            Assert.False(results[1].GetProperty("verify").GetBoolean());
            Assert.Equal("revert:InvalidProof", results[1].GetProperty("require").GetString());
            Assert.False(results[2].GetProperty("verify").GetBoolean());
            Assert.Equal("revert:InputNotInField", results[3].GetProperty("require").GetString());
            Assert.Equal("revert:PointNotOnCurve", results[4].GetProperty("require").GetString());
            Assert.Equal("revert:CoordinateNotInField", results[5].GetProperty("require").GetString());
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
