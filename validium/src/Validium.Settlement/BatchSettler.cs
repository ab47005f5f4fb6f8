using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.DaCommittee.Client;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.L1.Transactions;
using Validium.Proving.Groth16;

namespace Validium.Settlement;

/// <summary>A batch the contract accepted: its number, the gas its submission used, the receipt and how the proof travelled.</summary>
public sealed record SettledBatch(ulong Number, ulong GasUsed, TransactionReceipt Receipt, AttestationBundle Attestation, ProofEncoding Encoding);

/// <summary>
/// The path from a built batch to L1: solve the batch circuit on the batch's assignment, prove it, get the
/// committee's attestation over the batch data, and call submitBatch; the state is committed only once the contract
/// has accepted the batch, so a refused batch leaves it where it was.
/// </summary>
public sealed partial class BatchSettler(Contract validium, TransactionSender sender, BatchCircuit circuit, ProvingKey provingKey, Prover prover, DacClient dac)
{
    /// <summary>submitBatch with the whole proof, or submitBatchCompressed with 128 bytes; the cheaper one unless set.</summary>
    public ProofEncoding Encoding { get; set; } = BatchProof.Default;

    /// <summary>
    /// Settles <paramref name="batch"/>, built against <paramref name="oracle"/>; <paramref name="opsProcessed"/> is the
    /// number of L1 operations consumed once it is applied (the contract's processedOps plus its deposits).
    /// </summary>
    public async Task<SettledBatch> SettleAsync(PendingBatch batch, OracleRound oracle, ulong opsProcessed, CancellationToken ct = default)
    {
        var proof = Prove(batch, oracle, ct);
        var bundle = await dac.AttestAsync(batch.BatchNumber, batch.DataBytes(), ct);
        return await SubmitAttestedAsync(batch, oracle, opsProcessed, proof, bundle, ct);
    }

    private Proof Prove(PendingBatch batch, OracleRound oracle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(oracle);
        if (batch.Assignment.Count == 0) throw new ArgumentException("a replayed batch has no circuit assignment and cannot be proven", nameof(batch));
        var solution = circuit.Solve(batch.Assignment).ThrowIfUnsatisfied();
        return prover.Prove(provingKey, solution.Witness, ct: ct);
    }

    private async Task<SettledBatch> SubmitAttestedAsync(PendingBatch batch, OracleRound oracle, ulong opsProcessed, Proof proof, AttestationBundle bundle, CancellationToken ct)
    {
        var pi = batch.PublicInputs;
        if (bundle.Commitment != pi[2]) throw new InvalidOperationException($"batch {batch.BatchNumber}: the committee attested commitment {bundle.Commitment}, the circuit's is {pi[2]}");
        var encoding = Encoding;
        var (function, args) = BatchSubmission.Call(pi, batch.Withdrawals, proof, bundle, opsProcessed, oracle.Round, encoding);
        var receipt = await validium.SendAsync(sender, function, args, ct: ct);
        batch.Commit();
        return new SettledBatch(batch.BatchNumber, receipt.GasUsed, receipt, bundle, encoding);
    }
}
