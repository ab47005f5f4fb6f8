using System.Buffers.Binary;

namespace Validium.L1.Rlp;

/// <summary>
/// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B). The decoder accepts only the canonical
/// encoding of each item (shortest length form, single bytes below 0x80 as themselves), so a value has one
/// accepted encoding and transaction hashes cannot be varied by re-encoding.
/// </summary>
public static class Rlp
{
    // A decoded list may not nest deeper than this: real Ethereum objects nest 3 levels, and a hostile input
    // of nested empty lists must not exhaust the stack.
    private const int MaxDepth = 64;

    public static byte[] Encode(RlpItem item)
    {
        var buffer = new byte[EncodedLength(item)];
        int written = Write(item, buffer);
        System.Diagnostics.Debug.Assert(written == buffer.Length);
        return buffer;
    }

    public static int EncodedLength(RlpItem item)
    {
        if (!item.IsList)
        {
            var b = item.Bytes;
            if (b.Length == 1 && b[0] < 0x80) return 1;
            return HeaderLength(b.Length) + b.Length;
        }
        int payload = PayloadLength(item);
        return HeaderLength(payload) + payload;
    }

    /// <summary>Decodes exactly one item that spans all of <paramref name="encoded"/>.</summary>
    public static RlpItem Decode(ReadOnlySpan<byte> encoded)
    {
        int consumed = DecodeItem(encoded, 0, out var item);
        if (consumed != encoded.Length) throw new FormatException($"RLP: {encoded.Length - consumed} trailing bytes after the item");
        return item;
    }

    private static int PayloadLength(RlpItem list)
    {
        long sum = 0;
        foreach (var child in list.Items) sum += EncodedLength(child);
        if (sum > int.MaxValue) throw new ArgumentException("RLP list is too large to encode");
        return (int)sum;
    }

    private static int HeaderLength(int payload) => payload < 56 ? 1 : 1 + ByteCount(payload);

    private static int ByteCount(int value) => value switch { < 1 << 8 => 1, < 1 << 16 => 2, < 1 << 24 => 3, _ => 4 };

    private static int Write(RlpItem item, Span<byte> dst)
    {
        if (!item.IsList)
        {
            var b = item.Bytes;
            if (b.Length == 1 && b[0] < 0x80)
            {
                dst[0] = b[0];
                return 1;
            }
            int h = WriteHeader(0x80, b.Length, dst);
            b.CopyTo(dst[h..]);
            return h + b.Length;
        }
        int offset = WriteHeader(0xc0, PayloadLength(item), dst);
        foreach (var child in item.Items) offset += Write(child, dst[offset..]);
        return offset;
    }

    private static int WriteHeader(byte baseByte, int length, Span<byte> dst)
    {
        if (length < 56)
        {
            dst[0] = (byte)(baseByte + length);
            return 1;
        }
        int n = ByteCount(length);
        dst[0] = (byte)(baseByte + 55 + n);
        Span<byte> be = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(be, length);
        be[(4 - n)..].CopyTo(dst[1..]);
        return 1 + n;
    }

    private static int DecodeItem(ReadOnlySpan<byte> src, int depth, out RlpItem item)
    {
        if (src.IsEmpty) throw new FormatException("RLP: unexpected end of input");
        if (depth > MaxDepth) throw new FormatException($"RLP: lists nest deeper than {MaxDepth}");
        byte prefix = src[0];
        if (prefix < 0x80)
        {
            item = RlpItem.String(src[..1]);
            return 1;
        }
        bool isList = prefix >= 0xc0;
        int baseByte = isList ? 0xc0 : 0x80;
        int header, length;
        if (prefix - baseByte < 56)
        {
            header = 1;
            length = prefix - baseByte;
        }
        else
        {
            int n = prefix - baseByte - 55;
            if (n > 4) throw new FormatException($"RLP: a {n}-byte length field is beyond what this decoder accepts");
            if (src.Length < 1 + n) throw new FormatException("RLP: length field runs past the end of input");
            if (src[1] == 0) throw new FormatException("RLP: length field has a leading zero (non-canonical)");
            long len = 0;
            for (int i = 0; i < n; i++) len = (len << 8) | src[1 + i];
            if (len < 56) throw new FormatException("RLP: long length form used for a length below 56 (non-canonical)");
            if (len > int.MaxValue) throw new FormatException("RLP: item is longer than 2 GiB");
            header = 1 + n;
            length = (int)len;
        }
        if ((long)header + length > src.Length) throw new FormatException($"RLP: item claims {length} bytes but only {src.Length - header} remain");
        var payload = src.Slice(header, length);
        if (!isList)
        {
            if (length == 1 && payload[0] < 0x80) throw new FormatException("RLP: single byte below 0x80 wrapped in a string header (non-canonical)");
            item = RlpItem.String(payload);
            return header + length;
        }
        var children = new List<RlpItem>();
        int offset = 0;
        while (offset < payload.Length)
        {
            offset += DecodeItem(payload[offset..], depth + 1, out var child);
            children.Add(child);
        }
        item = RlpItem.List(children);
        return header + length;
    }
}
