using System.Globalization;
using System.Text;

namespace Validium.Crypto;

/// <summary>EIP-191 version 0x45 ("personal_sign"): what wallets hash before signing a free-form message.</summary>
public static class Eip191
{
    private static readonly byte[] Prefix = "\u0019Ethereum Signed Message:\n"u8.ToArray();

    /// <summary>keccak256("\x19Ethereum Signed Message:\n" + decimal byte length + message).</summary>
    public static byte[] HashPersonalMessage(ReadOnlySpan<byte> message)
    {
        Span<byte> length = stackalloc byte[11];
        message.Length.TryFormat(length, out int written, default, CultureInfo.InvariantCulture);
        return new Keccak256().Append(Prefix).Append(length[..written]).Append(message).GetHashAndReset();
    }

    /// <summary>Hashes the message's UTF-8 bytes, as ethers' <c>hashMessage(string)</c> does.</summary>
    public static byte[] HashPersonalMessage(string message) => HashPersonalMessage(Encoding.UTF8.GetBytes(message));
}
