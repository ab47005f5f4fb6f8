using Microsoft.Extensions.Logging;

namespace Validium.HwTests;

/// <summary>What every harness command shares: where device nodes live, how long to wait, the input seed, a log sink.</summary>
public sealed record HarnessOptions
{
    /// <summary>Where to look for xdma*, spidev* and gpiochip* nodes (tests point it at a temporary folder).</summary>
    public string DevDir { get; init; } = "/dev";

    /// <summary>Seed of every generated input; reports carry it so a failure can be replayed.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// The board client's wait for a job. Shorter than <see cref="DeviceTimeout"/>, as in production, so a hung board
    /// is caught, reset and reported by the driver itself before the dispatcher gives up on the call.
    /// </summary>
    public TimeSpan SimulatorJobTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan HardwareJobTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan DeviceTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a hot board may hold a job before the driver refuses it.</summary>
    public TimeSpan ThrottleWait { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Where the driver's warnings and errors go besides the report (the CLI passes stderr); null: only the report.</summary>
    public ILogger? Log { get; init; }
}
