using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;
using Validium.Crypto;

namespace Validium.Accel.Gpu;

public sealed partial class GpuBackend
{
    /// <summary>Validated constants per arity, already in device layout; the provider is asked once per arity.</summary>
    private readonly ConcurrentDictionary<int, (PoseidonKernelParameters Parameters, Limbs8[] RoundConstants, Limbs8[] Mds)> poseidonCache = new();

    public void PoseidonBatch(ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, CancellationToken ct = default)
    {
        if (arity < 1 || arity > options.MaxPoseidonArity)
            throw new ArgumentOutOfRangeException(nameof(arity), arity, $"Poseidon arity must be between 1 and {options.MaxPoseidonArity}");
        if (inputs.Length != outputs.Length * (long)arity)
            throw new ArgumentException($"{outputs.Length} hashes of arity {arity} need {outputs.Length * (long)arity} inputs, got {inputs.Length}", nameof(inputs));
        Hash(inputs, arity, outputs, AccelOp.PoseidonBatch, ct);
    }

    public void MerkleLayer(ReadOnlySpan<Fr> children, Span<Fr> parents, CancellationToken ct = default)
    {
        if (children.Length != 2L * parents.Length)
            throw new ArgumentException($"{parents.Length} parents need {2L * parents.Length} children, got {children.Length}", nameof(children));
        Hash(children, 2, parents, AccelOp.MerkleLayer, ct);
    }

    private void Hash(ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, AccelOp op, CancellationToken ct)
    {
        var provider = options.PoseidonParameters
            ?? throw new NotSupportedException($"{op} on {Device} needs Poseidon parameters (GpuBackendOptions.PoseidonParameters)");
        ct.ThrowIfCancellationRequested();
        int n = outputs.Length;
        if (n == 0) return;
        var (p, roundConstants, mds) = poseidonCache.GetOrAdd(arity, a =>
        {
            var prm = provider(a) ?? throw new ArgumentException($"no Poseidon parameters for arity {a}", nameof(arity));
            prm.Validate(a);
            return (prm, prm.RoundConstants.Select(Limbs8.From).ToArray(), prm.Mds.Select(Limbs8.From).ToArray());
        });
        var data = new Limbs8[inputs.Length];
        for (int i = 0; i < data.Length; i++) data[i] = Limbs8.From(inputs[i]);
        var result = new Limbs8[n];

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var dInputs = accelerator.Allocate1D(data);
            using var dState = accelerator.Allocate1D<Limbs8>((long)n * p.Width);
            using var dScratch = accelerator.Allocate1D<Limbs8>((long)n * p.Width);
            using var dConstants = accelerator.Allocate1D(roundConstants.Length == 0 ? new Limbs8[1] : roundConstants);
            using var dMds = accelerator.Allocate1D(mds);
            using var dOutputs = accelerator.Allocate1D<Limbs8>(n);
            Kernels.PoseidonPermute(n, dInputs.View, dState.View, dScratch.View, dConstants.View, dMds.View, dOutputs.View,
                new PoseidonShape(p.Width, p.FullRounds, p.PartialRounds, n));
            Checkpoint(ct);
            dOutputs.CopyToCPU(result);
        }
        for (int i = 0; i < n; i++) outputs[i] = result[i].ToFr();
    }
}
