using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Validium.Sequencer;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, as in iSCSI, ext4 and RocksDB). The served
/// System.IO.Hashing has no Crc32C, and <see cref="BitOperations.Crc32C(uint, ulong)"/> is the hardware
/// instruction (SSE4.2 / ARMv8 CRC) with a software fallback, so eight bytes go in per step.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a finished CRC over more bytes: Append(Compute(a), b) == Compute(a ++ b).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong w in words)
            state = BitOperations.Crc32C(state, BitConverter.IsLittleEndian ? w : BinaryPrimitives.ReverseEndianness(w));
        foreach (byte b in data[(words.Length * 8)..])
            state = BitOperations.Crc32C(state, b);
        return ~state;
    }
}
