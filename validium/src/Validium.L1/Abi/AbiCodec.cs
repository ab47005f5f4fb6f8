using System.Collections;
using System.Numerics;
using System.Text;
using Validium.Crypto;

namespace Validium.L1.Abi;

/// <summary>
/// The Solidity contract ABI encoding (docs.soliditylang.org, "Formal Specification of the Encoding").
/// Encoding checks every value against its type; decoding is strict (padding, sign extension, offsets and lengths
/// inside the data, bool 0/1, valid UTF-8) so malformed or hostile return data becomes a <see cref="FormatException"/>.
/// </summary>
public static class AbiCodec
{
    private const int Word = 32;
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Encodes values as the tuple (types...), the form of function arguments and return values.</summary>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count) throw new ArgumentException($"{types.Count} types but {values.Count} values");
        var buffer = new MemoryStream();
        EncodeTuple(types, values, buffer, "");
        return buffer.ToArray();
    }

    public static byte[] Encode(AbiType type, object? value) => Encode([type], [value]);

    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        return DecodeTuple(types, data, 0, "");
    }

    public static object? Decode(AbiType type, ReadOnlySpan<byte> data) => Decode([type], data)[0];

    /// <summary>The 32-byte word a static value occupies: what an indexed event topic holds for value types.</summary>
    public static byte[] EncodeWord(AbiType type, object? value)
    {
        if (type.IsDynamic || type.HeadSize != Word) throw new ArgumentException($"{type} does not fit in one word");
        return Encode(type, value);
    }

    private static void EncodeTuple(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values, MemoryStream output, string path)
    {
        int headSize = types.Sum(t => t.HeadSize);
        var tails = new MemoryStream();
        for (int i = 0; i < types.Count; i++)
        {
            var t = types[i];
            var p = $"{path}[{i}]";
            if (t.IsDynamic)
            {
                WriteWord(output, new BigInteger(headSize + tails.Length));
                EncodeValue(t, values[i], tails, p);
            }
            else EncodeValue(t, values[i], output, p);
        }
        tails.Position = 0;
        tails.CopyTo(output);
    }

    private static void EncodeValue(AbiType type, object? value, MemoryStream output, string path)
    {
        switch (type)
        {
            case AbiUInt u:
            {
                var v = ToInteger(value, type, path);
                if (v.Sign < 0 || v.GetBitLength() > u.Bits) throw Bad(path, type, value, $"out of range [0, 2^{u.Bits}-1]");
                WriteWord(output, v);
                break;
            }
            case AbiInt s:
            {
                var v = ToInteger(value, type, path);
                var bound = BigInteger.One << (s.Bits - 1);
                if (v < -bound || v >= bound) throw Bad(path, type, value, $"out of range [-2^{s.Bits - 1}, 2^{s.Bits - 1}-1]");
                WriteWord(output, v.Sign < 0 ? (BigInteger.One << 256) + v : v);
                break;
            }
            case AbiAddress:
            {
                var a = value switch
                {
                    EthereumAddress x => x,
                    string str when EthereumAddress.TryParse(str, out var parsed) => parsed,
                    _ => throw Bad(path, type, value, "expected an EthereumAddress"),
                };
                Span<byte> w = stackalloc byte[Word];
                w.Clear();
                a.WriteTo(w[12..]);
                output.Write(w);
                break;
            }
            case AbiBool:
                WriteWord(output, value is bool b ? (b ? BigInteger.One : BigInteger.Zero) : throw Bad(path, type, value, "expected a bool"));
                break;
            case AbiFixedBytes f:
            {
                var bytes = ToBytes(value, type, path);
                if (bytes.Length != f.Size) throw Bad(path, type, value, $"expected exactly {f.Size} bytes, got {bytes.Length}");
                Span<byte> w = stackalloc byte[Word];
                w.Clear();
                bytes.CopyTo(w);
                output.Write(w);
                break;
            }
            case AbiBytes:
                WritePadded(output, ToBytes(value, type, path));
                break;
            case AbiString:
                WritePadded(output, StrictUtf8.GetBytes(value as string ?? throw Bad(path, type, value, "expected a string")));
                break;
            case AbiArray arr:
            {
                var items = ToList(value, type, path);
                if (arr.Length is { } k && items.Count != k) throw Bad(path, type, value, $"expected {k} elements, got {items.Count}");
                if (arr.Length is null) WriteWord(output, items.Count);
                EncodeTuple(Enumerable.Repeat(arr.Element, items.Count).ToArray(), items, output, path);
                break;
            }
            case AbiTuple tuple:
            {
                var items = ToList(value, type, path);
                if (items.Count != tuple.Components.Count) throw Bad(path, type, value, $"expected {tuple.Components.Count} components, got {items.Count}");
                EncodeTuple(tuple.Components.Select(c => c.Type).ToArray(), items, output, path);
                break;
            }
            default:
                throw new NotSupportedException($"ABI type {type} cannot be encoded");
        }
    }

    private static object?[] DecodeTuple(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start, string path)
    {
        var result = new object?[types.Count];
        int head = start;
        for (int i = 0; i < types.Count; i++)
        {
            var t = types[i];
            var p = $"{path}[{i}]";
            if (t.IsDynamic)
            {
                int offset = ReadOffset(data, head, p);
                long at = (long)start + offset;
                if (at >= data.Length)
                    throw new FormatException($"ABI {p} ({t}): offset {offset} points past the end of the data ({data.Length} bytes)");
                result[i] = DecodeValue(t, data, (int)at, p);
            }
            else result[i] = DecodeValue(t, data, head, p);
            head += t.HeadSize;
        }
        return result;
    }

    private static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data, int at, string path)
    {
        switch (type)
        {
            case AbiUInt u:
            {
                var v = ReadUnsigned(data, at, path, type);
                if (v.GetBitLength() > u.Bits) throw new FormatException($"ABI {path} ({type}): value {v} does not fit in {u.Bits} bits");
                return v;
            }
            case AbiInt s:
            {
                var word = Slice(data, at, Word, path, type);
                var v = new BigInteger(word, isUnsigned: false, isBigEndian: true);
                var bound = BigInteger.One << (s.Bits - 1);
                if (v < -bound || v >= bound) throw new FormatException($"ABI {path} ({type}): value is not sign-extended from {s.Bits} bits");
                return v;
            }
            case AbiAddress:
            {
                var word = Slice(data, at, Word, path, type);
                if (word[..12].ContainsAnyExcept((byte)0)) throw new FormatException($"ABI {path} (address): the 12 padding bytes are not zero");
                return EthereumAddress.FromBytes(word[12..]);
            }
            case AbiBool:
            {
                var v = ReadUnsigned(data, at, path, type);
                if (v > 1) throw new FormatException($"ABI {path} (bool): value {v} is neither 0 nor 1");
                return v == 1;
            }
            case AbiFixedBytes f:
            {
                var word = Slice(data, at, Word, path, type);
                if (word[f.Size..].ContainsAnyExcept((byte)0)) throw new FormatException($"ABI {path} ({type}): padding after {f.Size} bytes is not zero");
                return word[..f.Size].ToArray();
            }
            case AbiBytes:
                return ReadPadded(data, at, path, type).ToArray();
            case AbiString:
            {
                var raw = ReadPadded(data, at, path, type);
                try
                {
                    return StrictUtf8.GetString(raw);
                }
                catch (DecoderFallbackException e)
                {
                    throw new FormatException($"ABI {path} (string): not valid UTF-8", e);
                }
            }
            case AbiArray arr:
            {
                int count;
                int start = at;
                if (arr.Length is { } k) count = k;
                else
                {
                    count = ReadLength(data, at, path, type);
                    start = at + Word;
                    // Each element takes at least its head in the data: a length beyond that is a lie, not a reason to allocate.
                    if ((long)count * arr.Element.HeadSize > data.Length - start)
                        throw new FormatException($"ABI {path} ({type}): length {count} needs more than the {data.Length - start} bytes left");
                }
                return DecodeTuple(Enumerable.Repeat(arr.Element, count).ToArray(), data, start, path);
            }
            case AbiTuple tuple:
                return DecodeTuple(tuple.Components.Select(c => c.Type).ToArray(), data, at, path);
            default:
                throw new NotSupportedException($"ABI type {type} cannot be decoded");
        }
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int at, int length, string path, AbiType type)
    {
        if (at < 0 || (long)at + length > data.Length)
            throw new FormatException($"ABI {path} ({type}): needs {length} bytes at offset {at} but the data is {data.Length} bytes");
        return data.Slice(at, length);
    }

    private static BigInteger ReadUnsigned(ReadOnlySpan<byte> data, int at, string path, AbiType type) =>
        new(Slice(data, at, Word, path, type), isUnsigned: true, isBigEndian: true);

    private static int ReadOffset(ReadOnlySpan<byte> data, int at, string path)
    {
        var v = new BigInteger(Slice(data, at, Word, path, AbiUInt256), isUnsigned: true, isBigEndian: true);
        if (v > data.Length) throw new FormatException($"ABI {path}: offset {v} is beyond the data ({data.Length} bytes)");
        return (int)v;
    }

    private static int ReadLength(ReadOnlySpan<byte> data, int at, string path, AbiType type)
    {
        var v = ReadUnsigned(data, at, path, type);
        if (v > data.Length) throw new FormatException($"ABI {path} ({type}): length {v} is beyond the data ({data.Length} bytes)");
        return (int)v;
    }

    private static ReadOnlySpan<byte> ReadPadded(ReadOnlySpan<byte> data, int at, string path, AbiType type)
    {
        int length = ReadLength(data, at, path, type);
        int padded = (length + Word - 1) / Word * Word;
        var region = Slice(data, at + Word, padded, path, type);
        if (region[length..].ContainsAnyExcept((byte)0)) throw new FormatException($"ABI {path} ({type}): padding after {length} bytes is not zero");
        return region[..length];
    }

    private static readonly AbiType AbiUInt256 = new AbiUInt(256);

    private static void WriteWord(MemoryStream output, BigInteger unsigned)
    {
        Span<byte> w = stackalloc byte[Word];
        w.Clear();
        int n = unsigned.GetByteCount(isUnsigned: true);
        unsigned.TryWriteBytes(w[(Word - n)..], out _, isUnsigned: true, isBigEndian: true);
        output.Write(w);
    }

    private static void WritePadded(MemoryStream output, ReadOnlySpan<byte> bytes)
    {
        WriteWord(output, bytes.Length);
        output.Write(bytes);
        int pad = (Word - bytes.Length % Word) % Word;
        Span<byte> zeros = stackalloc byte[Word];
        zeros.Clear();
        output.Write(zeros[..pad]);
    }

    private static BigInteger ToInteger(object? value, AbiType type, string path) => value switch
    {
        BigInteger b => b,
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => ul,
        short s => s,
        ushort us => us,
        byte by => by,
        sbyte sb => sb,
        UInt128 u128 => (BigInteger)u128,
        Int128 i128 => (BigInteger)i128,
        _ => throw Bad(path, type, value, "expected an integer"),
    };

    private static ReadOnlySpan<byte> ToBytes(object? value, AbiType type, string path) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.Span,
        Memory<byte> m => m.Span,
        _ => throw Bad(path, type, value, "expected a byte[]"),
    };

    private static IReadOnlyList<object?> ToList(object? value, AbiType type, string path) => value switch
    {
        string or byte[] or null => throw Bad(path, type, value, "expected a list (object?[])"),
        IReadOnlyList<object?> list => list,
        IEnumerable e => e.Cast<object?>().ToArray(),
        _ => throw Bad(path, type, value, "expected a list (object?[])"),
    };

    private static ArgumentException Bad(string path, AbiType type, object? value, string why) =>
        new($"ABI value {(path.Length == 0 ? "" : path + " ")}for {type}: {why} (got {Describe(value)})");

    private static string Describe(object? value) => value switch
    {
        null => "null",
        byte[] b => $"byte[{b.Length}]",
        string s => s.Length > 40 ? $"string of {s.Length} chars" : $"\"{s}\"",
        _ => $"{value.GetType().Name} {value}",
    };
}
