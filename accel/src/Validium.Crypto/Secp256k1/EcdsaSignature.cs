using System.Numerics;

namespace Validium.Crypto;

/// <summary>
/// An Ethereum ECDSA signature (r, s, v) in canonical form: 1 &lt;= r &lt;= n-1, 1 &lt;= s &lt;= n/2 (EIP-2 low-s), v in {27, 28}.
/// High-s signatures are rejected rather than normalised: each message then has exactly one accepted signature per key,
/// which is what replay protection keyed on signatures relies on. <c>default</c> is not a valid signature.
/// </summary>
public readonly record struct EcdsaSignature
{
    public const int EncodedLength = 65;

    public EcdsaSignature(BigInteger r, BigInteger s, byte v)
    {
        if (r.Sign <= 0 || r >= Secp256k1Curve.NumN) throw new ArgumentOutOfRangeException(nameof(r), "r must be in [1, n-1]");
        if (s.Sign <= 0 || s >= Secp256k1Curve.NumN) throw new ArgumentOutOfRangeException(nameof(s), "s must be in [1, n-1]");
        if (s > Secp256k1Curve.NumHalfN) throw new ArgumentOutOfRangeException(nameof(s), "s is in the upper half of [1, n-1] (high-s, malleable): Ethereum accepts only s <= n/2");
        if (v is not (27 or 28)) throw new ArgumentOutOfRangeException(nameof(v), $"v must be 27 or 28, got {v}");
        R = r;
        S = s;
        V = v;
    }

    public BigInteger R { get; }
    public BigInteger S { get; }
    public byte V { get; }

    /// <summary>0 or 1: the parity of R's y coordinate.</summary>
    public int RecoveryId => V - 27;

    /// <summary>Validates like the constructor, without throwing.</summary>
    public static bool TryCreate(BigInteger r, BigInteger s, byte v, out EcdsaSignature signature)
    {
        signature = default;
        if (r.Sign <= 0 || r >= Secp256k1Curve.NumN || s.Sign <= 0 || s > Secp256k1Curve.NumHalfN || v is not (27 or 28)) return false;
        signature = new EcdsaSignature(r, s, v);
        return true;
    }

    /// <summary>
    /// r (32) || s (32) || v (1). v must be 27 or 28; with <paramref name="acceptRecoveryIdAsV"/>, 0 and 1 are taken as 27 and 28
    /// (some signers, e.g. hardware wallets and EIP-2098 decoders, emit the bare recovery id).
    /// </summary>
    public static EcdsaSignature FromBytes(ReadOnlySpan<byte> encoded, bool acceptRecoveryIdAsV = false)
    {
        if (encoded.Length != EncodedLength) throw new ArgumentException($"an encoded signature is {EncodedLength} bytes, got {encoded.Length}", nameof(encoded));
        byte v = encoded[64];
        if (acceptRecoveryIdAsV && v is 0 or 1) v += 27;
        return new EcdsaSignature(ReadScalar(encoded[..32]), ReadScalar(encoded[32..64]), v);
    }

    public static bool TryFromBytes(ReadOnlySpan<byte> encoded, out EcdsaSignature signature, bool acceptRecoveryIdAsV = false)
    {
        signature = default;
        if (encoded.Length != EncodedLength) return false;
        byte v = encoded[64];
        if (acceptRecoveryIdAsV && v is 0 or 1) v += 27;
        return TryCreate(ReadScalar(encoded[..32]), ReadScalar(encoded[32..64]), v, out signature);
    }

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < EncodedLength) throw new ArgumentException($"destination must hold {EncodedLength} bytes", nameof(destination));
        Secp256k1Curve.WriteBigEndian32(R, destination);
        Secp256k1Curve.WriteBigEndian32(S, destination[32..]);
        destination[64] = V;
    }

    public byte[] ToBytes()
    {
        var b = new byte[EncodedLength];
        WriteTo(b);
        return b;
    }

    public override string ToString() => "0x" + Convert.ToHexStringLower(ToBytes());

    private static BigInteger ReadScalar(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);
}
