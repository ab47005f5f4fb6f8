namespace Validium.Accel.Gpu.Tests;

/// <summary>Every kernel must compile for the GPU targets we ship to, checked here without any GPU.</summary>
public class KernelExportTests
{
    [Theory]
    [InlineData(8, 0)]
    [InlineData(9, 0)]
    public void EveryKernelCompilesToPtx(int major, int minor)
    {
        var kernels = KernelExport.CompilePtx(major, minor);
        Assert.Equal(KernelSet.Catalog.Select(m => $"{m.DeclaringType!.Name}.{m.Name}").Order(), kernels.Select(k => k.Kernel).Order());
        foreach (var (kernel, ptx) in kernels)
        {
            Assert.Contains($".entry Kernel_{kernel.Split('.')[1]}(", ptx);
            Assert.Contains(".target sm_", ptx);
        }
        // The CUDA fast path: products go through inline mad.wide.u32 rather than widened 64-bit multiplies.
        Assert.Contains("mad.wide.u32", kernels.Single(k => k.Kernel == "FieldKernels.FrBinary").Code);
    }

    [Fact]
    public void EveryKernelCompilesToOpenCl()
    {
        var kernels = KernelExport.CompileOpenCl();
        Assert.Equal(KernelSet.Catalog.Count, kernels.Count);
        foreach (var (kernel, source) in kernels)
        {
            Assert.Contains("kernel void", source);
            Assert.DoesNotContain("mad.wide", source);
        }
    }

    [Fact]
    public void CatalogNamesEveryKernelClass()
    {
        var names = KernelSet.Catalog.Select(m => m.DeclaringType!.Name).Distinct().Order().ToArray();
        Assert.Equal(["FieldKernels", "MsmKernels", "NttKernels", "PoseidonKernels"], names);
        Assert.True(KernelSet.Catalog.Count >= 9, $"expected every kernel, found {KernelSet.Catalog.Count}");
    }

    [Fact]
    public void UnknownArchitectureIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelExport.CompilePtx(7, 5));
}
