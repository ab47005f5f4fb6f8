using System.Buffers.Binary;
using System.Device.Spi;

namespace Validium.FirmwareHost.Simulator;

/// <summary>The board's SPI slave: takes a request frame on Write, answers on the next Read, as hardware.md says.</summary>
public sealed class SimulatedSpiDevice(SimulatedBoard board, int busId = 0, int chipSelect = 0) : SpiDevice
{
    private byte[]? pending;

    public override SpiConnectionSettings ConnectionSettings { get; } = new(busId, chipSelect);

    public override void Write(ReadOnlySpan<byte> buffer) => pending = Answer(buffer);

    public override void WriteByte(byte value) => Write([value]);

    public override void Read(Span<byte> buffer)
    {
        // With no request pending the slave drives MISO high: all-ones, which never passes the CRC.
        buffer.Fill(0xFF);
        if (pending is null) return;
        pending.AsSpan(0, Math.Min(pending.Length, buffer.Length)).CopyTo(buffer);
        pending = null;
    }

    public override byte ReadByte()
    {
        Span<byte> b = stackalloc byte[1];
        Read(b);
        return b[0];
    }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        // Full duplex shifts out the previous answer while the new request comes in.
        Read(readBuffer);
        Write(writeBuffer);
    }

    private byte[] Answer(ReadOnlySpan<byte> f)
    {
        if (f.Length < SpiFrame.RequestHeader + SpiFrame.CrcBytes || !SpiFrame.CrcOk(f) || BoardFaults.Take(ref board.Faults.CorruptRequests))
            return SpiFrame.Response(SpiResponseStatus.BadCrc, []);
        var cmd = (SpiCommand)f[0];
        uint address = BinaryPrimitives.ReadUInt32LittleEndian(f[1..]);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(f[5..]);
        var payload = f[SpiFrame.RequestHeader..^SpiFrame.CrcBytes];
        byte[] response;
        try
        {
            response = cmd switch
            {
                SpiCommand.ReadRegister when length == 4 && payload.IsEmpty => Ok(BitConverterLe(board.ReadRegister(address))),
                SpiCommand.WriteRegister when length == 4 && payload.Length == 4 => WriteRegister(address, BinaryPrimitives.ReadUInt32LittleEndian(payload)),
                SpiCommand.WriteData when length == payload.Length && length <= SpiFrame.MaxPayload => WriteData(address, payload),
                SpiCommand.ReadData when payload.IsEmpty && length <= SpiFrame.MaxPayload => Ok(ReadData(address, (int)length)),
                _ => SpiFrame.Response(SpiResponseStatus.BadCommand, []),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            response = SpiFrame.Response(SpiResponseStatus.BadAddress, []);
        }
        if (BoardFaults.Take(ref board.Faults.CorruptResponses)) response[response.Length / 2] ^= 0x10;
        return response;
    }

    private byte[] WriteData(uint address, ReadOnlySpan<byte> payload)
    {
        board.WriteData(address, payload);
        return Ok([]);
    }

    private byte[] ReadData(uint address, int length)
    {
        var b = new byte[length];
        board.ReadData(address, b);
        return b;
    }

    private byte[] WriteRegister(uint address, uint value)
    {
        board.WriteRegister(address, value);
        return Ok([]);
    }

    private static byte[] Ok(ReadOnlySpan<byte> payload) => SpiFrame.Response(SpiResponseStatus.Ok, payload);

    private static byte[] BitConverterLe(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }
}
