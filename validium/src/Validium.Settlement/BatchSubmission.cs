using System.Numerics;
using Validium.Circuits;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1.Contracts;
using Validium.Proving.Groth16;

namespace Validium.Settlement;

/// <summary>
/// The submitBatch / submitBatchCompressed call for one proven batch, built in one place for
/// <see cref="BatchSettler"/> and <see cref="BatchPoster"/>: the header (new root, data commitment, opsProcessed,
/// oracle round), the proof in the chosen encoding, the withdrawals and the committee's signatures.
/// </summary>
public static class BatchSubmission
{
    /// <param name="publicInputs">The batch's eight public inputs in the contract's order (SPEC.md).</param>
    /// <param name="withdrawals">What the batch pays out, in the circuit's order; they must hash to its withdrawals commitment.</param>
    /// <param name="opsProcessed">L1 operations consumed once the batch applies: the contract's processedOps plus the batch's deposits and forced requests.</param>
    public static (string Function, object?[] Args) Call(IReadOnlyList<Fr> publicInputs, IReadOnlyList<(BigInteger Recipient, ulong Amount)> withdrawals, Proof proof,
        AttestationBundle attestation, ulong opsProcessed, ulong oracleRound, ProofEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(publicInputs);
        ArgumentNullException.ThrowIfNull(withdrawals);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(attestation);
        if (publicInputs.Count != BatchCircuit.PublicInputNames.Length)
            throw new ArgumentException($"{publicInputs.Count} public inputs, the batch circuit has {BatchCircuit.PublicInputNames.Length}", nameof(publicInputs));
        if (attestation.Commitment != publicInputs[2])
            throw new ArgumentException($"the attestation is for commitment {attestation.Commitment}, the batch's is {publicInputs[2]}", nameof(attestation));
        if (BatchEncoding.WithdrawalsCommitment(withdrawals) != publicInputs[6])
            throw new ArgumentException($"the {withdrawals.Count} withdrawals do not hash to the batch's withdrawals commitment {publicInputs[6]}", nameof(withdrawals));
        var (header, paid) = HeaderAndWithdrawals(publicInputs, withdrawals, opsProcessed, oracleRound);
        return (BatchProof.Function(encoding), [header, BatchProof.Argument(proof.A, proof.B, proof.C, encoding), paid, attestation.ToContractArgument()]);
    }

    /// <summary>
    /// submitBatchWithData (SPEC.md "On-chain data fallback"): the data words in place of the attestation, which the
    /// contract hashes with the sponge and compares with the proof's data commitment; the proof travels whole.
    /// </summary>
    public static (string Function, object?[] Args) CallWithData(IReadOnlyList<Fr> publicInputs, IReadOnlyList<(BigInteger Recipient, ulong Amount)> withdrawals, Proof proof,
        IReadOnlyList<Fr> dataWords, ulong opsProcessed, ulong oracleRound)
    {
        ArgumentNullException.ThrowIfNull(publicInputs);
        ArgumentNullException.ThrowIfNull(withdrawals);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(dataWords);
        if (publicInputs.Count != BatchCircuit.PublicInputNames.Length)
            throw new ArgumentException($"{publicInputs.Count} public inputs, the batch circuit has {BatchCircuit.PublicInputNames.Length}", nameof(publicInputs));
        if (BatchEncoding.WithdrawalsCommitment(withdrawals) != publicInputs[6])
            throw new ArgumentException($"the {withdrawals.Count} withdrawals do not hash to the batch's withdrawals commitment {publicInputs[6]}", nameof(withdrawals));
        var (header, paid) = HeaderAndWithdrawals(publicInputs, withdrawals, opsProcessed, oracleRound);
        object?[] words = [.. dataWords.Select(w => (object?)w.ToBigInteger())];
        return (OnChainData.Function, [header, BatchProof.Argument(proof.A, proof.B, proof.C, ProofEncoding.Uncompressed), paid, words]);
    }

    private static (object?[] Header, object?[] Paid) HeaderAndWithdrawals(IReadOnlyList<Fr> publicInputs, IReadOnlyList<(BigInteger Recipient, ulong Amount)> withdrawals,
        ulong opsProcessed, ulong oracleRound)
    {
        object?[] header = [publicInputs[1].ToBigInteger(), publicInputs[2].ToBigInteger(), (BigInteger)opsProcessed, (BigInteger)oracleRound];
        object?[] paid = [.. withdrawals.Select(w => (object?)new object?[] { AddressOf(w.Recipient), (BigInteger)w.Amount })];
        return (header, paid);
    }

    public static EthereumAddress AddressOf(BigInteger value)
    {
        if (value.Sign < 0 || value >= BatchEncoding.AddressLimit) throw new ArgumentOutOfRangeException(nameof(value), "an address is a 160-bit unsigned number");
        var bytes = new byte[20];
        value.TryWriteBytes(bytes.AsSpan(20 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return EthereumAddress.FromBytes(bytes);
    }
}
