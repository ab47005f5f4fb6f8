using System.Globalization;
using System.Text;
using Validium.Crypto;

namespace Validium.Node.Client;

/// <summary>
/// What a trader signs to get an API key (API.md, "Authentication"): Poseidon(domain, account, challenge), with the
/// account's EdDSA-Poseidon key, so the same key that signs orders proves ownership and no other message can be
/// replayed as a key request.
/// </summary>
public static class ApiAuth
{
    public const string KeyHeader = "X-Api-Key";

    /// <summary>The domain tag: the ASCII bytes of "validium/api-key/v1" read as a big-endian integer.</summary>
    public static Fr Domain { get; } = Fr.FromBytesReduced(Encoding.ASCII.GetBytes("validium/api-key/v1"));

    public static Fr KeyMessage(int account, Fr challenge) => Poseidon.Hash([Domain, (ulong)account, challenge]);

    public static string SignChallenge(int account, string challenge, ReadOnlySpan<byte> privateKey) =>
        Hex(EdDsaPoseidon.Sign(privateKey, KeyMessage(account, Fr.Parse(challenge))).Pack());

    /// <summary>Lower-case hex without a prefix.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>A packed signature from hex (with or without 0x); false for anything else.</summary>
    public static bool TryParseSignature(string? hex, out EdDsaSignature signature)
    {
        signature = default;
        if (hex is null) return false;
        var s = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (s.Length != EdDsaSignature.PackedLength * 2) return false;
        var bytes = new byte[EdDsaSignature.PackedLength];
        for (int i = 0; i < bytes.Length; i++)
            if (!byte.TryParse(s.AsSpan(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i])) return false;
        return EdDsaSignature.TryUnpack(bytes, out signature);
    }
}
