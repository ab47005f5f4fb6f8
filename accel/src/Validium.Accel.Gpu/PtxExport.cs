using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Validium.Accel.Gpu;

/// <summary>
/// Compiles the kernels to PTX without a CUDA device or driver, so CI can prove every kernel is accepted by the
/// CUDA code generator (no BigMul, no managed allocation, …) and hardware engineers can inspect the output.
/// </summary>
public static class PtxExport
{
    /// <summary>PTX text per kernel for a compute capability such as (8, 0) or (9, 0).</summary>
    public static IReadOnlyList<(string Kernel, string Ptx)> CompileAll(int smMajor, int smMinor)
    {
        var arch = (smMajor, smMinor) switch
        {
            (8, 0) => CudaArchitecture.SM_80,
            (8, 6) => CudaArchitecture.SM_86,
            (8, 9) => CudaArchitecture.SM_89,
            (9, 0) => CudaArchitecture.SM_90,
            _ => throw new ArgumentOutOfRangeException(nameof(smMajor), $"sm_{smMajor}{smMinor} is not a target this project compiles for"),
        };
        using var context = Context.Create(b => b.CPU());
        // ISA 8.0 is the newest PTX ISA ILGPU 1.5.3 knows; it covers sm_90, and the driver JIT-compiles it forward.
        using var backend = new PTXBackend(context, new CudaCapabilityContext(arch), arch, CudaInstructionSet.ISA_80, null);
        return KernelSet.Catalog.Select(m => (Name(m), Compile(backend, m))).ToList();
    }

    private static string Name(MethodInfo m) => $"{m.DeclaringType!.Name}.{m.Name}";

    private static string Compile(PTXBackend backend, MethodInfo kernel)
    {
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty);
        return compiled.PTXAssembly;
    }
}
