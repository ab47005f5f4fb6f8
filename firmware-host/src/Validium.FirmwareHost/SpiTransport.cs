using System.Buffers.Binary;
using System.Device.Gpio;
using System.Device.Spi;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Validium.FirmwareHost;

/// <summary>GPIO lines of an SPI-attached board, in the controller's numbering.</summary>
public sealed record SpiBoardPins(int ResetN = 17, int Ready = 27, int Error = 22);

/// <summary>
/// Registers and data over SPI frames with CRC-32, ready/error/reset over GPIO. A frame whose CRC fails (either
/// way) is sent again, up to <see cref="CrcRetries"/> times; every request is idempotent (START while BUSY is
/// ignored by the board), so a repeat is safe.
/// </summary>
public sealed class SpiTransport : IBoardTransport
{
    private readonly SpiDevice spi;
    private readonly GpioController gpio;
    private readonly SpiBoardPins pins;
    private readonly ILogger logger;
    private readonly object link = new();

    public SpiTransport(SpiDevice spi, GpioController gpio, SpiBoardPins? pins = null, int crcRetries = 3, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(crcRetries);
        this.spi = spi;
        this.gpio = gpio;
        this.pins = pins ?? new SpiBoardPins();
        this.logger = logger ?? NullLogger.Instance;
        CrcRetries = crcRetries;
        gpio.OpenPin(this.pins.ResetN, PinMode.Output, PinValue.High);
        gpio.OpenPin(this.pins.Ready, PinMode.Input);
        gpio.OpenPin(this.pins.Error, PinMode.Input);
        Name = $"spi{spi.ConnectionSettings.BusId}.{spi.ConnectionSettings.ChipSelectLine}";
    }

    public string Name { get; }

    public int CrcRetries { get; }

    /// <summary>Frames resent after a CRC failure since the transport was opened.</summary>
    public long CrcRetriesUsed { get; private set; }

    public uint ReadRegister(uint address) =>
        BinaryPrimitives.ReadUInt32LittleEndian(Exchange(SpiCommand.ReadRegister, address, 4, []));

    public void WriteRegister(uint address, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        Exchange(SpiCommand.WriteRegister, address, 4, v);
    }

    public void WriteData(uint address, ReadOnlySpan<byte> data)
    {
        for (int off = 0; off < data.Length; off += SpiFrame.MaxPayload)
        {
            var chunk = data.Slice(off, Math.Min(SpiFrame.MaxPayload, data.Length - off));
            Exchange(SpiCommand.WriteData, checked(address + (uint)off), (uint)chunk.Length, chunk);
        }
    }

    public void ReadData(uint address, Span<byte> data)
    {
        for (int off = 0; off < data.Length; off += SpiFrame.MaxPayload)
        {
            int n = Math.Min(SpiFrame.MaxPayload, data.Length - off);
            Exchange(SpiCommand.ReadData, checked(address + (uint)off), (uint)n, []).CopyTo(data.Slice(off, n));
        }
    }

    public bool WaitReady(TimeSpan timeout, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (gpio.Read(pins.Ready) == PinValue.High || gpio.Read(pins.Error) == PinValue.High) return true;
            if (sw.Elapsed >= timeout) return false;
            ct.ThrowIfCancellationRequested();
            Thread.Sleep(1);
        }
    }

    public void HardReset()
    {
        lock (link)
        {
            gpio.Write(pins.ResetN, PinValue.Low);
            Thread.Sleep(1);
            gpio.Write(pins.ResetN, PinValue.High);
        }
    }

    private byte[] Exchange(SpiCommand cmd, uint address, uint length, ReadOnlySpan<byte> payload)
    {
        var request = SpiFrame.Request(cmd, address, length, payload);
        var response = new byte[SpiFrame.ResponseLength(cmd, length)];
        lock (link)
        {
            for (int attempt = 0; ; attempt++)
            {
                spi.Write(request);
                spi.Read(response);
                var status = (SpiResponseStatus)response[0];
                // Error answers carry no payload, so they are shorter than the read clocked in: the CRC covers the declared frame.
                uint declared = BinaryPrimitives.ReadUInt32LittleEndian(response.AsSpan(1));
                int expected = response.Length - SpiFrame.ResponseHeader - SpiFrame.CrcBytes;
                bool crcOk = declared <= expected && SpiFrame.CrcOk(response.AsSpan(0, SpiFrame.ResponseHeader + (int)declared + SpiFrame.CrcBytes));
                if (crcOk && status == SpiResponseStatus.Ok && declared == expected)
                    return response.AsSpan(SpiFrame.ResponseHeader, expected).ToArray();
                if (crcOk && status != SpiResponseStatus.BadCrc)
                    throw new BoardException($"{Name}: board answered {status} with {declared} payload bytes to {cmd} at 0x{address:X8} (length {length})");
                string side = crcOk ? "board saw a bad request CRC" : "response CRC mismatch";
                if (attempt >= CrcRetries)
                {
                    logger.LogError("{Link}: {Command} at 0x{Address:X8} failed CRC {Attempts} times ({Side}); giving up", Name, cmd, address, attempt + 1, side);
                    throw new BoardCrcException($"{Name}: {cmd} at 0x{address:X8} failed CRC {attempt + 1} times ({side})");
                }
                CrcRetriesUsed++;
                logger.LogWarning("{Link}: {Command} at 0x{Address:X8}: {Side}, retry {Attempt} of {Retries}", Name, cmd, address, side, attempt + 1, CrcRetries);
            }
        }
    }

    public void Dispose()
    {
        spi.Dispose();
        gpio.Dispose();
    }
}
