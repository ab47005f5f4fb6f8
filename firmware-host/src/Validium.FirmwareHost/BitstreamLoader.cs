using System.Device.Gpio;
using System.Device.Spi;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Validium.FirmwareHost;

/// <summary>Configuration lines of a Xilinx FPGA in slave-serial mode.</summary>
public sealed record ConfigPins(int ProgB = 23, int InitB = 24, int Done = 25);

/// <summary>
/// Loads a bitstream in slave-serial mode: pulse PROG_B low, wait for INIT_B to follow and rise again, shift the
/// bitstream out on SPI (MOSI = DIN, SCLK = CCLK), then clock until DONE rises. INIT_B falling during the load
/// is the FPGA reporting a configuration CRC error.
/// </summary>
public sealed class BitstreamLoader(SpiDevice configSpi, GpioController gpio, ConfigPins? pins = null, ILogger? logger = null)
{
    private static readonly byte[] SyncWord = [0xAA, 0x99, 0x55, 0x66];
    private readonly ConfigPins pins = pins ?? new ConfigPins();
    private readonly ILogger logger = logger ?? NullLogger.Instance;

    /// <summary>Extra clock bytes sent after the bitstream, per attempt, while waiting for DONE.</summary>
    public const int TrailerBytes = 8;

    public void Load(ReadOnlySpan<byte> bitstream, TimeSpan timeout, CancellationToken ct = default)
    {
        if (bitstream.IndexOf(SyncWord) < 0) throw new ArgumentException("bitstream has no sync word AA995566; not a Xilinx configuration image", nameof(bitstream));
        if (!gpio.IsPinOpen(pins.ProgB)) gpio.OpenPin(pins.ProgB, PinMode.Output, PinValue.High);
        if (!gpio.IsPinOpen(pins.InitB)) gpio.OpenPin(pins.InitB, PinMode.Input);
        if (!gpio.IsPinOpen(pins.Done)) gpio.OpenPin(pins.Done, PinMode.Input);
        gpio.Write(pins.ProgB, PinValue.Low);
        Wait(pins.InitB, PinValue.Low, timeout, "INIT_B to fall after PROG_B", ct);
        gpio.Write(pins.ProgB, PinValue.High);
        Wait(pins.InitB, PinValue.High, timeout, "INIT_B to rise (FPGA ready for configuration)", ct);
        for (int off = 0; off < bitstream.Length; off += SpiFrame.MaxPayload)
            configSpi.Write(bitstream.Slice(off, Math.Min(SpiFrame.MaxPayload, bitstream.Length - off)));
        var sw = Stopwatch.StartNew();
        Span<byte> trailer = stackalloc byte[TrailerBytes];
        trailer.Fill(0xFF);
        while (gpio.Read(pins.Done) == PinValue.Low)
        {
            if (gpio.Read(pins.InitB) == PinValue.Low) Fail("INIT_B fell during configuration: the FPGA rejected the bitstream (CRC error)");
            if (sw.Elapsed >= timeout) Fail($"DONE did not rise within {timeout.TotalMilliseconds:0} ms after {bitstream.Length} bytes");
            ct.ThrowIfCancellationRequested();
            configSpi.Write(trailer);
        }
        logger.LogInformation("bitstream of {Bytes} bytes loaded; DONE is high", bitstream.Length);
    }

    private void Wait(int pin, PinValue want, TimeSpan timeout, string what, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        while (gpio.Read(pin) != want)
        {
            if (sw.Elapsed >= timeout) Fail($"timed out after {timeout.TotalMilliseconds:0} ms waiting for {what}");
            ct.ThrowIfCancellationRequested();
            Thread.Sleep(1);
        }
    }

    private void Fail(string why)
    {
        string state = $"PROG_B={gpio.Read(pins.ProgB)} INIT_B={gpio.Read(pins.InitB)} DONE={gpio.Read(pins.Done)}";
        logger.LogError("bitstream load failed: {Why}; lines {Lines}", why, state);
        throw new BoardException($"bitstream load failed: {why}; lines {state}");
    }
}
