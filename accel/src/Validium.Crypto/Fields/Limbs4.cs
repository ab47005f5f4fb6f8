using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Validium.Crypto;

/// <summary>Four little-endian 64-bit limbs: the raw storage of a 256-bit field element.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Limbs4 : IEquatable<Limbs4>
{
    public readonly ulong L0, L1, L2, L3;

    // Forced inline: Montgomery multiplication builds these in methods large enough to exhaust the JIT's inlining budget.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Limbs4(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3;
    }

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    public bool Equals(Limbs4 o) => ((L0 ^ o.L0) | (L1 ^ o.L1) | (L2 ^ o.L2) | (L3 ^ o.L3)) == 0;

    public override bool Equals(object? obj) => obj is Limbs4 o && Equals(o);

    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);

    public ulong this[int i] => i switch { 0 => L0, 1 => L1, 2 => L2, 3 => L3, _ => throw new ArgumentOutOfRangeException(nameof(i)) };

    public BigInteger ToBigInteger()
    {
        Span<byte> b = stackalloc byte[32];
        WriteLittleEndian(b);
        return new BigInteger(b, isUnsigned: true, isBigEndian: false);
    }

    public static Limbs4 FromBigInteger(BigInteger v)
    {
        if (v.Sign < 0 || v.GetBitLength() > 256) throw new ArgumentOutOfRangeException(nameof(v), "value does not fit in 256 bits");
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        v.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return ReadLittleEndian(b);
    }

    public void WriteLittleEndian(Span<byte> dst)
    {
        var d = MemoryMarshal.Cast<byte, ulong>(dst[..32]);
        if (BitConverter.IsLittleEndian) { d[0] = L0; d[1] = L1; d[2] = L2; d[3] = L3; }
        else throw new PlatformNotSupportedException("big-endian hosts are not supported");
    }

    public static Limbs4 ReadLittleEndian(ReadOnlySpan<byte> src)
    {
        if (src.Length < 32) throw new ArgumentException("need 32 bytes", nameof(src));
        var s = MemoryMarshal.Cast<byte, ulong>(src[..32]);
        return new Limbs4(s[0], s[1], s[2], s[3]);
    }

    public void WriteBigEndian(Span<byte> dst)
    {
        if (dst.Length < 32) throw new ArgumentException("need 32 bytes", nameof(dst));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(dst, L3);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(dst[8..], L2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(dst[16..], L1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(dst[24..], L0);
    }

    public static Limbs4 ReadBigEndian(ReadOnlySpan<byte> src)
    {
        if (src.Length < 32) throw new ArgumentException("need 32 bytes", nameof(src));
        return new Limbs4(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(src[24..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(src[16..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(src[8..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(src));
    }

    /// <summary>Bit i (0 = least significant).</summary>
    public int Bit(int i) => (int)((this[i >> 6] >> (i & 63)) & 1);

    public int BitLength => L3 != 0 ? 256 - BitOperations.LeadingZeroCount(L3)
        : L2 != 0 ? 192 - BitOperations.LeadingZeroCount(L2)
        : L1 != 0 ? 128 - BitOperations.LeadingZeroCount(L1)
        : 64 - BitOperations.LeadingZeroCount(L0);
}
