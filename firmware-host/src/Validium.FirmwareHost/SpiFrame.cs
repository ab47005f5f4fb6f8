using System.Buffers.Binary;
using System.IO.Hashing;

namespace Validium.FirmwareHost;

public enum SpiCommand : byte
{
    ReadRegister = 0x01,
    WriteRegister = 0x02,
    WriteData = 0x03,
    ReadData = 0x04,
}

public enum SpiResponseStatus : byte
{
    Ok = 0x00,
    BadCrc = 0x01,
    BadCommand = 0x02,
    BadAddress = 0x03,
}

/// <summary>
/// SPI frames, each protected by CRC-32 (IEEE). Request: command u8, address u32, length u32, payload (writes
/// only), CRC u32. Response, clocked out in the next transaction: status u8, length u32, payload (reads only),
/// CRC u32. Integers are little-endian; the CRC covers every byte before it.
/// </summary>
public static class SpiFrame
{
    public const int RequestHeader = 9;
    public const int ResponseHeader = 5;
    public const int CrcBytes = 4;

    /// <summary>The largest payload of one frame; longer transfers are split.</summary>
    public const int MaxPayload = 4096;

    public static byte[] Request(SpiCommand cmd, uint address, uint length, ReadOnlySpan<byte> payload)
    {
        var f = new byte[RequestHeader + payload.Length + CrcBytes];
        f[0] = (byte)cmd;
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(1), address);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(5), length);
        payload.CopyTo(f.AsSpan(RequestHeader));
        Seal(f);
        return f;
    }

    public static byte[] Response(SpiResponseStatus status, ReadOnlySpan<byte> payload)
    {
        var f = new byte[ResponseHeader + payload.Length + CrcBytes];
        f[0] = (byte)status;
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(f.AsSpan(ResponseHeader));
        Seal(f);
        return f;
    }

    /// <summary>Bytes the response to a request carries, so the host knows how much to clock in.</summary>
    public static int ResponseLength(SpiCommand cmd, uint length) => ResponseHeader + CrcBytes + cmd switch
    {
        SpiCommand.ReadRegister => 4,
        SpiCommand.ReadData => (int)length,
        _ => 0,
    };

    public static bool CrcOk(ReadOnlySpan<byte> frame) =>
        frame.Length >= CrcBytes && Crc32.HashToUInt32(frame[..^CrcBytes]) == BinaryPrimitives.ReadUInt32LittleEndian(frame[^CrcBytes..]);

    private static void Seal(Span<byte> f) => BinaryPrimitives.WriteUInt32LittleEndian(f[^CrcBytes..], Crc32.HashToUInt32(f[..^CrcBytes]));
}
