using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.Spi;
using Validium.Accel;
using Validium.Accel.Cpu;
using Validium.Accel.Fpga;
using Validium.Accel.Gpu;
using Validium.FirmwareHost;
using Validium.FirmwareHost.Simulator;

namespace Validium.HwTests;

/// <summary>
/// One target brought up the way the appliance brings devices up: its backend registered beside the CPU, a
/// dispatcher in that device's mode (spot-checking every call), and every log line captured. When the device
/// cannot be opened, the registry holds only the CPU and <see cref="OpenFailure"/> says why.
/// </summary>
public sealed class DeviceSession : IDisposable
{
    private SpiTransport? spi;

    private DeviceSession(HwTarget target, HarnessOptions options)
    {
        Target = target;
        Log = new LogCapture(options.Log);
        Registry = new BackendRegistry(new CpuBackend(Environment.ProcessorCount));
        var mode = target.Kind switch
        {
            DeviceKind.Gpu => AccelMode.Gpu,
            DeviceKind.Fpga => AccelMode.Fpga,
            _ => AccelMode.Cpu,
        };
        Dispatcher = new AccelDispatcher(Registry, new AccelOptions { Mode = mode, SpotCheckRate = 1, SpotCheckSeed = options.Seed, DeviceTimeout = options.DeviceTimeout },
            Log.For<AccelDispatcher>());
    }

    public HwTarget Target { get; }

    public LogCapture Log { get; }

    public BackendRegistry Registry { get; }

    public AccelDispatcher Dispatcher { get; }

    /// <summary>The device's backend; the CPU backend for the cpu target; null when the device could not be opened.</summary>
    public IAccelBackend? Backend { get; private set; }

    public string? OpenFailure { get; private set; }

    /// <summary>The simulated board behind a simulator target (for fault injection).</summary>
    public SimulatedBoard? Board { get; private set; }

    public BoardClient? Client => (Backend as FpgaBackend)?.Client;

    /// <summary>
    /// Opens a target. <paramref name="beforeOpen"/> runs on a simulated board before the driver first touches it,
    /// so faults that show at bring-up (a wrong firmware version) are seen by the real initialisation.
    /// </summary>
    public static DeviceSession Open(HwTarget target, HarnessOptions options, Action<SimulatedBoard>? beforeOpen = null)
    {
        var s = new DeviceSession(target, options);
        try
        {
            s.OpenBackend(options, beforeOpen);
        }
        catch
        {
            s.Dispose();
            throw;
        }
        return s;
    }

    private void OpenBackend(HarnessOptions options, Action<SimulatedBoard>? beforeOpen)
    {
        switch (Target.Id)
        {
            case Targets.Cpu:
                Backend = Registry.Cpu;
                return;
            case Targets.GpuCpuSim or Targets.Gpu:
                var gpuOptions = Target.Simulated ? new GpuBackendOptions { AllowCpuEmulation = true, CpuEmulationOnly = true } : new GpuBackendOptions();
                if (GpuBackend.TryCreate(gpuOptions, Log.For<GpuBackend>(), out var gpu)) Add(gpu);
                else OpenFailure = Target.Simulated ? "ILGPU could not create its CPU accelerator" : "no CUDA or OpenCL device could be opened";
                return;
        }
        if (Target.Simulated)
        {
            Board = new SimulatedBoard();
            beforeOpen?.Invoke(Board);
        }
        var clientOptions = new BoardClientOptions
        {
            JobTimeout = Target.Simulated ? options.SimulatorJobTimeout : options.HardwareJobTimeout,
            ThrottleWait = options.ThrottleWait,
            ThrottlePoll = TimeSpan.FromMilliseconds(20),
        };
        IBoardTransport transport;
        try
        {
            transport = OpenTransport(options.DevDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or DllNotFoundException or InvalidOperationException or ArgumentException)
        {
            OpenFailure = $"cannot open {Target.Id}: {ex.GetType().Name}: {ex.Message}";
            return;
        }
        if (FpgaBackend.TryCreate(() => transport, 0, clientOptions, Log.For<BoardClient>(), out var fpga, out var why)) Add(fpga!);
        else OpenFailure = why;
    }

    private IBoardTransport OpenTransport(string devDir)
    {
        switch (Target.Id)
        {
            case Targets.FpgaSim:
                return spi = SimulatedTransports.Spi(Board!, 3, Log.For<SpiTransport>());
            case Targets.FpgaSimXdma:
                return SimulatedXdma.Transport(Board!, "xdma-sim");
        }
        if (Target.Id.StartsWith(Targets.XdmaPrefix, StringComparison.Ordinal))
            return XdmaTransport.Open(int.Parse(Target.Id.AsSpan(Targets.XdmaPrefix.Length), System.Globalization.CultureInfo.InvariantCulture), devDir);
        var parts = Target.Id[Targets.SpiPrefix.Length..].Split('.');
        var device = SpiDevice.Create(new SpiConnectionSettings(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))
        {
            ClockFrequency = 10_000_000,
            Mode = SpiMode.Mode0,
        });
        try
        {
            return spi = new SpiTransport(device, new GpioController(new LibGpiodDriver(0)), null, 3, Log.For<SpiTransport>());
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private void Add(IAccelBackend backend)
    {
        Registry.Register(backend);
        Backend = backend;
    }

    /// <summary>What the driver and the dispatcher have counted so far.</summary>
    public Observation Observe() => new(
        spi?.CrcRetriesUsed ?? 0,
        Client?.Resets ?? 0,
        Client?.Hangs ?? 0,
        Client?.LostReadySignals ?? 0,
        Client?.ThermalHolds ?? 0,
        Client?.ThermalRefusals ?? 0,
        Dispatcher.TotalFallbacks,
        Backend is not null && Dispatcher.Quarantined.ContainsKey(Backend.Device),
        Log.Count);

    public void Dispose()
    {
        Registry.Dispose();
        Board?.Dispose();
    }
}
