using System.Device.Gpio;
using Microsoft.Extensions.Logging;

namespace Validium.FirmwareHost.Simulator;

public static class SimulatedTransports
{
    /// <summary>The board on SPI+GPIO, through the same <see cref="SpiTransport"/> that drives hardware.</summary>
    public static SpiTransport Spi(SimulatedBoard board, int crcRetries = 3, ILogger? logger = null) =>
        new(new SimulatedSpiDevice(board), new GpioController(new SimulatedGpioDriver(board)), null, crcRetries, logger);

    /// <summary>A GPIO controller wired to the board, e.g. for <see cref="BitstreamLoader"/>.</summary>
    public static GpioController Gpio(SimulatedBoard board) => new(new SimulatedGpioDriver(board));
}
