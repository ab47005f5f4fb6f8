using Validium.FirmwareHost;
using Validium.FirmwareHost.Simulator;

namespace Validium.HwTests;

public enum FaultKind
{
    Crc,
    Bitflip,
    StuckBusy,
    LostReady,
    BadVersion,
    OverTemp,
}

/// <summary>
/// Puts one fault into a simulated board. This is the only place that knows what each fault is; what the stack
/// then does about it is read back from the driver and the dispatcher (<see cref="Observed"/>), not looked up here.
/// </summary>
public static class FaultInjection
{
    public static readonly IReadOnlyList<FaultKind> All = Enum.GetValues<FaultKind>();

    /// <summary>A die temperature above the host's throttle point (85 °C) and below the board's own limit.</summary>
    public const int HotMilliCelsius = 95_000;

    public static string Name(FaultKind f) => f switch
    {
        FaultKind.Crc => "crc",
        FaultKind.Bitflip => "bitflip",
        FaultKind.StuckBusy => "stuck-busy",
        FaultKind.LostReady => "lost-ready",
        FaultKind.BadVersion => "bad-version",
        _ => "over-temp",
    };

    public static FaultKind Parse(string s)
    {
        foreach (var f in All)
            if (Name(f) == s.Trim().ToLowerInvariant()) return f;
        throw new ArgumentException($"unknown fault '{s}'; expected one of {string.Join(", ", All.Select(Name))}");
    }

    public static string Describe(FaultKind f) => f switch
    {
        FaultKind.Crc => "one SPI response and one SPI request corrupted in transit",
        FaultKind.Bitflip => "the lowest bit of every 32-byte word of one job's result flipped",
        FaultKind.StuckBusy => "one job stays BUSY until the board is reset",
        FaultKind.LostReady => "one job finishes without raising READY",
        FaultKind.BadVersion => "the board reports firmware 0.9.0",
        _ => $"the die reads {HotMilliCelsius / 1000} °C",
    };

    /// <summary>Why a fault cannot show on a target's link, or null when it can.</summary>
    public static string? NotApplicable(FaultKind f, HwTarget target)
    {
        if (!target.Simulated || !target.IsBoard) return $"faults are injected into the board simulator; {target.Id} is not one (use {Targets.FpgaSim} or {Targets.FpgaSimXdma})";
        if (target.Id == Targets.FpgaSimXdma && f is FaultKind.Crc or FaultKind.LostReady)
            return $"{Name(f)} lives on the SPI + GPIO link (CRC frames, READY line); {Targets.FpgaSimXdma} has neither: use {Targets.FpgaSim}";
        return null;
    }

    /// <summary>Arms the fault; the function returned says afterwards whether the board actually produced it.</summary>
    public static Func<bool> Arm(SimulatedBoard board, FaultKind f)
    {
        var faults = board.Faults;
        switch (f)
        {
            case FaultKind.Crc:
                faults.CorruptResponses = 1;
                faults.CorruptRequests = 1;
                return () => faults.CorruptResponses == 0 && faults.CorruptRequests == 0;
            case FaultKind.Bitflip:
                faults.FlipResultBits = 1;
                return () => faults.FlipResultBits == 0;
            case FaultKind.StuckBusy:
                faults.StuckBusy = 1;
                return () => faults.StuckBusy == 0;
            case FaultKind.LostReady:
                faults.LostReady = 1;
                return () => faults.LostReady == 0;
            case FaultKind.BadVersion:
                faults.ReportedVersion = BoardConstants.PackVersion(0, 9, 0);
                return () => true;
            default:
                board.TemperatureMilliCelsius = HotMilliCelsius;
                return () => true;
        }
    }
}
