using Validium.Crypto;

namespace Validium.Accel;

public sealed partial class AccelDispatcher
{
    private delegate TJ MsmCall<TJ, TA>(IAccelBackend backend, ReadOnlySpan<TA> points, ReadOnlySpan<Fr> scalars, CancellationToken ct);

    public G1Jacobian MsmG1(ReadOnlySpan<G1Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default) =>
        Msm<G1Jacobian, G1Affine>(AccelOp.MsmG1, points, scalars, static (b, p, s, t) => b.MsmG1(p, s, t), ct);

    public G2Jacobian MsmG2(ReadOnlySpan<G2Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default) =>
        Msm<G2Jacobian, G2Affine>(AccelOp.MsmG2, points, scalars, static (b, p, s, t) => b.MsmG2(p, s, t), ct);

    private TJ Msm<TJ, TA>(AccelOp op, ReadOnlySpan<TA> points, ReadOnlySpan<Fr> scalars, MsmCall<TJ, TA> call, CancellationToken ct)
        where TJ : struct, IJacobianPoint<TJ, TA>
        where TA : struct, IAffinePoint<TA>
    {
        Validate.Msm(points.Length, scalars.Length);
        var b = Pick(op, points.Length, 0, record: true);
        if (b is null) return call(registry.Cpu, points, scalars, ct);
        // The device runs on its own task, which cannot hold spans: it gets copies.
        var pa = points.ToArray();
        var sa = scalars.ToArray();
        if (!TryOnDevice(b, op, t => call(b, pa, sa, t), ct, out var r)) return call(registry.Cpu, pa, sa, ct);
        if (!SampleSpotCheck()) return r;
        var reference = call(registry.Cpu, pa, sa, ct);
        if (reference.Equals(r)) return r;
        Mismatch(op, b, $"MSM of {pa.Length} points: device {r}, CPU {reference}");
        return reference;
    }

    public void Ntt(Span<Fr> values, NttOptions options, CancellationToken ct = default)
    {
        Validate.NttLog(values.Length);
        var b = Pick(AccelOp.Ntt, values.Length, 0, record: true);
        if (b is null) { registry.Cpu.Ntt(values, options, ct); return; }
        var input = values.ToArray();
        if (!TryOnDevice(b, AccelOp.Ntt, t => { var w = (Fr[])input.Clone(); b.Ntt(w, options, t); return w; }, ct, out var r))
        {
            registry.Cpu.Ntt(values, options, ct);
            return;
        }
        if (SampleSpotCheck())
        {
            registry.Cpu.Ntt(values, options, ct);
            if (!values.SequenceEqual(r)) { Mismatch(AccelOp.Ntt, b, $"NTT of size {values.Length} differs from the CPU"); return; }
        }
        r.CopyTo(values);
    }

    private delegate void HashCall(IAccelBackend backend, ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, CancellationToken ct);

    public void PoseidonBatch(ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, CancellationToken ct = default) =>
        Hashes(AccelOp.PoseidonBatch, inputs, arity, outputs, static (b, i, a, o, t) => b.PoseidonBatch(i, a, o, t), ct);

    public void MerkleLayer(ReadOnlySpan<Fr> children, Span<Fr> parents, CancellationToken ct = default) =>
        Hashes(AccelOp.MerkleLayer, children, 2, parents, static (b, i, _, o, t) => b.MerkleLayer(i, o, t), ct);

    /// <summary>Batches of independent Poseidon hashes: a few sampled outputs check a device's whole answer.</summary>
    private void Hashes(AccelOp op, ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, HashCall call, CancellationToken ct)
    {
        Validate.PoseidonBatch(inputs.Length, arity, outputs.Length);
        var b = Pick(op, outputs.Length, arity, record: true);
        if (b is null) { call(registry.Cpu, inputs, arity, outputs, ct); return; }
        var input = inputs.ToArray();
        int count = outputs.Length;
        if (!TryOnDevice(b, op, t => { var o = new Fr[count]; call(b, input, arity, o, t); return o; }, ct, out var r))
        {
            call(registry.Cpu, input, arity, outputs, ct);
            return;
        }
        if (SampleSpotCheck() && !SpotCheckHashes(input, arity, r, out var detail))
        {
            Mismatch(op, b, detail);
            call(registry.Cpu, input, arity, outputs, ct);
            return;
        }
        r.CopyTo(outputs);
    }

    public void KeccakBatch(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, Span<byte> digests, CancellationToken ct = default)
    {
        Validate.KeccakBatch(data.Length, offsets, digests.Length);
        var b = Pick(AccelOp.KeccakBatch, offsets.Length - 1, 0, record: true);
        if (b is null) { registry.Cpu.KeccakBatch(data, offsets, digests, ct); return; }
        var d = data.ToArray();
        var o = offsets.ToArray();
        int outLen = digests.Length;
        if (!TryOnDevice(b, AccelOp.KeccakBatch, t => { var r = new byte[outLen]; b.KeccakBatch(d, o, r, t); return r; }, ct, out var result))
        {
            registry.Cpu.KeccakBatch(d, o, digests, ct);
            return;
        }
        if (SampleSpotCheck())
        {
            registry.Cpu.KeccakBatch(d, o, digests, ct);
            if (!digests.SequenceEqual(result)) Mismatch(AccelOp.KeccakBatch, b, $"Keccak batch of {o.Length - 1} messages differs from the CPU");
            return;
        }
        result.CopyTo(digests);
    }

    /// <summary>Hashes are independent, so a handful of sampled positions checks a whole batch cheaply.</summary>
    private bool SpotCheckHashes(Fr[] inputs, int arity, Fr[] outputs, out string detail)
    {
        const int samples = 8;
        var idx = new int[Math.Min(samples, outputs.Length)];
        lock (samplerLock)
            for (int i = 0; i < idx.Length; i++) idx[i] = sampler.Next(outputs.Length);
        foreach (int i in idx)
        {
            var expect = Poseidon.Hash(inputs.AsSpan(i * arity, arity));
            if (expect != outputs[i])
            {
                detail = $"hash {i} of {outputs.Length}: device {outputs[i]}, CPU {expect}";
                return false;
            }
        }
        detail = "";
        return true;
    }
}
