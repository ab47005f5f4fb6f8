using Microsoft.Extensions.Logging;
using Validium.Crypto;

namespace Validium.Accel.Gpu.Tests;

[Collection(GpuCollection.Name)]
public class BackendTests(GpuFixture fixture)
{
    private static bool RealDevicePresent => GpuBackend.EnumerateDevices().Any(d => d.IsGpu);

    [Fact]
    public void EmulatedBackendAdvertisesItsOps()
    {
        var caps = fixture.Backend.Capabilities;
        foreach (var op in new[] { AccelOp.MsmG1, AccelOp.Ntt, AccelOp.PoseidonBatch, AccelOp.MerkleLayer })
            Assert.True(caps.Supports(op), $"{op} missing");
        Assert.False(caps.Supports(AccelOp.MsmG2));
        Assert.False(caps.Supports(AccelOp.KeccakBatch));
        Assert.Equal(16, caps.MaxPoseidonArity);
        Assert.True(caps.MaxNttLog >= 10);
        Assert.Equal(DeviceKind.Gpu, fixture.Backend.Device.Kind);
    }

    [SkippableFact]
    public void EmulationIsNamedAsSuch()
    {
        Skip.If(RealDevicePresent, "a CUDA/OpenCL device is present, so the fixture may not be the CPU accelerator");
        Assert.Contains("emulation", fixture.Backend.Device.Name);
    }

    [Fact]
    public void UnsupportedOpsNameDeviceAndOp()
    {
        var e = Assert.Throws<NotSupportedException>(() => fixture.Backend.MsmG2([], []));
        Assert.Contains(nameof(AccelOp.MsmG2), e.Message);
        Assert.Contains(fixture.Backend.Device.ToString(), e.Message);
        e = Assert.Throws<NotSupportedException>(() => fixture.Backend.KeccakBatch([], [0], []));
        Assert.Contains(nameof(AccelOp.KeccakBatch), e.Message);
        Assert.Contains(fixture.Backend.Device.ToString(), e.Message);
    }

    [Fact]
    public void EnumerateDevicesSeesTheCpuAccelerator()
    {
        var devices = GpuBackend.EnumerateDevices();
        Assert.Contains(devices, d => d.AcceleratorType == "CPU" && !d.IsGpu);
    }

    [SkippableFact]
    public void WithoutEmulationAndWithoutGpuCreationFails()
    {
        Skip.If(RealDevicePresent, "a CUDA/OpenCL device is present");
        Assert.False(GpuBackend.TryCreate(new GpuBackendOptions(), null, out var backend));
        Assert.Null(backend);
    }

    [Fact]
    public void TryCreateNeverThrows()
    {
        Assert.False(GpuBackend.TryCreate(null!, null, out var backend));
        Assert.Null(backend);
        var bad = new GpuBackendOptions { AllowCpuEmulation = true, MsmPointsPerThread = 1 };
        Assert.False(GpuBackend.TryCreate(bad, null, out backend));
        Assert.Null(backend);
    }

    [Fact]
    public void CreationFailuresAreLoggedWithTheReason()
    {
        var logger = new ListLogger();
        var bad = new GpuBackendOptions { AllowCpuEmulation = true, MsmPointsPerThread = 1 };
        Assert.False(GpuBackend.TryCreate(bad, logger, out _));
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("MsmPointsPerThread", entry.Exception?.Message);
    }

    [SkippableFact]
    public void MissingGpuIsLoggedAsTheReason()
    {
        Skip.If(RealDevicePresent, "a CUDA/OpenCL device is present");
        var logger = new ListLogger();
        Assert.False(GpuBackend.TryCreate(new GpuBackendOptions(), logger, out _));
        Assert.Contains(logger.Entries, e => e.Message.Contains("No CUDA or OpenCL"));
    }

    /// <summary>The shortcut that skips making an ILGPU context must only be taken where ILGPU would find no GPU either.</summary>
    [SkippableFact]
    public void WithoutDriverLibrariesIlgpuSeesNoGpuAndCreationSaysWhy()
    {
        Skip.If(GpuBackend.DriverLibraryPresent(), "a CUDA or OpenCL driver library is installed here");
        Assert.DoesNotContain(GpuBackend.EnumerateDevices(), d => d.IsGpu);
        var logger = new ListLogger();
        Assert.False(GpuBackend.TryCreate(new GpuBackendOptions(), logger, out var backend));
        Assert.Null(backend);
        Assert.Contains(logger.Entries, e => e.Message.Contains("driver library"));
    }

    [SkippableFact]
    public void GpuFoundByIlgpuImpliesDriverLibrary()
    {
        Skip.IfNot(RealDevicePresent, "no CUDA or OpenCL device on this machine");
        Assert.True(GpuBackend.DriverLibraryPresent());
    }

    [Fact]
    public void WithoutPoseidonParametersHashingIsNotOffered()
    {
        Assert.True(GpuBackend.TryCreate(new GpuBackendOptions { AllowCpuEmulation = true, PoseidonParameters = null }, null, out var backend));
        using (backend)
        {
            Assert.False(backend.Capabilities.Supports(AccelOp.PoseidonBatch));
            Assert.False(backend.Capabilities.Supports(AccelOp.MerkleLayer));
            Assert.Throws<NotSupportedException>(() => backend.PoseidonBatch(new Fr[2], 2, new Fr[1]));
        }
        Assert.Throws<ObjectDisposedException>(() => backend.MsmG1([G1Affine.Generator], [Fr.One]));
    }

    /// <summary>The hardware harness tests the emulated kernels beside a real GPU, so this must not need AllowCpuEmulation.</summary>
    [Fact]
    public void CpuEmulationOnlyPicksTheCpuAccelerator()
    {
        Assert.True(GpuBackend.TryCreate(new GpuBackendOptions { CpuEmulationOnly = true }, null, out var backend));
        using (backend)
        {
            Assert.Contains("ILGPU CPU emulation", backend.Device.Name);
            Assert.Equal("CPU", backend.AcceleratorType.ToString());
        }
    }

    /// <summary>The same checks as the emulated suite, on real hardware when this machine has it.</summary>
    [SkippableFact]
    public void RealDeviceMatchesReference()
    {
        Skip.IfNot(RealDevicePresent, "no CUDA or OpenCL device on this machine");
        Assert.True(GpuBackend.TryCreate(new GpuBackendOptions(), null, out var backend));
        using var _ = backend;
        var (rng, seed) = GpuFixture.Seeded();
        var points = Enumerable.Range(0, 257).Select(_ => GpuFixture.RandomPoint(rng)).ToArray();
        var scalars = Enumerable.Range(0, 257).Select(_ => Fr.Random(rng)).ToArray();
        var expected = G1Jacobian.Infinity;
        for (int i = 0; i < points.Length; i++) expected = expected.Add(points[i].ToJacobian().Multiply(scalars[i]));
        Assert.True(expected == backend.MsmG1(points, scalars), $"MSM; seed {seed}");

        var values = scalars[..256];
        var v = (Fr[])values.Clone();
        backend.Ntt(v, new NttOptions(false, Fr.MultiplicativeGenerator));
        backend.Ntt(v, new NttOptions(true, Fr.MultiplicativeGenerator));
        Assert.True(values.SequenceEqual(v), $"NTT round trip; seed {seed}");

        var hashes = new Fr[128];
        backend.MerkleLayer(values, hashes);
        for (int i = 0; i < hashes.Length; i++)
            Assert.True(Poseidon.Hash(values[2 * i], values[2 * i + 1]) == hashes[i], $"Merkle {i}; seed {seed}");
    }
}

internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception), exception));
}
