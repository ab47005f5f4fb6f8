using System.Globalization;

namespace Validium.L1.Abi;

/// <summary>
/// A Solidity ABI type. Values use one .NET representation per kind, on input and on output:
/// uintN/intN → <see cref="System.Numerics.BigInteger"/> (any integer type accepted on input), address → <see cref="Crypto.EthereumAddress"/>,
/// bool → bool, bytes/bytesN → byte[], string → string, T[]/T[k]/tuple → object?[] (tuple components in declaration order).
/// </summary>
public abstract record AbiType
{
    /// <summary>The form used in signatures: uint256, (address,bytes32[])[2].</summary>
    public abstract string CanonicalName { get; }

    /// <summary>Dynamic types are encoded out of line behind a 32-byte offset.</summary>
    public abstract bool IsDynamic { get; }

    /// <summary>Bytes the value occupies in its tuple's head: 32 for dynamic types, the full inline size otherwise.</summary>
    public abstract int HeadSize { get; }

    public sealed override string ToString() => CanonicalName;

    /// <summary>Parses a canonical type string, e.g. "uint256", "(uint8,string)[]", "bytes32[4]". Aliases uint/int mean 256 bits.</summary>
    public static AbiType Parse(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        int pos = 0;
        var t = ParseAt(type, ref pos);
        if (pos != type.Length) throw new FormatException($"ABI type '{type}': unexpected '{type[pos..]}'");
        return t;
    }

    /// <summary>A type from solc's JSON form: "tuple[2][]" takes its components from the parameter's components list.</summary>
    public static AbiType FromJson(string type, IReadOnlyList<AbiParameter>? components)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.StartsWith("tuple", StringComparison.Ordinal)) return Parse(type);
        if (components is null) throw new FormatException($"ABI type '{type}' has no components");
        AbiType t = new AbiTuple(components);
        int pos = "tuple".Length;
        t = ParseSuffixes(type, ref pos, t);
        if (pos != type.Length) throw new FormatException($"ABI type '{type}': unexpected '{type[pos..]}'");
        return t;
    }

    private static AbiType ParseAt(string s, ref int pos)
    {
        AbiType t;
        if (pos < s.Length && s[pos] == '(')
        {
            pos++;
            var parts = new List<AbiParameter>();
            if (pos < s.Length && s[pos] == ')') pos++;
            else
            {
                while (true)
                {
                    parts.Add(new AbiParameter("", ParseAt(s, ref pos)));
                    if (pos >= s.Length) throw new FormatException($"ABI type '{s}': unclosed '('");
                    char c = s[pos++];
                    if (c == ')') break;
                    if (c != ',') throw new FormatException($"ABI type '{s}': expected ',' or ')' at {pos - 1}");
                }
            }
            t = new AbiTuple(parts);
        }
        else
        {
            int start = pos;
            while (pos < s.Length && char.IsAsciiLetterOrDigit(s[pos])) pos++;
            t = Elementary(s[start..pos], s);
        }
        return ParseSuffixes(s, ref pos, t);
    }

    private static AbiType ParseSuffixes(string s, ref int pos, AbiType t)
    {
        while (pos < s.Length && s[pos] == '[')
        {
            int close = s.IndexOf(']', pos);
            if (close < 0) throw new FormatException($"ABI type '{s}': unclosed '['");
            var len = s[(pos + 1)..close];
            if (len.Length == 0) t = new AbiArray(t, null);
            else if (int.TryParse(len, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k > 0 && len[0] != '0')
                t = new AbiArray(t, k);
            else throw new FormatException($"ABI type '{s}': array length '{len}' is not a positive integer");
            pos = close + 1;
        }
        return t;
    }

    private static AbiType Elementary(string name, string whole)
    {
        switch (name)
        {
            case "address": return AbiAddress.Instance;
            case "bool": return AbiBool.Instance;
            case "string": return AbiString.Instance;
            case "bytes": return AbiBytes.Instance;
            case "uint": return new AbiUInt(256);
            case "int": return new AbiInt(256);
            case "function": return new AbiFixedBytes(24);
        }
        if (name.StartsWith("uint", StringComparison.Ordinal)) return new AbiUInt(Width(name[4..], whole));
        if (name.StartsWith("int", StringComparison.Ordinal)) return new AbiInt(Width(name[3..], whole));
        if (name.StartsWith("bytes", StringComparison.Ordinal)
            && int.TryParse(name[5..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 32 && name[5] != '0')
            return new AbiFixedBytes(n);
        throw new FormatException($"ABI type '{whole}': unknown type '{name}'");
    }

    private static int Width(string digits, string whole)
    {
        if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int bits) && bits is >= 8 and <= 256 && bits % 8 == 0 && digits[0] != '0')
            return bits;
        throw new FormatException($"ABI type '{whole}': integer width must be a multiple of 8 in [8, 256]");
    }
}

public sealed record AbiUInt : AbiType
{
    public AbiUInt(int bits)
    {
        if (bits is < 8 or > 256 || bits % 8 != 0) throw new ArgumentOutOfRangeException(nameof(bits), "integer width must be a multiple of 8 in [8, 256]");
        Bits = bits;
    }

    public int Bits { get; }
    public override string CanonicalName => $"uint{Bits}";
    public override bool IsDynamic => false;
    public override int HeadSize => 32;
}

public sealed record AbiInt : AbiType
{
    public AbiInt(int bits)
    {
        if (bits is < 8 or > 256 || bits % 8 != 0) throw new ArgumentOutOfRangeException(nameof(bits), "integer width must be a multiple of 8 in [8, 256]");
        Bits = bits;
    }

    public int Bits { get; }
    public override string CanonicalName => $"int{Bits}";
    public override bool IsDynamic => false;
    public override int HeadSize => 32;
}

public sealed record AbiAddress : AbiType
{
    public static readonly AbiAddress Instance = new();
    public override string CanonicalName => "address";
    public override bool IsDynamic => false;
    public override int HeadSize => 32;
}

public sealed record AbiBool : AbiType
{
    public static readonly AbiBool Instance = new();
    public override string CanonicalName => "bool";
    public override bool IsDynamic => false;
    public override int HeadSize => 32;
}

public sealed record AbiFixedBytes : AbiType
{
    public AbiFixedBytes(int size)
    {
        if (size is < 1 or > 32) throw new ArgumentOutOfRangeException(nameof(size), "bytesN has N in [1, 32]");
        Size = size;
    }

    public int Size { get; }
    public override string CanonicalName => $"bytes{Size}";
    public override bool IsDynamic => false;
    public override int HeadSize => 32;
}

public sealed record AbiBytes : AbiType
{
    public static readonly AbiBytes Instance = new();
    public override string CanonicalName => "bytes";
    public override bool IsDynamic => true;
    public override int HeadSize => 32;
}

public sealed record AbiString : AbiType
{
    public static readonly AbiString Instance = new();
    public override string CanonicalName => "string";
    public override bool IsDynamic => true;
    public override int HeadSize => 32;
}

/// <summary>T[] when <see cref="Length"/> is null, T[k] otherwise.</summary>
public sealed record AbiArray : AbiType
{
    public AbiArray(AbiType element, int? length)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (length is <= 0) throw new ArgumentOutOfRangeException(nameof(length), "a fixed array length is positive");
        Element = element;
        Length = length;
    }

    public AbiType Element { get; }
    public int? Length { get; }
    public override string CanonicalName => $"{Element.CanonicalName}[{Length}]";
    public override bool IsDynamic => Length is null || Element.IsDynamic;
    public override int HeadSize => IsDynamic ? 32 : checked(Length!.Value * Element.HeadSize);
}

/// <summary>A tuple (Solidity struct); component names are kept for display and do not take part in equality of encodings.</summary>
public sealed record AbiTuple : AbiType
{
    public AbiTuple(IReadOnlyList<AbiParameter> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        Components = components.ToArray();
    }

    public IReadOnlyList<AbiParameter> Components { get; }
    public override string CanonicalName => "(" + string.Join(",", Components.Select(c => c.Type.CanonicalName)) + ")";
    public override bool IsDynamic => Components.Any(c => c.Type.IsDynamic);
    public override int HeadSize => IsDynamic ? 32 : Components.Sum(c => c.Type.HeadSize);

    public bool Equals(AbiTuple? other) => other is not null && CanonicalName == other.CanonicalName;

    public override int GetHashCode() => CanonicalName.GetHashCode(StringComparison.Ordinal);
}

/// <summary>A named, typed slot of a function, event, error or tuple; <see cref="Indexed"/> only matters for events.</summary>
public sealed record AbiParameter(string Name, AbiType Type, bool Indexed = false, string? InternalType = null);
