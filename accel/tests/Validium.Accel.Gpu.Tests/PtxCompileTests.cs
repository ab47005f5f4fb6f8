namespace Validium.Accel.Gpu.Tests;

/// <summary>Every kernel must compile for the CUDA targets we ship to, checked here without any GPU.</summary>
public class PtxCompileTests
{
    [Theory]
    [InlineData(8, 0)]
    [InlineData(9, 0)]
    public void EveryKernelCompilesToPtx(int major, int minor)
    {
        var kernels = PtxExport.CompileAll(major, minor);
        Assert.Equal(KernelSet.Catalog.Count, kernels.Count);
        Assert.True(kernels.Count >= 8, $"expected every kernel in the catalog, found {kernels.Count}");
        foreach (var (kernel, ptx) in kernels)
        {
            Assert.Contains(".entry", ptx);
            Assert.Contains(".target sm_", ptx);
            Assert.True(ptx.Contains("mul.wide.u32") || ptx.Contains("mul.lo.u64") || !kernel.Contains("Field"), $"{kernel}: no wide multiply in the PTX");
        }
    }

    [Fact]
    public void CatalogNamesEveryKernelClass()
    {
        var names = KernelSet.Catalog.Select(m => m.DeclaringType!.Name).Distinct().Order().ToArray();
        Assert.Equal(["FieldKernels", "MsmKernels", "NttKernels", "PoseidonKernels"], names);
    }
}
