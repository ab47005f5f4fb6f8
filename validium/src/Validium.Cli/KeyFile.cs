using Validium.Crypto;

namespace Validium.Cli;

/// <summary>
/// The L1 signing key behind `--key-file`. Today a file holding one hex private key; a V3 keystore (the JSON
/// `vld dac keygen` writes) is recognised and refused until its reader lands, which then plugs in at
/// <see cref="Read"/>'s keystore branch.
/// </summary>
internal static class KeyFile
{
    public static Secp256k1PrivateKey Read(FileInfo file)
    {
        if (!file.Exists) throw new UsageException($"--key-file {file.FullName} does not exist");
        var text = File.ReadAllText(file.FullName).Trim();
        if (text.StartsWith('{'))
            throw new UsageException($"--key-file {file.Name} is a JSON keystore: this vld reads only a hex private key file");
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        // The message never echoes the file: it may hold a key with a typo.
        if (digits.Length != 64 || !digits.All(char.IsAsciiHexDigit))
            throw new UsageException($"--key-file {file.Name}: expected a hex private key (64 hex digits, 0x prefix optional)");
        try
        {
            return Secp256k1PrivateKey.FromHex(digits);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new UsageException($"--key-file {file.Name}: the key is not a valid secp256k1 private key (zero or not below the group order)");
        }
    }
}
