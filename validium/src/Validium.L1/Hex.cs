using System.Buffers;
using System.Globalization;
using System.Numerics;

namespace Validium.L1;

/// <summary>
/// Ethereum JSON-RPC's two hex encodings: DATA (0x + two digits per byte, any length, even digit count) and
/// QUANTITY (0x + the shortest digits of an unsigned integer, "0x0" for zero, no leading zeros).
/// </summary>
public static class Hex
{
    public static string Encode(ReadOnlySpan<byte> data) => "0x" + Convert.ToHexStringLower(data);

    /// <summary>0x-prefixed DATA; an odd number of digits or a non-hex character is a <see cref="FormatException"/>.</summary>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) throw new FormatException($"hex data must start with 0x: '{Clip(hex)}'");
        var digits = hex.AsSpan(2);
        if (digits.Length % 2 != 0) throw new FormatException($"hex data has an odd number of digits: '{Clip(hex)}'");
        var bytes = new byte[digits.Length / 2];
        if (Convert.FromHexString(digits, bytes, out _, out _) != OperationStatus.Done) throw new FormatException($"not hex data: '{Clip(hex)}'");
        return bytes;
    }

    public static string EncodeQuantity(BigInteger value)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "a QUANTITY is unsigned");
        if (value.IsZero) return "0x0";
        return "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
    }

    public static string EncodeQuantity(long value) => EncodeQuantity((BigInteger)value);

    /// <summary>Accepts leading zeros (some nodes send them) but nothing else outside the QUANTITY form.</summary>
    public static BigInteger DecodeQuantity(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length == 2) throw new FormatException($"not a hex QUANTITY: '{Clip(hex)}'");
        var digits = hex.AsSpan(2);
        foreach (var c in digits)
            if (!char.IsAsciiHexDigit(c)) throw new FormatException($"not a hex QUANTITY: '{Clip(hex)}'");
        // A leading 0 keeps BigInteger from reading the top digit as a sign bit.
        return BigInteger.Parse(string.Concat("0", digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    public static long DecodeLong(string hex)
    {
        var v = DecodeQuantity(hex);
        if (v > long.MaxValue) throw new FormatException($"QUANTITY {Clip(hex)} does not fit in 63 bits");
        return (long)v;
    }

    private static string Clip(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
