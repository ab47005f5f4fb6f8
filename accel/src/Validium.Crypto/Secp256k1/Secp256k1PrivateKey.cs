using System.Globalization;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC.Multiplier;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Validium.Crypto;

/// <summary>
/// A secp256k1 private key d with 1 &lt;= d &lt;= n-1, signing the way Ethereum wallets do:
/// RFC 6979 deterministic k (HMAC-SHA256), low-s, v = 27/28. Signatures are byte-identical to ethers v6's.
/// </summary>
public sealed class Secp256k1PrivateKey
{
    private readonly BcBigInteger d;
    private Secp256k1PublicKey? publicKey;

    private Secp256k1PrivateKey(BcBigInteger d) => this.d = d;

    /// <summary>Exactly 32 big-endian bytes.</summary>
    public static Secp256k1PrivateKey FromBytes(ReadOnlySpan<byte> bigEndian32)
    {
        if (bigEndian32.Length != 32) throw new ArgumentException($"a private key is 32 bytes, got {bigEndian32.Length}", nameof(bigEndian32));
        var d = Secp256k1Curve.FromBigEndian(bigEndian32);
        if (d.SignValue == 0 || d.CompareTo(Secp256k1Curve.N) >= 0)
            throw new ArgumentOutOfRangeException(nameof(bigEndian32), "a private key must be in [1, n-1]");
        return new Secp256k1PrivateKey(d);
    }

    /// <summary>64 hex digits, with or without a 0x prefix.</summary>
    public static Secp256k1PrivateKey FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (digits.Length != 64) throw new FormatException("a private key is 64 hex digits");
        byte[] bytes;
        try { bytes = Convert.FromHexString(digits); }
        catch (FormatException e) { throw new FormatException("a private key is 64 hex digits", e); }
        return FromBytes(bytes);
    }

    /// <summary>A uniformly random key from the OS CSPRNG (rejection sampling keeps it unbiased).</summary>
    public static Secp256k1PrivateKey Generate()
    {
        Span<byte> buf = stackalloc byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(buf);
            var d = Secp256k1Curve.FromBigEndian(buf);
            buf.Clear();
            if (d.SignValue != 0 && d.CompareTo(Secp256k1Curve.N) < 0) return new Secp256k1PrivateKey(d);
        }
    }

    public byte[] ToBytes()
    {
        var b = new byte[32];
        Secp256k1Curve.WriteBigEndian32(d, b);
        return b;
    }

    public string ToHex() => "0x" + Convert.ToHexStringLower(ToBytes());

    public Secp256k1PublicKey PublicKey =>
        publicKey ??= new Secp256k1PublicKey(new FixedPointCombMultiplier().Multiply(Secp256k1Curve.G, d).Normalize());

    public EthereumAddress Address => PublicKey.Address;

    /// <summary>Signs a 32-byte hash as-is (no prefixing: use <see cref="Eip191"/> for personal_sign).</summary>
    public EcdsaSignature Sign(ReadOnlySpan<byte> hash32)
    {
        var n = Secp256k1Curve.N;
        var e = Secp256k1Curve.HashToScalar(hash32);
        var k = new HMacDsaKCalculator(new Sha256Digest());
        k.Init(n, d, hash32.ToArray());
        var multiplier = new FixedPointCombMultiplier();
        while (true)
        {
            var kv = k.NextK();
            var point = multiplier.Multiply(Secp256k1Curve.G, kv).Normalize();
            var x = point.AffineXCoord.ToBigInteger();
            var r = x.Mod(n);
            var s = kv.ModInverse(n).Multiply(e.Add(d.Multiply(r))).Mod(n);
            // r = 0 and s = 0 are the RFC 6979 retry cases; x >= n would need recovery id 2/3, which v = 27/28 cannot carry,
            // so take the next k as well (probability ~2^-128; ethers would mislabel such a signature instead).
            if (r.SignValue == 0 || s.SignValue == 0 || x.CompareTo(n) >= 0) continue;
            int recoveryId = point.AffineYCoord.ToBigInteger().TestBit(0) ? 1 : 0;
            // Negating s mirrors R to -R, whose y has the other parity.
            if (s.CompareTo(Secp256k1Curve.HalfN) > 0)
            {
                s = n.Subtract(s);
                recoveryId ^= 1;
            }
            return new EcdsaSignature(Secp256k1Curve.ToNum(r), Secp256k1Curve.ToNum(s), (byte)(27 + recoveryId));
        }
    }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Secp256k1PrivateKey({Address})");
}
