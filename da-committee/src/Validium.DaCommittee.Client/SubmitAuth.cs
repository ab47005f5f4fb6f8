using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Validium.Crypto;

namespace Validium.DaCommittee.Client;

/// <summary>
/// How the sequencer authenticates a batch submission: it signs (EIP-191) a digest of the deployment, the batch number,
/// a millisecond timestamp, a random 16-byte nonce and keccak256 of the body, and sends timestamp, nonce and signature
/// as headers. The member refuses stale timestamps and nonces it has seen, so a captured request cannot be replayed.
/// </summary>
public static class SubmitAuth
{
    public const string TimestampHeader = "X-Dac-Timestamp";
    public const string NonceHeader = "X-Dac-Nonce";
    public const string SignatureHeader = "X-Dac-Signature";
    public const int NonceLength = 16;

    private static readonly byte[] Tag = "validium-dac-submit-v1"u8.ToArray();

    public static byte[] Digest(DacDomain domain, ulong batchNumber, long timestampMs, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> body)
    {
        if (nonce.Length != NonceLength) throw new ArgumentException($"a nonce is {NonceLength} bytes", nameof(nonce));
        Span<byte> fixedPart = stackalloc byte[32 + EthereumAddress.Length + 8 + 8];
        WriteUInt256(domain.ChainId, fixedPart[..32]);
        domain.Contract.WriteTo(fixedPart.Slice(32, EthereumAddress.Length));
        BinaryPrimitives.WriteUInt64BigEndian(fixedPart.Slice(52, 8), batchNumber);
        BinaryPrimitives.WriteInt64BigEndian(fixedPart.Slice(60, 8), timestampMs);
        return new Keccak256().Append(Tag).Append(fixedPart).Append(nonce).Append(Keccak256.Hash(body)).GetHashAndReset();
    }

    /// <summary>The three headers for a submission signed by <paramref name="sequencer"/> now.</summary>
    public static (long TimestampMs, string Nonce, string Signature) Sign(Secp256k1PrivateKey sequencer, DacDomain domain, ulong batchNumber, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceLength);
        long ts = now.ToUnixTimeMilliseconds();
        var sig = sequencer.Sign(Eip191.HashPersonalMessage(Digest(domain, batchNumber, ts, nonce, body)));
        return (ts, Convert.ToHexStringLower(nonce), sig.ToString());
    }

    /// <summary>Parses the headers and recovers who signed them; false with the reason when they are malformed or unsigned.</summary>
    public static bool TryRecover(DacDomain domain, ulong batchNumber, string? timestamp, string? nonceHex, string? signatureHex, ReadOnlySpan<byte> body,
        out long timestampMs, out byte[] nonce, out EthereumAddress signer, [NotNullWhen(false)] out string? error)
    {
        timestampMs = 0;
        nonce = [];
        signer = default;
        if (timestamp is null || nonceHex is null || signatureHex is null) { error = $"missing {TimestampHeader}, {NonceHeader} or {SignatureHeader}"; return false; }
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out timestampMs)) { error = $"{TimestampHeader} is not a millisecond Unix time"; return false; }
        if (!TryHex(nonceHex, NonceLength, out nonce)) { error = $"{NonceHeader} is not {NonceLength} bytes of hex"; return false; }
        if (!TryHex(signatureHex, EcdsaSignature.EncodedLength, out var sigBytes) || !EcdsaSignature.TryFromBytes(sigBytes, out var sig))
        {
            error = $"{SignatureHeader} is not a canonical 65-byte signature (low s, v 27/28)";
            return false;
        }
        if (!DacDomain.TryRecoverSigner(Digest(domain, batchNumber, timestampMs, nonce, body), sig, out signer)) { error = "the signature recovers to no key"; return false; }
        error = null;
        return true;
    }

    private static void WriteUInt256(System.Numerics.BigInteger v, Span<byte> dst)
    {
        if (v.Sign < 0 || v.GetBitLength() > 256) throw new ArgumentOutOfRangeException(nameof(v), "a chain id is a uint256");
        int len = v.GetByteCount(isUnsigned: true);
        dst[..32].Clear();
        v.TryWriteBytes(dst.Slice(32 - len, len), out _, isUnsigned: true, isBigEndian: true);
    }

    internal static bool TryHex(string s, int length, out byte[] bytes)
    {
        bytes = [];
        var digits = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s.AsSpan(2) : s.AsSpan();
        if (digits.Length != 2 * length) return false;
        var b = new byte[length];
        if (Convert.FromHexString(digits, b, out _, out _) != System.Buffers.OperationStatus.Done) return false;
        bytes = b;
        return true;
    }
}
