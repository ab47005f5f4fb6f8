namespace Validium.FirmwareHost;

/// <summary>
/// How the host reaches a board: registers, the two data windows, the ready/interrupt signal and a hard reset.
/// SPI+GPIO, PCIe XDMA and the in-process simulator all sit behind this, so <see cref="BoardClient"/> is one.
/// </summary>
public interface IBoardTransport : IDisposable
{
    /// <summary>For logs: which link and which device files or bus.</summary>
    string Name { get; }

    uint ReadRegister(uint address);

    void WriteRegister(uint address, uint value);

    /// <summary>Writes into the input window; <paramref name="address"/> is absolute (see <see cref="DataWindow"/>).</summary>
    void WriteData(uint address, ReadOnlySpan<byte> data);

    void ReadData(uint address, Span<byte> data);

    /// <summary>Waits for the board's ready/interrupt signal; false when it did not come within the timeout.</summary>
    bool WaitReady(TimeSpan timeout, CancellationToken ct);

    /// <summary>Resets the board by the strongest means the link has (reset line, else SOFT_RESET).</summary>
    void HardReset();
}

public class BoardException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A frame failed its CRC more often than the retry budget allows.</summary>
public sealed class BoardCrcException(string message) : BoardException(message);

/// <summary>The board is not one this host can drive (wrong identity or firmware version).</summary>
public sealed class IncompatibleBoardException(string message) : BoardException(message);

/// <summary>The board reported ERROR_CODE for a job.</summary>
public sealed class BoardJobException(BoardError code, string message) : BoardException(message)
{
    public BoardError Code { get; } = code;
}

/// <summary>A wait ran out; the board was reset and re-initialised before this was thrown.</summary>
public sealed class BoardTimeoutException(string message) : TimeoutException(message);

/// <summary>The die stayed too hot to start a job within the throttle wait.</summary>
public sealed class BoardOverTemperatureException(string message) : BoardException(message);
