using Validium.Crypto;

namespace Validium.Accel;

/// <summary>
/// The contract every backend implements (CPU, GPU, FPGA). Inputs come first, caller-owned outputs last.
/// A backend throws <see cref="NotSupportedException"/> for an op its capabilities do not list; the
/// dispatcher never routes such a call to it. Results must equal <see cref="Validium.Crypto"/>'s exactly.
/// </summary>
public interface IAccelBackend : IDisposable
{
    Device Device { get; }

    DeviceCapabilities Capabilities { get; }

    /// <summary>Σ scalars[i]·points[i]; spans have equal length (zero-length gives infinity).</summary>
    G1Jacobian MsmG1(ReadOnlySpan<G1Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default);

    G2Jacobian MsmG2(ReadOnlySpan<G2Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default);

    /// <summary>In-place NTT of a power-of-two length, natural order in and out.</summary>
    void Ntt(Span<Fr> values, NttOptions options, CancellationToken ct = default);

    /// <summary>
    /// outputs[i] = Poseidon(inputs[i·arity .. (i+1)·arity]) with circomlib parameters (t = arity + 1).
    /// </summary>
    void PoseidonBatch(ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, CancellationToken ct = default);

    /// <summary>parents[i] = Poseidon(children[2i], children[2i+1]): one level of a binary Merkle tree.</summary>
    void MerkleLayer(ReadOnlySpan<Fr> children, Span<Fr> parents, CancellationToken ct = default);

    /// <summary>
    /// Keccak-256 of each message data[offsets[i] .. offsets[i+1]]; offsets has one more entry than
    /// there are messages; digests are written back to back, 32 bytes each.
    /// </summary>
    void KeccakBatch(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, Span<byte> digests, CancellationToken ct = default);
}
