namespace Validium.Accel;

public enum AccelMode
{
    /// <summary>The best device that implements the op (GPU, then FPGA), else the CPU.</summary>
    Auto,
    Cpu,
    Gpu,
    Fpga,
}

public sealed class AccelOptions
{
    public AccelMode Mode { get; set; } = AccelMode.Auto;

    /// <summary>A device call slower than this is abandoned and the CPU result used instead.</summary>
    public TimeSpan DeviceTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fraction of device calls recomputed on the CPU and compared. A device result that disagrees is
    /// discarded, and the device is quarantined for the rest of the process.
    /// </summary>
    public double SpotCheckRate { get; set; } = 0.01;

    /// <summary>Seed of the spot-check sampler, so a failing run can be repeated.</summary>
    public int SpotCheckSeed { get; set; } = 1;

    /// <summary>Calls smaller than this stay on the CPU: transfer costs more than the work.</summary>
    public int MinDeviceSize { get; set; } = 1;

    public static AccelMode ParseMode(string s) => s.Trim().ToLowerInvariant() switch
    {
        "auto" => AccelMode.Auto,
        "cpu" => AccelMode.Cpu,
        "gpu" => AccelMode.Gpu,
        "fpga" => AccelMode.Fpga,
        _ => throw new ArgumentException($"accelerator mode must be auto, cpu, gpu or fpga, got '{s}'"),
    };
}
