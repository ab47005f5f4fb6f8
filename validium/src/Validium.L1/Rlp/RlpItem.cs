using System.Numerics;

namespace Validium.L1.Rlp;

/// <summary>An RLP value: a byte string or a list of items. Immutable once built.</summary>
public sealed class RlpItem
{
    private readonly byte[]? bytes;
    private readonly RlpItem[]? items;

    private RlpItem(byte[]? bytes, RlpItem[]? items)
    {
        this.bytes = bytes;
        this.items = items;
    }

    public static readonly RlpItem Empty = new([], null);

    public static RlpItem String(ReadOnlySpan<byte> value) => new(value.ToArray(), null);

    public static RlpItem List(params RlpItem[] items) => new(null, (RlpItem[])items.Clone());

    public static RlpItem List(IEnumerable<RlpItem> items) => new(null, items.ToArray());

    /// <summary>An unsigned integer as RLP wants it: big-endian, no leading zero bytes, zero as the empty string.</summary>
    public static RlpItem Integer(BigInteger value)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "RLP integers are unsigned");
        return value.IsZero ? Empty : new RlpItem(value.ToByteArray(isUnsigned: true, isBigEndian: true), null);
    }

    public bool IsList => items is not null;

    public ReadOnlySpan<byte> Bytes => bytes ?? throw new FormatException("expected an RLP string, found a list");

    public IReadOnlyList<RlpItem> Items => items ?? throw new FormatException("expected an RLP list, found a string");

    /// <summary>Reads a canonical integer (no leading zeros), at most <paramref name="maxBytes"/> long.</summary>
    public BigInteger AsInteger(int maxBytes = 32)
    {
        var b = Bytes;
        if (b.Length > maxBytes) throw new FormatException($"RLP integer is {b.Length} bytes, at most {maxBytes} allowed");
        if (b.Length > 0 && b[0] == 0) throw new FormatException("RLP integer has a leading zero byte");
        return new BigInteger(b, isUnsigned: true, isBigEndian: true);
    }

    public ulong AsUInt64()
    {
        var v = AsInteger(8);
        return (ulong)v;
    }
}
