using System.Security.Cryptography;
using Validium.Crypto;
using Validium.L1.Keys;

namespace Validium.DevNet;

/// <summary>
/// The devnet's keys as V3 keystores in its directory, made on the first run and read back on every later one:
/// the operator, the oracle reporters, a faucet, and each member's key beside its config. One random password,
/// kept in keys/password.txt, opens them all: these are a development chain's throwaway keys.
/// </summary>
internal sealed class DevNetKeys
{
    public const string PasswordFile = "keys/password.txt";
    public const string OperatorFile = "keys/operator.keystore.json";
    public const string FaucetFile = "keys/faucet.keystore.json";

    // Light enough that starting a devnet does not spend seconds in scrypt; never for keys that hold value.
    private static readonly ScryptParameters Scrypt = new(1 << 12);

    private DevNetKeys(string password, Secp256k1PrivateKey op, Secp256k1PrivateKey faucet, Secp256k1PrivateKey[] reporters, Secp256k1PrivateKey[] members)
    {
        Password = password;
        Operator = op;
        Faucet = faucet;
        Reporters = reporters;
        Members = members;
    }

    public string Password { get; }
    public Secp256k1PrivateKey Operator { get; }
    public Secp256k1PrivateKey Faucet { get; }
    public Secp256k1PrivateKey[] Reporters { get; }
    public Secp256k1PrivateKey[] Members { get; }

    public static string ReporterFile(int i) => $"keys/reporter-{i}.keystore.json";

    public static string MemberDir(int i) => $"members/member-{i}";

    public static string MemberKeyFile(int i) => MemberDir(i) + "/keystore.json";

    /// <summary>Reads the keys present and makes the missing ones (so an interrupted first run resumes).</summary>
    public static DevNetKeys LoadOrCreate(string root, int members, int reporters)
    {
        Directory.CreateDirectory(Path.Combine(root, "keys"));
        var passwordPath = Path.Combine(root, PasswordFile);
        if (!File.Exists(passwordPath))
        {
            var tmp = passwordPath + ".tmp";
            File.WriteAllText(tmp, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant() + "\n");
            File.Move(tmp, passwordPath);
        }
        var password = File.ReadAllText(passwordPath).TrimEnd('\r', '\n');
        if (password.Length == 0) throw new InvalidDataException($"{passwordPath} is empty");

        Secp256k1PrivateKey Key(string relative)
        {
            var path = Path.Combine(root, relative);
            if (File.Exists(path))
            {
                try
                {
                    return Keystore.DecryptFile(path, password);
                }
                catch (KeystoreException e)
                {
                    throw new InvalidDataException($"{path}: {e.Message} (the devnet's keystores open with {PasswordFile})", e);
                }
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var key = Secp256k1PrivateKey.Generate();
            Keystore.WriteNewFile(path, key, password, Scrypt);
            return key;
        }

        return new DevNetKeys(password, Key(OperatorFile), Key(FaucetFile),
            [.. Enumerable.Range(0, reporters).Select(i => Key(ReporterFile(i)))],
            [.. Enumerable.Range(0, members).Select(i => Key(MemberKeyFile(i)))]);
    }
}
