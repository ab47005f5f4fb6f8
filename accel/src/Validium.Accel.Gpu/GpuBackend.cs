using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using Microsoft.Extensions.Logging;
using Validium.Crypto;
using IlgpuDevice = ILGPU.Runtime.Device;

namespace Validium.Accel.Gpu;

/// <summary>
/// The ILGPU backend: MSM over G1, NTT over Fr, batch Poseidon and Merkle layers on a CUDA or OpenCL device,
/// or on ILGPU's CPU accelerator when the options allow emulation. Kernels are compiled once in
/// <see cref="TryCreate"/>; device buffers live for one call. Calls are serialised because they share one stream.
/// </summary>
public sealed partial class GpuBackend : IAccelBackend
{
    private readonly Context context;
    private readonly Accelerator accelerator;
    private readonly GpuBackendOptions options;
    private readonly object gate = new();
    private bool disposed;

    internal KernelSet Kernels { get; }

    public Device Device { get; }

    public DeviceCapabilities Capabilities { get; }

    /// <summary>Which ILGPU accelerator runs the kernels (Cuda, OpenCL or CPU); internal so callers need no ILGPU reference.</summary>
    internal AcceleratorType AcceleratorType => accelerator.AcceleratorType;

    private GpuBackend(Context context, Accelerator accelerator, int index, GpuBackendOptions options)
    {
        this.context = context;
        this.accelerator = accelerator;
        this.options = options;
        Kernels = new KernelSet(accelerator);
        string emulated = accelerator.AcceleratorType == AcceleratorType.CPU ? " (ILGPU CPU emulation)" : "";
        Device = new Device(DeviceKind.Gpu, index, accelerator.Name + emulated);
        var ops = new HashSet<AccelOp> { AccelOp.MsmG1, AccelOp.Ntt };
        if (options.PoseidonParameters is not null)
        {
            ops.Add(AccelOp.PoseidonBatch);
            ops.Add(AccelOp.MerkleLayer);
        }
        long memory = accelerator.MemorySize;
        Capabilities = new DeviceCapabilities(
            ops,
            MaxMsmSize: (int)Math.Min(int.MaxValue / 64, Math.Max(1, memory / MsmBytesPerPoint)),
            MaxNttLog: Math.Min(Fr.TwoAdicity, (int)Math.Log2(Math.Max(2, memory / NttBytesPerElement))),
            MaxPoseidonArity: options.PoseidonParameters is null ? 0 : options.MaxPoseidonArity,
            Details: $"ILGPU {accelerator.AcceleratorType} {accelerator.Name}, {memory / (1024 * 1024)} MiB, warp {accelerator.WarpSize}");
    }

    /// <summary>
    /// Opens the best device (CUDA, then OpenCL, then, only with <see cref="GpuBackendOptions.AllowCpuEmulation"/>,
    /// ILGPU's CPU accelerator) and compiles every kernel. Never throws: any failure is logged and reported as false,
    /// so the registry can fall back to the CPU backend.
    /// </summary>
    public static bool TryCreate(GpuBackendOptions options, ILogger? logger, [NotNullWhen(true)] out GpuBackend? backend)
    {
        backend = null;
        Context? context = null;
        Accelerator? accelerator = null;
        try
        {
            ArgumentNullException.ThrowIfNull(options);
            if (options.MsmPointsPerThread < 2)
                throw new ArgumentOutOfRangeException(nameof(options), options.MsmPointsPerThread, "MsmPointsPerThread must be at least 2");
            if (options.MaxPoseidonArity < 1)
                throw new ArgumentOutOfRangeException(nameof(options), options.MaxPoseidonArity, "MaxPoseidonArity must be at least 1");
            if (!options.AllowCpuEmulation && !options.CpuEmulationOnly && !DriverLibraryPresent())
            {
                logger?.LogInformation("No CUDA or OpenCL driver library can be loaded and CPU emulation is not allowed; the GPU backend is unavailable");
                return false;
            }
            context = CreateContext();
            var candidates = context.Devices
                .Select((d, i) => (Device: d, Index: i))
                .Where(c => options.CpuEmulationOnly
                    ? c.Device.AcceleratorType == AcceleratorType.CPU
                    : Rank(c.Device.AcceleratorType) < 2 || options.AllowCpuEmulation)
                .OrderBy(c => Rank(c.Device.AcceleratorType))
                .ThenByDescending(c => c.Device.MemorySize)
                .ToList();
            if (candidates.Count == 0)
            {
                logger?.LogInformation("No CUDA or OpenCL device found and CPU emulation is not allowed; the GPU backend is unavailable");
                context.Dispose();
                return false;
            }
            var chosen = candidates[0];
            accelerator = chosen.Device.CreateAccelerator(context);
            backend = new GpuBackend(context, accelerator, chosen.Index, options);
            logger?.LogInformation("GPU backend on {Device}: {Details}", backend.Device, backend.Capabilities.Details);
            return true;
        }
        catch (Exception e)
        {
            logger?.LogWarning(e, "GPU backend could not be created");
            accelerator?.Dispose();
            context?.Dispose();
            backend = null;
            return false;
        }
    }

    /// <summary>What ILGPU sees on this machine; never throws (a broken driver is reported as a note).</summary>
    public static IReadOnlyList<GpuDeviceInfo> EnumerateDevices()
    {
        try
        {
            using var context = CreateContext();
            return context.Devices.Select((d, i) => new GpuDeviceInfo(
                i, d.AcceleratorType.ToString(), d.Name, d.MemorySize, d.MaxNumThreadsPerGroup,
                IsGpu: Rank(d.AcceleratorType) < 2,
                Note: d.AcceleratorType == AcceleratorType.CPU ? "CPU emulation: tests only (AllowCpuEmulation)" : "")).ToList();
        }
        catch (Exception e)
        {
            return [new GpuDeviceInfo(-1, "none", "ILGPU failed to enumerate devices", 0, 0, false, e.Message)];
        }
    }

    /// <summary>
    /// Whether a CUDA or OpenCL driver library loads, by the names ILGPU binds to. Without one ILGPU can only offer
    /// its CPU accelerator, and making a context to find that out costs about 0.1 s of a core, which every
    /// `vld groth16 prove` on a machine without a GPU paid beside reading its key.
    /// </summary>
    internal static bool DriverLibraryPresent()
    {
        foreach (var name in DriverLibraries)
        {
            if (!NativeLibrary.TryLoad(name, typeof(Context).Assembly, null, out var handle)) continue;
            NativeLibrary.Free(handle);
            return true;
        }
        return false;
    }

    /// <summary>ILGPU's CUDA driver binding is "cuda" ("nvcuda" on Windows), its OpenCL one "OpenCL".</summary>
    private static readonly string[] DriverLibraries = ["cuda", "nvcuda", "OpenCL"];

    private static Context CreateContext() => CreateContext(b => b.Cuda().OpenCL().DefaultCPU());

    /// <summary>
    /// ILGPU inlines every call by default, which turns a G1 addition into ~16 copies of an unrolled Montgomery
    /// product (a 100k-line PTX kernel). Conservative inlining keeps the product a function and the kernels small,
    /// while the [AggressiveInlining] word-level helpers are still inlined into it.
    /// </summary>
    internal static Context CreateContext(Action<Context.Builder> devices) =>
        Context.Create(b =>
        {
            devices(b);
            b.Inlining(InliningMode.Conservative);
        });

    private static int Rank(AcceleratorType type) => type switch
    {
        AcceleratorType.Cuda => 0,
        AcceleratorType.OpenCL => 1,
        _ => 2,
    };

    public G2Jacobian MsmG2(ReadOnlySpan<G2Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default) =>
        throw new NotSupportedException($"{AccelOp.MsmG2} is not implemented by the GPU backend on {Device}");

    public void KeccakBatch(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, Span<byte> digests, CancellationToken ct = default) =>
        throw new NotSupportedException($"{AccelOp.KeccakBatch} is not implemented by the GPU backend on {Device}");

    /// <summary>Runs the conformance kernel for one field operation on Fp (fp = true) or Fr element-wise.</summary>
    internal Limbs8[] RunFieldOp(bool fp, FieldOp op, Limbs8[] a, Limbs8[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"operand lengths differ: {a.Length} and {b.Length}");
        if (a.Length == 0) return [];
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var da = accelerator.Allocate1D(a);
            using var db = accelerator.Allocate1D(b);
            using var dr = accelerator.Allocate1D<Limbs8>(a.Length);
            (fp ? Kernels.FpBinary : Kernels.FrBinary)(a.Length, da.View, db.View, dr.View, (int)op);
            accelerator.Synchronize();
            return dr.GetAsArray1D();
        }
    }

    /// <summary>Waits for the launches so far, then stops if the caller has cancelled.</summary>
    private void Checkpoint(CancellationToken ct)
    {
        accelerator.Synchronize();
        ct.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            accelerator.Dispose();
            context.Dispose();
        }
    }
}
