using Validium.Accel.Cpu;
using Validium.Accel.Fpga;
using Validium.Accel.Gpu;
using Validium.FirmwareHost;
using Validium.FirmwareHost.Simulator;

namespace Validium.Accel.Tests;

/// <summary>
/// Every backend the conformance suite holds to Validium.Crypto, created once per test run. A backend that
/// cannot be created here is recorded with the reason, and its tests are reported as skipped.
/// </summary>
public sealed class ConformanceBackends : IDisposable
{
    private readonly Dictionary<string, IAccelBackend> backends = [];
    private readonly Dictionary<string, string> missing = [];

    public static TheoryData<string> Names => ["cpu", "gpu-emulated", "fpga-sim-spi", "fpga-sim-xdma"];

    public ConformanceBackends()
    {
        backends["cpu"] = new CpuBackend(2);
        // ILGPU's CPU accelerator runs the GPU kernels without a GPU: small inputs only, it is ~20x slower.
        if (GpuBackend.TryCreate(new GpuBackendOptions { AllowCpuEmulation = true }, null, out var gpu)) backends["gpu-emulated"] = gpu;
        else missing["gpu-emulated"] = "ILGPU could not create its CPU accelerator";
        // The FPGA backend over the simulated board, on both links, so the board protocol is held to the same checks.
        AddFpga("fpga-sim-spi", 0, b => SimulatedTransports.Spi(b));
        AddFpga("fpga-sim-xdma", 1, b => SimulatedXdma.Transport(b));
    }

    private readonly List<SimulatedBoard> boards = [];

    private void AddFpga(string name, int index, Func<SimulatedBoard, IBoardTransport> link)
    {
        var board = new SimulatedBoard();
        boards.Add(board);
        if (FpgaBackend.TryCreate(() => link(board), index, null, null, out var fpga, out var why)) backends[name] = fpga!;
        else missing[name] = why;
    }

    /// <summary>The backend, or a skip naming why it is absent.</summary>
    public IAccelBackend Get(string name)
    {
        Skip.If(missing.TryGetValue(name, out var why), $"backend {name} is absent: {why}");
        return backends[name];
    }

    /// <summary>
    /// True when the backend lacks the op, after checking the contract for that case: the call fails
    /// loudly, naming the op, instead of returning something.
    /// </summary>
    public static bool Lacks(IAccelBackend b, AccelOp op, Action call)
    {
        if (b.Capabilities.Supports(op)) return false;
        var ex = Assert.Throws<NotSupportedException>(call);
        Assert.Contains(op.ToString(), ex.Message);
        return true;
    }

    public void Dispose()
    {
        foreach (var b in backends.Values) b.Dispose();
        foreach (var b in boards) b.Dispose();
    }
}
