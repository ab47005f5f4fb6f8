using Org.BouncyCastle.Math.EC;

namespace Validium.Crypto;

/// <summary>A secp256k1 public key: a finite point on the curve, encoded the Ethereum way as 64 bytes X || Y.</summary>
public sealed class Secp256k1PublicKey : IEquatable<Secp256k1PublicKey>
{
    private EthereumAddress? address;

    internal Secp256k1PublicKey(ECPoint normalizedPoint) => Point = normalizedPoint;

    internal ECPoint Point { get; }

    /// <summary>64 bytes X || Y, or 65 bytes 0x04 || X || Y; the point must be on the curve and not infinity.</summary>
    public static Secp256k1PublicKey FromBytes(ReadOnlySpan<byte> encoded) =>
        TryFromBytes(encoded, out var key) ? key : throw new ArgumentException("not an uncompressed secp256k1 point on the curve (64 bytes X||Y or 65 bytes 04||X||Y)", nameof(encoded));

    public static bool TryFromBytes(ReadOnlySpan<byte> encoded, out Secp256k1PublicKey key)
    {
        key = null!;
        if (encoded.Length == 65)
        {
            if (encoded[0] != 0x04) return false;
            encoded = encoded[1..];
        }
        if (encoded.Length != 64) return false;
        var x = Secp256k1Curve.FromBigEndian(encoded[..32]);
        var y = Secp256k1Curve.FromBigEndian(encoded[32..]);
        // CreatePoint would silently reduce coordinates mod p, giving a second encoding of the same key.
        if (x.CompareTo(Secp256k1Curve.P) >= 0 || y.CompareTo(Secp256k1Curve.P) >= 0) return false;
        var point = Secp256k1Curve.Curve.CreatePoint(x, y);
        if (!point.IsValid()) return false;
        key = new Secp256k1PublicKey(point);
        return true;
    }

    /// <summary>64 bytes X || Y (no 0x04 prefix: the form Ethereum hashes into an address).</summary>
    public byte[] ToBytes()
    {
        var b = new byte[64];
        Secp256k1Curve.WriteBigEndian32(Point.AffineXCoord.ToBigInteger(), b);
        Secp256k1Curve.WriteBigEndian32(Point.AffineYCoord.ToBigInteger(), b.AsSpan(32));
        return b;
    }

    /// <summary>65 bytes 0x04 || X || Y (SEC 1 uncompressed, what ethers calls <c>publicKey</c>).</summary>
    public byte[] ToUncompressedBytes()
    {
        var b = new byte[65];
        b[0] = 0x04;
        ToBytes().CopyTo(b, 1);
        return b;
    }

    /// <summary>The last 20 bytes of keccak256(X || Y).</summary>
    public EthereumAddress Address
    {
        get
        {
            if (address is { } a) return a;
            Span<byte> hash = stackalloc byte[32];
            Keccak256.Hash(ToBytes(), hash);
            address = EthereumAddress.FromBytes(hash[12..]);
            return address.Value;
        }
    }

    public bool Equals(Secp256k1PublicKey? other) => other is not null && Point.Equals(other.Point);

    public override bool Equals(object? obj) => Equals(obj as Secp256k1PublicKey);

    public override int GetHashCode() => Point.GetHashCode();

    public override string ToString() => "0x" + Convert.ToHexStringLower(ToBytes());
}
