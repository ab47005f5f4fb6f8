using Validium.Crypto;

namespace Validium.Accel.Gpu.Tests;

/// <summary>
/// One backend for the whole test run: compiling the kernels is the slow part, and every test here runs on
/// ILGPU's CPU accelerator (there is no GPU in CI), so the whole suite shares one device.
/// </summary>
public sealed class GpuFixture : IDisposable
{
    public GpuBackend Backend { get; }

    public GpuFixture()
    {
        // Three points per thread makes even these small MSMs fold bucket sums over several levels.
        var options = new GpuBackendOptions { AllowCpuEmulation = true, PoseidonParameters = TestPoseidon.Parameters, MsmPointsPerThread = 3 };
        if (!GpuBackend.TryCreate(options, null, out var backend))
            throw new InvalidOperationException("the ILGPU CPU accelerator should always be available");
        Backend = backend;
    }

    public void Dispose() => Backend.Dispose();

    /// <summary>A seeded generator whose seed goes into every assertion message, so a failure can be replayed.</summary>
    public static (Random Rng, int Seed) Seeded()
    {
        int seed = Random.Shared.Next();
        return (new Random(seed), seed);
    }

    public static G1Affine RandomPoint(Random rng) => (G1Jacobian.Generator * Fr.Random(rng)).ToAffine();
}

[CollectionDefinition(Name)]
public sealed class GpuCollection : ICollectionFixture<GpuFixture>
{
    public const string Name = "gpu";
}
