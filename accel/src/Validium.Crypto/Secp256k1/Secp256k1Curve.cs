using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using NumBigInteger = System.Numerics.BigInteger;

namespace Validium.Crypto;

/// <summary>The secp256k1 domain and the integer conversions shared by keys, signatures and recovery.</summary>
internal static class Secp256k1Curve
{
    // The custom (GLV-accelerated) curve rather than the generic X9 one: same group, several times faster.
    public static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");
    public static readonly ECDomainParameters Domain = new(Parameters);
    public static ECCurve Curve => Parameters.Curve;
    public static ECPoint G => Parameters.G;
    public static readonly BcBigInteger N = Parameters.N;
    public static readonly BcBigInteger HalfN = N.ShiftRight(1);
    public static readonly BcBigInteger P = Curve.Field.Characteristic;

    public static readonly NumBigInteger NumN = ToNum(N);
    public static readonly NumBigInteger NumHalfN = ToNum(HalfN);

    public static BcBigInteger ToBc(NumBigInteger v) => new(1, v.ToByteArray(isUnsigned: true, isBigEndian: true));

    public static NumBigInteger ToNum(BcBigInteger v) => new(v.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    public static BcBigInteger FromBigEndian(ReadOnlySpan<byte> bytes) => new(1, bytes);

    /// <summary>Left-pads to 32 bytes; the value must be below 2^256.</summary>
    public static void WriteBigEndian32(BcBigInteger v, Span<byte> dst)
    {
        var raw = v.ToByteArrayUnsigned();
        dst[..32].Clear();
        raw.CopyTo(dst[(32 - raw.Length)..32]);
    }

    public static void WriteBigEndian32(NumBigInteger v, Span<byte> dst)
    {
        dst[..32].Clear();
        int len = v.GetByteCount(isUnsigned: true);
        v.TryWriteBytes(dst.Slice(32 - len, len), out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The message hash as the scalar e, reduced mod n (the digest may exceed n; ethers and RFC 6979 reduce it too).</summary>
    public static BcBigInteger HashToScalar(ReadOnlySpan<byte> hash)
    {
        CheckHashLength(hash);
        return FromBigEndian(hash).Mod(N);
    }

    public static void CheckHashLength(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32) throw new ArgumentException("a secp256k1 signature covers a 32-byte hash", nameof(hash));
    }
}
