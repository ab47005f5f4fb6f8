using Validium.Crypto;

namespace Validium.Accel.Cpu;

/// <summary>The reference backend: always present, the fallback for every other device, and the oracle spot-checks use.</summary>
public sealed class CpuBackend : IAccelBackend
{
    private static readonly IReadOnlySet<AccelOp> AllOps = new HashSet<AccelOp>(Enum.GetValues<AccelOp>());

    public CpuBackend(int maxThreads = 0)
    {
        MaxThreads = maxThreads > 0 ? maxThreads : Environment.ProcessorCount;
        Device = new Device(DeviceKind.Cpu, 0, $"{Environment.ProcessorCount}-core host CPU");
        Capabilities = new DeviceCapabilities(AllOps, int.MaxValue, Fr.TwoAdicity, 16, $"managed code, {MaxThreads} threads");
    }

    public int MaxThreads { get; }

    public Device Device { get; }

    public DeviceCapabilities Capabilities { get; }

    public G1Jacobian MsmG1(ReadOnlySpan<G1Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default) =>
        Pippenger.Msm<G1Jacobian, G1Affine, Fp>(points, scalars, MaxThreads, ct);

    public G2Jacobian MsmG2(ReadOnlySpan<G2Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default) =>
        Pippenger.Msm<G2Jacobian, G2Affine, Fp2>(points, scalars, MaxThreads, ct);

    public void Ntt(Span<Fr> values, NttOptions options, CancellationToken ct = default) =>
        Cpu.Ntt.Transform(values, options, MaxThreads, ct);

    public void PoseidonBatch(ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, CancellationToken ct = default) =>
        Hashing.PoseidonBatch(inputs, arity, outputs, MaxThreads, ct);

    public void MerkleLayer(ReadOnlySpan<Fr> children, Span<Fr> parents, CancellationToken ct = default)
    {
        if (children.Length != 2 * parents.Length)
            throw new ArgumentException($"a Merkle layer of {parents.Length} parents needs {2 * parents.Length} children, got {children.Length}");
        Hashing.PoseidonBatch(children, 2, parents, MaxThreads, ct);
    }

    public void KeccakBatch(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, Span<byte> digests, CancellationToken ct = default) =>
        Hashing.KeccakBatch(data, offsets, digests, MaxThreads, ct);

    public void Dispose()
    {
    }
}
