using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using ECAlgorithms = Org.BouncyCastle.Math.EC.ECAlgorithms;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Validium.Crypto;

/// <summary>Public-key recovery and verification for Ethereum signatures (what the ecrecover precompile does, plus low-s).</summary>
public static class EthereumEcdsa
{
    /// <summary>The key that produced <paramref name="signature"/> over <paramref name="hash32"/>; throws when none does.</summary>
    public static Secp256k1PublicKey RecoverPublicKey(ReadOnlySpan<byte> hash32, EcdsaSignature signature) =>
        TryRecoverPublicKey(hash32, signature, out var key) ? key : throw new CryptographicException("no secp256k1 public key recovers from this signature and hash");

    public static EthereumAddress Recover(ReadOnlySpan<byte> hash32, EcdsaSignature signature) => RecoverPublicKey(hash32, signature).Address;

    public static bool TryRecover(ReadOnlySpan<byte> hash32, EcdsaSignature signature, out EthereumAddress address)
    {
        address = default;
        if (!TryRecoverPublicKey(hash32, signature, out var key)) return false;
        address = key.Address;
        return true;
    }

    public static bool TryRecoverPublicKey(ReadOnlySpan<byte> hash32, EcdsaSignature signature, [NotNullWhen(true)] out Secp256k1PublicKey? key)
    {
        if (signature.V is not (27 or 28)) throw new ArgumentException("default(EcdsaSignature) is not a signature", nameof(signature));
        return TryRecoverPublicKey(hash32, Secp256k1Curve.ToBc(signature.R), Secp256k1Curve.ToBc(signature.S), signature.RecoveryId, out key);
    }

    /// <summary>
    /// Generic SEC 1 recovery for any recovery id 0..3 and any s in [1, n-1] (no low-s rule: callers that need it use
    /// <see cref="EcdsaSignature"/>). Ids 2 and 3 mean R.x = r + n, which Ethereum's v cannot express.
    /// </summary>
    public static bool TryRecoverPublicKey(ReadOnlySpan<byte> hash32, System.Numerics.BigInteger r, System.Numerics.BigInteger s, int recoveryId, [NotNullWhen(true)] out Secp256k1PublicKey? key)
    {
        key = null;
        if (recoveryId is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(recoveryId), "a recovery id is 0..3");
        var n = Secp256k1Curve.NumN;
        if (r.Sign <= 0 || r >= n || s.Sign <= 0 || s >= n) return false;
        return TryRecoverPublicKey(hash32, Secp256k1Curve.ToBc(r), Secp256k1Curve.ToBc(s), recoveryId, out key);
    }

    public static bool Verify(Secp256k1PublicKey key, ReadOnlySpan<byte> hash32, EcdsaSignature signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        Secp256k1Curve.CheckHashLength(hash32);
        var verifier = new ECDsaSigner();
        verifier.Init(false, new ECPublicKeyParameters(key.Point, Secp256k1Curve.Domain));
        return verifier.VerifySignature(hash32.ToArray(), Secp256k1Curve.ToBc(signature.R), Secp256k1Curve.ToBc(signature.S));
    }

    /// <summary>True when <paramref name="signature"/> over <paramref name="hash32"/> recovers to <paramref name="address"/>.</summary>
    public static bool Verify(EthereumAddress address, ReadOnlySpan<byte> hash32, EcdsaSignature signature) =>
        TryRecover(hash32, signature, out var recovered) && recovered == address;

    private static bool TryRecoverPublicKey(ReadOnlySpan<byte> hash32, BcBigInteger r, BcBigInteger s, int recoveryId, [NotNullWhen(true)] out Secp256k1PublicKey? key)
    {
        key = null;
        var n = Secp256k1Curve.N;
        var e = Secp256k1Curve.HashToScalar(hash32);

        var x = recoveryId >= 2 ? r.Add(n) : r;
        if (x.CompareTo(Secp256k1Curve.P) >= 0) return false;
        Span<byte> compressed = stackalloc byte[33];
        compressed[0] = (byte)(0x02 | (recoveryId & 1));
        Secp256k1Curve.WriteBigEndian32(x, compressed[1..]);
        BcECPoint bigR;
        try
        {
            bigR = Secp256k1Curve.Curve.DecodePoint(compressed.ToArray());
        }
        catch (ArgumentException)
        {
            // x^3 + 7 is not a square mod p: no curve point has this x.
            return false;
        }

        // Q = r^-1 (s·R − e·G), as one double-scalar multiplication.
        var rInv = r.ModInverse(n);
        var u1 = n.Subtract(e).Multiply(rInv).Mod(n);
        var u2 = s.Multiply(rInv).Mod(n);
        var q = ECAlgorithms.SumOfTwoMultiplies(Secp256k1Curve.G, u1, bigR, u2).Normalize();
        if (q.IsInfinity) return false;
        key = new Secp256k1PublicKey(q);
        return true;
    }
}
