using System.Text.Json;
using Validium.Accel;
using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Groth16;
using Validium.Proving.Solidity;

namespace Validium.Contracts.Tests;

/// <summary>
/// A stand-in for the batch circuit (which comes later) with exactly its public interface, SPEC.md's eight inputs in
/// order, so the contracts are tested with real Groth16 proofs from our prover and a verifier our emitter wrote.
/// It constrains nothing about a state transition: it only binds the inputs (a proof for one input vector does not
/// verify for another), which is what the contract side needs.
/// </summary>
internal sealed class StandInBatchCircuit : CircuitDefinition
{
    public static readonly string[] PublicInputs =
        ["oldRoot", "newRoot", "dataCommitment", "opsHeadBefore", "opsHeadAfter", "oracleCommitment", "withdrawalsCommitment", "batchNumber"];

    public override void Define(ICircuitApi api)
    {
        var inputs = PublicInputs.Select(api.PublicInput).ToArray();
        var sum = api.PrivateInput("sum");
        var acc = inputs[0];
        for (int i = 1; i < inputs.Length; i++) acc = api.Add(acc, inputs[i]);
        api.AssertEqual(sum, acc);
    }
}

/// <summary>Development keys for the stand-in circuit (reproducible seed) and proofs in the scripts' JSON shape.</summary>
public sealed class BatchProver
{
    private readonly StandInBatchCircuit circuit = new();
    private readonly ProvingKey pk;
    private readonly Prover prover = new(new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }));

    public BatchProver()
    {
        pk = Setup.Run(circuit.Compile().R1cs, devSeed: 8);
        VerifierSource = VerifierEmitter.Emit(pk.VerifyingKey);
    }

    public string VerifierSource { get; }

    /// <summary>The verifier written to a temp file for a script; deleted with the returned handle.</summary>
    public TempFile WriteVerifier() => new(VerifierSource);

    public string Prove(string[] publicInputs)
    {
        if (publicInputs.Length != StandInBatchCircuit.PublicInputs.Length)
            return JsonSerializer.Serialize(new { error = $"{publicInputs.Length} public inputs, the circuit has {StandInBatchCircuit.PublicInputs.Length}" });
        var values = publicInputs.Select(Fr.Parse).ToArray();
        var assignment = StandInBatchCircuit.PublicInputs.Select((n, i) => (n, values[i])).ToDictionary(x => x.n, x => x.Item2);
        assignment["sum"] = values.Aggregate(Fr.Zero, (a, b) => a + b);
        var solution = circuit.Solve(assignment).ThrowIfUnsatisfied();
        var p = prover.Prove(pk, solution.Witness);
        return JsonSerializer.Serialize(new
        {
            a = new[] { p.A.X.ToString(), p.A.Y.ToString() },
            b = new[] { new[] { p.B.X.C1.ToString(), p.B.X.C0.ToString() }, new[] { p.B.Y.C1.ToString(), p.B.Y.C0.ToString() } },
            c = new[] { p.C.X.ToString(), p.C.Y.ToString() },
            compressed = "0x" + Convert.ToHexStringLower(p.ToCompressed()),
        });
    }
}

public sealed class TempFile : IDisposable
{
    public TempFile(string content)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vld-contracts-{Guid.NewGuid():N}.sol");
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
