using Validium.Accel;
using Validium.Circuits;
using Validium.Proving.Groth16;

namespace Validium.Batcher;

/// <summary>A batch that could not be given a verified proof, and why; it is not released.</summary>
public sealed class BatchProofException(ulong batch, string reason, bool failedVerification, Exception? inner = null)
    : Exception($"batch {batch}: {reason}", inner)
{
    public ulong Batch { get; } = batch;

    /// <summary>A proof was made but did not verify: the key or the device is at fault, and another attempt may pass.</summary>
    public bool FailedVerification { get; } = failedVerification;
}

/// <summary>
/// Proves a persisted batch from its record alone: solves the witness from the recorded circuit inputs, checks the
/// solved public signals are the recorded public inputs, proves, and checks the proof against the data directory's
/// verification key (the one the L1 verifier was made from). Only a proof that passes is returned. The batcher and
/// `vld batch prove` share it, so the offline reproduction is the same computation.
/// </summary>
public sealed class BatchProver(BatchCircuit circuit, ProvingKey pk, VerifyingKey vk, AccelDispatcher accel)
{
    private readonly Prover prover = new(accel);

    public Proof Prove(BatchRecord record, IProgress<ProveStage>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var solution = circuit.Solve(record.Inputs);
        if (solution.Failure is { } failure)
            throw new BatchProofException(record.Number, $"its recorded inputs do not satisfy the circuit ({failure})", false);
        var signals = solution.PublicSignals;
        for (int i = 0; i < record.PublicInputs.Length; i++)
            if (signals[i] != record.PublicInputs[i])
                throw new BatchProofException(record.Number, $"its inputs solve to {BatchCircuit.PublicInputNames[i]} = {signals[i]}, the record says {record.PublicInputs[i]}", false);
        Proof proof;
        try
        {
            proof = prover.Prove(pk, solution.Witness, progress, ct);
        }
        catch (ArgumentException e)
        {
            throw new BatchProofException(record.Number, $"the proving key does not fit the circuit: {e.Message}", false, e);
        }
        ct.ThrowIfCancellationRequested();
        if (!Verifier.Verify(vk, proof, record.PublicInputs.AsSpan(), out var reason))
            throw new BatchProofException(record.Number, $"its proof failed self-verification against the verification key ({reason}); the proving key or the prover's device is faulty", true);
        return proof;
    }
}
