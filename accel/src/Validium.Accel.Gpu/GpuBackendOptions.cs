namespace Validium.Accel.Gpu;

/// <summary>How <see cref="GpuBackend.TryCreate"/> picks a device and what it can offer.</summary>
public sealed record GpuBackendOptions
{
    /// <summary>
    /// Accept ILGPU's CPU accelerator when no CUDA or OpenCL device exists. It runs the same kernels far slower
    /// than the CPU backend, so it is for CI and tests on machines without a GPU, never for production.
    /// </summary>
    public bool AllowCpuEmulation { get; init; }

    /// <summary>
    /// Use ILGPU's CPU accelerator even when a GPU is present, so the hardware harness can run the kernels
    /// emulated beside the real device. Implies <see cref="AllowCpuEmulation"/>.
    /// </summary>
    public bool CpuEmulationOnly { get; init; }

    /// <summary>
    /// Poseidon constants per arity; without it the backend does not offer PoseidonBatch or MerkleLayer.
    /// Defaults to circomlib's, the ones Validium.Crypto's Poseidon uses.
    /// </summary>
    public Func<int, PoseidonKernelParameters>? PoseidonParameters { get; init; } = CircomlibPoseidon;

    /// <summary>circomlib's parameters for t = arity + 1, as Validium.Crypto generates them.</summary>
    public static PoseidonKernelParameters CircomlibPoseidon(int arity)
    {
        var p = Validium.Crypto.PoseidonParameters.Get(arity + 1);
        return PoseidonKernelParameters.FromMatrix(p.FullRounds, p.PartialRounds, [.. p.RoundConstants], [.. p.Mds.Select(r => r.ToArray())]);
    }

    /// <summary>Largest arity accepted by PoseidonBatch (circomlib goes up to 16).</summary>
    public int MaxPoseidonArity { get; init; } = 16;

    /// <summary>
    /// Most points one MSM thread adds in sequence (at least 2). Larger runs mean fewer partial sums to fold, smaller
    /// ones more parallelism for skewed inputs where many scalars share a digit.
    /// </summary>
    public int MsmPointsPerThread { get; init; } = 32;
}

/// <summary>One device as ILGPU sees it (for <c>vld accel devices</c>).</summary>
/// <param name="IsGpu">CUDA or OpenCL: chosen by <see cref="GpuBackend.TryCreate"/> without <see cref="GpuBackendOptions.AllowCpuEmulation"/>.</param>
public sealed record GpuDeviceInfo(int Index, string AcceleratorType, string Name, long MemoryBytes, int MaxThreadsPerGroup, bool IsGpu, string Note)
{
    public override string ToString() =>
        $"{Index}: {AcceleratorType} {Name} ({MemoryBytes / (1024 * 1024)} MiB, {MaxThreadsPerGroup} threads/group){(IsGpu ? "" : " - emulation only")}{(Note.Length > 0 ? $" - {Note}" : "")}";
}
