namespace Validium.FirmwareHost.Simulator;

/// <summary>
/// Faults to inject (fields, so the board can count them down in place), each a count of upcoming events it spoils (decremented as used), so a test states exactly
/// how many frames or jobs go wrong. Set from any thread; the board reads them under its lock.
/// </summary>
public sealed class BoardFaults
{
    /// <summary>SPI responses sent with one byte flipped (the host sees a CRC mismatch).</summary>
    public int CorruptResponses;

    /// <summary>SPI requests the board answers with BAD_CRC as if a bit flipped on the way in.</summary>
    public int CorruptRequests;

    /// <summary>Jobs whose output has the lowest bit of every 32-byte word flipped.</summary>
    public int FlipResultBits;

    /// <summary>Jobs that return a well-formed but wrong answer (MSM plus the generator; each hash plus one).</summary>
    public int WrongResults;

    /// <summary>Jobs that stay BUSY until reset.</summary>
    public int StuckBusy;

    /// <summary>Jobs that finish (STATUS DONE) without raising the READY line.</summary>
    public int LostReady;

    /// <summary>Bitstream loads whose configuration CRC fails (INIT_B falls).</summary>
    public int CorruptBitstreams;

    /// <summary>A VERSION value to report instead of the real one.</summary>
    public uint? ReportedVersion { get; set; }

    internal static bool Take(ref int counter)
    {
        if (counter <= 0) return false;
        counter--;
        return true;
    }
}

/// <summary>How long the engines take: a fixed start-up cost plus a per-item cost.</summary>
public sealed record LatencyModel(TimeSpan Fixed, TimeSpan PerMsmPoint, TimeSpan PerHash)
{
    public static LatencyModel None => new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public TimeSpan For(BoardOpcode op, uint count) =>
        Fixed + (op == BoardOpcode.MsmG1 ? PerMsmPoint : PerHash) * count;
}

public sealed class SimulatedBoardOptions
{
    public uint Version { get; set; } = BoardConstants.PackVersion(BoardConstants.SupportedMajor, BoardConstants.MinimumMinor, 0);

    public BoardCapabilities Capabilities { get; set; } = BoardCapabilities.MsmG1 | BoardCapabilities.Poseidon;

    public int MaxMsmLog { get; set; } = 12;

    public int MaxPoseidonArity { get; set; } = 16;

    public LatencyModel Latency { get; set; } = LatencyModel.None;

    public int TemperatureMilliCelsius { get; set; } = 45_000;

    public int ThermalLimitMilliCelsius { get; set; } = 100_000;
}
