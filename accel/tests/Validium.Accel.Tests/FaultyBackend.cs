using Validium.Accel.Cpu;
using Validium.Crypto;

namespace Validium.Accel.Tests;

internal enum Fault
{
    None,
    WrongResult,
    Hang,
    Throw,
}

/// <summary>
/// A device that misbehaves on purpose, to drive the dispatcher's fallback paths. It computes with the
/// CPU backend and then breaks the answer the way a flaky board would.
/// </summary>
internal sealed class FaultyBackend(DeviceKind kind, Fault fault, int maxMsm = int.MaxValue) : IAccelBackend
{
    private readonly CpuBackend inner = new(1);

    public int Calls { get; private set; }

    public Device Device { get; } = new(kind, 0, $"test {kind} that answers with {fault}");

    public DeviceCapabilities Capabilities { get; } = new(new HashSet<AccelOp>(Enum.GetValues<AccelOp>()), maxMsm, 20, 16, "test double");

    private void Misbehave(CancellationToken ct)
    {
        Calls++;
        if (fault == Fault.Throw) throw new IOException("device reported a CRC error");
        if (fault == Fault.Hang) Task.Delay(Timeout.Infinite, ct).Wait(ct);
    }

    public G1Jacobian MsmG1(ReadOnlySpan<G1Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default)
    {
        Misbehave(ct);
        var r = inner.MsmG1(points, scalars, ct);
        return fault == Fault.WrongResult ? r.Double() : r;
    }

    public G2Jacobian MsmG2(ReadOnlySpan<G2Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default)
    {
        Misbehave(ct);
        var r = inner.MsmG2(points, scalars, ct);
        return fault == Fault.WrongResult ? r.Double() : r;
    }

    public void Ntt(Span<Fr> values, NttOptions options, CancellationToken ct = default)
    {
        Misbehave(ct);
        inner.Ntt(values, options, ct);
        if (fault == Fault.WrongResult) values[0] += Fr.One;
    }

    public void PoseidonBatch(ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, CancellationToken ct = default)
    {
        Misbehave(ct);
        inner.PoseidonBatch(inputs, arity, outputs, ct);
        if (fault == Fault.WrongResult) for (int i = 0; i < outputs.Length; i++) outputs[i] += Fr.One;
    }

    public void MerkleLayer(ReadOnlySpan<Fr> children, Span<Fr> parents, CancellationToken ct = default)
    {
        Misbehave(ct);
        inner.MerkleLayer(children, parents, ct);
        if (fault == Fault.WrongResult) for (int i = 0; i < parents.Length; i++) parents[i] += Fr.One;
    }

    public void KeccakBatch(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, Span<byte> digests, CancellationToken ct = default)
    {
        Misbehave(ct);
        inner.KeccakBatch(data, offsets, digests, ct);
        if (fault == Fault.WrongResult && digests.Length > 0) digests[0] ^= 1;
    }

    public void Dispose() => inner.Dispose();
}
