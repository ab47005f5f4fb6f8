using Validium.Accel;

namespace Validium.HwTests;

/// <summary>
/// Something the harness can test: a backend on a device, named the way <c>vld hw test --device</c> takes it.
/// Simulated targets exist on every machine; the others need hardware and are skipped, with the reason, without it.
/// </summary>
public sealed record HwTarget(string Id, DeviceKind Kind, bool Simulated, string Description)
{
    public bool IsBoard => Kind == DeviceKind.Fpga;
}

/// <summary>A target and whether this machine has it.</summary>
public sealed record TargetAvailability(HwTarget Target, bool Available, string Reason);

public static class Targets
{
    public const string Cpu = "cpu";
    public const string GpuCpuSim = "gpu-cpu-sim";
    public const string Gpu = "gpu";
    public const string FpgaSim = "fpga-sim";
    public const string FpgaSimXdma = "fpga-sim-xdma";
    public const string XdmaPrefix = "fpga-xdma";
    public const string SpiPrefix = "fpga-spidev";

    public static HwTarget CpuTarget => new(Cpu, DeviceKind.Cpu, false, "CPU backend (the reference and the fallback)");

    public static HwTarget GpuCpuSimTarget => new(GpuCpuSim, DeviceKind.Gpu, true, "GPU kernels on ILGPU's CPU accelerator");

    public static HwTarget GpuTarget => new(Gpu, DeviceKind.Gpu, false, "GPU kernels on the best CUDA or OpenCL device");

    public static HwTarget FpgaSimTarget => new(FpgaSim, DeviceKind.Fpga, true, "FPGA backend on the in-process board simulator over SPI + GPIO (CRC frames, READY line)");

    public static HwTarget FpgaSimXdmaTarget => new(FpgaSimXdma, DeviceKind.Fpga, true, "FPGA backend on the in-process board simulator over XDMA-like streams");

    public static HwTarget Xdma(int index) => new($"{XdmaPrefix}{index}", DeviceKind.Fpga, false, $"FPGA board on PCIe: /dev/xdma{index}_user, _h2c_0, _c2h_0");

    public static HwTarget Spi(int bus, int chipSelect) => new($"{SpiPrefix}{bus}.{chipSelect}", DeviceKind.Fpga, false, $"FPGA board on /dev/spidev{bus}.{chipSelect} with GPIO lines on /dev/gpiochip0");

    /// <summary>
    /// Every target the harness knows on this machine, available or not. Hardware this machine lacks still appears
    /// (one generic entry per kind of link), so a report lists its checks as skipped with the reason.
    /// </summary>
    public static IReadOnlyList<TargetAvailability> All(ProbeReport probe)
    {
        var list = new List<TargetAvailability> { new(CpuTarget, true, "") };
        var ilgpu = probe.Devices.Where(d => d.Category == ProbeCategory.Ilgpu && d.Usable).ToList();
        bool cpuAccel = ilgpu.Any(d => d.Details.StartsWith("CPU,", StringComparison.Ordinal));
        list.Add(new(GpuCpuSimTarget, cpuAccel, cpuAccel ? "" : "ILGPU lists no CPU accelerator"));
        bool gpu = ilgpu.Any(d => !d.Details.StartsWith("CPU,", StringComparison.Ordinal));
        list.Add(new(GpuTarget, gpu, gpu ? "" : "hardware only: ILGPU sees no CUDA or OpenCL device"));
        list.Add(new(FpgaSimTarget, true, ""));
        list.Add(new(FpgaSimXdmaTarget, true, ""));
        var xdma = probe.Devices.Where(d => d.Category == ProbeCategory.Xdma).ToList();
        foreach (var d in xdma)
            list.Add(new(Xdma(int.Parse(d.Id.AsSpan("xdma".Length), System.Globalization.CultureInfo.InvariantCulture)), d.Usable, d.Usable ? "" : d.Status));
        if (xdma.Count == 0)
            list.Add(new(new($"{XdmaPrefix}0", DeviceKind.Fpga, false, "FPGA board on PCIe (XDMA)"), false, $"hardware only: no {probe.DevDir}/xdma*_user device node"));
        var spi = probe.Devices.Where(d => d.Category == ProbeCategory.Spidev).ToList();
        bool gpio = probe.Devices.Any(d => d.Category == ProbeCategory.GpioChip);
        foreach (var d in spi)
        {
            var parts = d.Id["spidev".Length..].Split('.');
            var t = Spi(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            list.Add(new(t, gpio, gpio ? "" : $"hardware only: no {probe.DevDir}/gpiochip* for the RESET_N, READY and ERROR lines"));
        }
        if (spi.Count == 0)
            list.Add(new(new($"{SpiPrefix}0.0", DeviceKind.Fpga, false, "FPGA board on SPI + GPIO"), false, $"hardware only: no {probe.DevDir}/spidev* device node"));
        return list;
    }
}
