using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace Validium.Accel.Gpu;

/// <summary>
/// Compiles the kernels to PTX or OpenCL C without a device or driver, so CI can prove every kernel is accepted by
/// both GPU code generators (no BigMul, no managed allocation, no inline PTX leaking into OpenCL) and hardware
/// engineers can inspect the output.
/// </summary>
public static class KernelExport
{
    /// <summary>PTX text per kernel for a compute capability such as (8, 0) or (9, 0).</summary>
    public static IReadOnlyList<(string Kernel, string Code)> CompilePtx(int smMajor, int smMinor)
    {
        var arch = (smMajor, smMinor) switch
        {
            (8, 0) => CudaArchitecture.SM_80,
            (8, 6) => CudaArchitecture.SM_86,
            (8, 9) => CudaArchitecture.SM_89,
            (9, 0) => CudaArchitecture.SM_90,
            _ => throw new ArgumentOutOfRangeException(nameof(smMajor), $"sm_{smMajor}{smMinor} is not a target this project compiles for"),
        };
        using var context = GpuBackend.CreateContext(b => b.DefaultCPU());
        // ISA 8.0 is the newest PTX ISA ILGPU 1.5.3 knows; it covers sm_90, and the driver JIT-compiles it forward.
        using var backend = new PTXBackend(context, new CudaCapabilityContext(arch), arch, CudaInstructionSet.ISA_80, null);
        return CompileAll(backend, k => ((PTXCompiledKernel)k).PTXAssembly);
    }

    /// <summary>OpenCL C 2.0 source per kernel, for a device with no optional extensions (the lowest common denominator).</summary>
    public static IReadOnlyList<(string Kernel, string Code)> CompileOpenCl()
    {
        using var context = GpuBackend.CreateContext(b => b.DefaultCPU());
        var capabilities = new CLCapabilityContext(false, false, false, false, false);
        using var backend = new CLBackend(context, capabilities, CLDeviceVendor.Other, CLCVersion.CL20);
        return CompileAll(backend, k => ((CLCompiledKernel)k).Source);
    }

    private static List<(string, string)> CompileAll(Backend backend, Func<CompiledKernel, string> code) =>
        KernelSet.Catalog.Select(m => (Name(m), code(backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(m), KernelSpecialization.Empty)))).ToList();

    private static string Name(MethodInfo m) => $"{m.DeclaringType!.Name}.{m.Name}";
}
