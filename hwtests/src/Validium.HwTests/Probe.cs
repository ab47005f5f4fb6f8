using System.Text.RegularExpressions;
using Validium.Accel.Gpu;
using Validium.FirmwareHost;
using Validium.FirmwareHost.Simulator;

namespace Validium.HwTests;

public enum ProbeCategory
{
    Ilgpu,
    Xdma,
    Spidev,
    GpioChip,
    Simulator,
}

/// <summary>One thing the probe found. Usable: the harness can drive it as it stands.</summary>
public sealed record ProbedDevice(ProbeCategory Category, string Id, string Name, string Details, bool Usable, string Status);

public sealed record ProbeReport(DateTimeOffset At, string Host, string DevDir, IReadOnlyList<ProbedDevice> Devices)
{
    public IReadOnlyList<TargetAvailability> Targets => HwTests.Targets.All(this);
}

/// <summary>
/// Finds what this machine has: ILGPU's accelerators (its CPU accelerator is always there), PCIe XDMA boards,
/// SPI buses and GPIO chips, and the in-process board simulator (brought up through the real driver, so a broken
/// simulator or driver shows here first).
/// </summary>
public static partial class DeviceProbe
{
    [GeneratedRegex(@"^xdma(\d+)_(.+)$")]
    private static partial Regex XdmaNode();

    [GeneratedRegex(@"^spidev(\d+)\.(\d+)$")]
    private static partial Regex SpiNode();

    [GeneratedRegex(@"^gpiochip(\d+)$")]
    private static partial Regex GpioNode();

    public static ProbeReport Run(HarnessOptions options)
    {
        var found = new List<ProbedDevice>();
        // ILGPU's CPU accelerator reports the address space as its memory: only a GPU's figure means anything.
        foreach (var g in GpuBackend.EnumerateDevices())
            found.Add(new(ProbeCategory.Ilgpu, $"ilgpu:{g.Index}", g.Name,
                g.IsGpu ? $"{g.AcceleratorType}, {g.MemoryBytes / (1024 * 1024)} MiB, {g.MaxThreadsPerGroup} threads/group" : $"{g.AcceleratorType}, {g.MaxThreadsPerGroup} threads/group",
                g.Index >= 0, g.IsGpu ? "GPU: target gpu" : g.Index >= 0 ? $"emulates kernels on the host: target {Targets.GpuCpuSim}" : g.Note));
        var nodes = Directory.Exists(options.DevDir) ? Directory.GetFileSystemEntries(options.DevDir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList() : [];
        foreach (var board in nodes.Select(n => XdmaNode().Match(n)).Where(m => m.Success).GroupBy(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).OrderBy(g => g.Key))
            found.Add(ProbeXdma(options.DevDir, board.Key, board.Select(m => m.Value).ToList()));
        foreach (var m in nodes.Select(n => SpiNode().Match(n)).Where(m => m.Success))
            found.Add(new(ProbeCategory.Spidev, m.Value, Path.Combine(options.DevDir, m.Value), $"SPI bus {m.Groups[1].Value}, chip select {m.Groups[2].Value}", true, "present"));
        foreach (var m in nodes.Select(n => GpioNode().Match(n)).Where(m => m.Success))
            found.Add(new(ProbeCategory.GpioChip, m.Value, Path.Combine(options.DevDir, m.Value), "GPIO character device", true, "present"));
        found.Add(ProbeSimulator());
        return new(DateTimeOffset.UtcNow, Environment.MachineName, options.DevDir, found);
    }

    /// <summary>A board needs its register window and both streams; its identity and version are read if it answers.</summary>
    private static ProbedDevice ProbeXdma(string devDir, int index, List<string> names)
    {
        string id = $"xdma{index}";
        string[] needed = [$"{id}_user", $"{id}_h2c_0", $"{id}_c2h_0"];
        var missing = needed.Where(n => !names.Contains(n)).ToList();
        string nodeList = string.Join(", ", names);
        if (missing.Count > 0) return new(ProbeCategory.Xdma, id, Path.Combine(devDir, id), nodeList, false, $"incomplete: no {string.Join(", ", missing)}");
        try
        {
            using var t = XdmaTransport.Open(index, devDir);
            uint ident = t.ReadRegister(Reg.Id);
            uint version = t.ReadRegister(Reg.Version);
            bool ours = ident == BoardConstants.IdValue;
            return new(ProbeCategory.Xdma, id, Path.Combine(devDir, id), $"{nodeList}; ID 0x{ident:X8}, VERSION {BoardConstants.FormatVersion(version)}",
                ours, ours ? "accelerator board" : $"ID 0x{ident:X8} is not an accelerator board");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BoardException)
        {
            return new(ProbeCategory.Xdma, id, Path.Combine(devDir, id), nodeList, false, $"does not answer: {ex.Message}");
        }
    }

    private static ProbedDevice ProbeSimulator()
    {
        using var board = new SimulatedBoard();
        using var client = new BoardClient(SimulatedXdma.Transport(board, "simulator"));
        var info = client.Initialise();
        var s = client.ReadSensors();
        return new(ProbeCategory.Simulator, "fpga-sim", "in-process accelerator board simulator",
            $"firmware {info.VersionText}, {info.Capabilities}, MSM up to 2^{info.MaxMsmLog}, Poseidon arity up to {info.MaxPoseidonArity}, {s.TemperatureMilliCelsius / 1000.0:0.0} °C",
            true, "initialised through BoardClient");
    }
}
