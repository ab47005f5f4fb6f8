using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Validium.Crypto;

/// <summary>A 20-byte Ethereum account address; prints with the EIP-55 mixed-case checksum.</summary>
public readonly struct EthereumAddress : IEquatable<EthereumAddress>
{
    public const int Length = 20;

    // Held as three integers so the struct is immutable and compares without touching an array.
    private readonly ulong hi;
    private readonly ulong mid;
    private readonly uint lo;

    private EthereumAddress(ulong hi, ulong mid, uint lo)
    {
        this.hi = hi;
        this.mid = mid;
        this.lo = lo;
    }

    public static EthereumAddress Zero => default;

    public static EthereumAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new ArgumentException($"an address is {Length} bytes, got {bytes.Length}", nameof(bytes));
        return new EthereumAddress(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], mid);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], lo);
    }

    public byte[] ToBytes()
    {
        var b = new byte[Length];
        WriteTo(b);
        return b;
    }

    /// <summary>
    /// 40 hex digits with a 0x prefix. All-lower or all-upper digits carry no checksum and are accepted as is;
    /// mixed case must be the exact EIP-55 checksum, since a mismatch there means a mistyped address.
    /// </summary>
    public static EthereumAddress Parse(string s) =>
        TryParse(s, out var a) ? a : throw new FormatException($"'{s}' is not a 0x-prefixed 20-byte address with a valid EIP-55 checksum");

    public static bool TryParse([NotNullWhen(true)] string? s, out EthereumAddress address)
    {
        address = default;
        if (s is null || s.Length != 2 + 2 * Length || !s.StartsWith("0x", StringComparison.Ordinal)) return false;
        var digits = s.AsSpan(2);
        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(digits, bytes, out _, out int written) != OperationStatus.Done || written != Length) return false;
        var candidate = FromBytes(bytes);
        bool hasLower = digits.ContainsAnyInRange('a', 'f'), hasUpper = digits.ContainsAnyInRange('A', 'F');
        if (hasLower && hasUpper && !digits.SequenceEqual(candidate.ToChecksumString().AsSpan(2))) return false;
        address = candidate;
        return true;
    }

    /// <summary>EIP-55: a hex letter is upper case when the matching nibble of keccak256(lower-case hex) is 8 or more.</summary>
    public string ToChecksumString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        Span<char> hex = stackalloc char[2 * Length];
        Convert.TryToHexStringLower(bytes, hex, out _);
        Span<byte> ascii = stackalloc byte[2 * Length];
        for (int i = 0; i < hex.Length; i++) ascii[i] = (byte)hex[i];
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(ascii, hash);
        for (int i = 0; i < hex.Length; i++)
        {
            int nibble = (i & 1) == 0 ? hash[i >> 1] >> 4 : hash[i >> 1] & 0x0f;
            if (hex[i] >= 'a' && nibble >= 8) hex[i] = char.ToUpperInvariant(hex[i]);
        }
        return string.Concat("0x", hex);
    }

    public override string ToString() => ToChecksumString();

    public bool Equals(EthereumAddress other) => hi == other.hi && mid == other.mid && lo == other.lo;

    public override bool Equals(object? obj) => obj is EthereumAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(hi, mid, lo);

    public static bool operator ==(EthereumAddress a, EthereumAddress b) => a.Equals(b);

    public static bool operator !=(EthereumAddress a, EthereumAddress b) => !a.Equals(b);
}
