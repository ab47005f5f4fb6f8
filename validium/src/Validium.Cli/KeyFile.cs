using System.CommandLine;
using Validium.Crypto;
using Validium.DaCommittee;
using Validium.L1.Keys;

namespace Validium.Cli;

/// <summary>
/// A signing key behind `--key-file`: a file holding one hex private key, or a V3 keystore (the JSON `vld dac
/// keygen` writes) whose password comes from `--password-file` or $VLD_KEYSTORE_PASSWORD, never the command line.
/// </summary>
internal static class KeyFile
{
    public static Option<FileInfo> PasswordFileOption() =>
        new("--password-file") { Description = $"File whose first line is the keystore password (default: ${MemberOptions.PasswordEnvironmentVariable})" };

    public static string Password(FileInfo? file)
    {
        if (file is not null)
        {
            if (!file.Exists) throw new UsageException($"password file {file.FullName} does not exist");
            var text = File.ReadAllText(file.FullName).TrimEnd('\r', '\n');
            if (text.Length == 0) throw new UsageException($"password file {file.FullName} is empty");
            return text;
        }
        var env = Environment.GetEnvironmentVariable(MemberOptions.PasswordEnvironmentVariable);
        if (string.IsNullOrEmpty(env)) throw new UsageException($"no keystore password: pass --password-file or set ${MemberOptions.PasswordEnvironmentVariable}");
        return env;
    }

    public static Secp256k1PrivateKey Read(FileInfo file, FileInfo? passwordFile)
    {
        if (!file.Exists) throw new UsageException($"--key-file {file.FullName} does not exist");
        var text = File.ReadAllText(file.FullName).Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                return Keystore.DecryptFile(file.FullName, Password(passwordFile));
            }
            catch (KeystoreException e)
            {
                throw new UsageException($"--key-file: {e.Message}");
            }
        }
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
