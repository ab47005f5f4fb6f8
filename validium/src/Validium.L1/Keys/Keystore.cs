using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Validium.Crypto;

namespace Validium.L1.Keys;

/// <summary>A keystore file that cannot be read: malformed, an unsupported cipher or KDF, or the wrong password.</summary>
public sealed class KeystoreException(string message) : Exception(message);

/// <summary>scrypt cost of a new keystore. The default is ethers v6's (N = 2^17, r = 8, p = 1: ~128 MiB, about a second).</summary>
public sealed record ScryptParameters(int N = 1 << 17, int R = 8, int P = 1)
{
    /// <summary>Light enough for tests; never for a real key.</summary>
    public static readonly ScryptParameters Light = new(1 << 10, 8, 1);
}

/// <summary>
/// The Ethereum "Web3 Secret Storage" (V3) keystore that geth, ethers and wallets read and write: the key encrypted with
/// AES-128-CTR under the first half of a scrypt (or PBKDF2-HMAC-SHA256) derived key, and MAC = keccak256(second half ‖
/// ciphertext), which is how a wrong password is told apart from a damaged file. Passwords are taken as UTF-8 bytes.
/// ethers NFKC-normalises first; the repository runs with InvariantGlobalization, where string.Normalize leaves non-ASCII
/// text as it is, so a non-ASCII password opens a file in both only when it is already in NFKC form (composed accents,
/// as keyboards type them).
/// </summary>
public static class Keystore
{
    // Decryption refuses KDF costs past these: a hostile file must not make us allocate gigabytes or spin for minutes.
    private const int MaxScryptN = 1 << 20;
    private const int MaxScryptRp = 64;
    private const int MaxPbkdf2Iterations = 10_000_000;

    public static string Encrypt(Secp256k1PrivateKey key, string password, ScryptParameters? scrypt = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        var p = scrypt ?? new ScryptParameters();
        CheckScrypt(p.N, p.R, p.P);
        var salt = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(16);
        var derived = Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(PasswordBytes(password), salt, p.N, p.R, p.P, 32);
        var secret = key.ToBytes();
        var ciphertext = AesCtr(derived.AsSpan(0, 16), iv, secret);
        CryptographicOperations.ZeroMemory(secret);
        var mac = Mac(derived, ciphertext);
        CryptographicOperations.ZeroMemory(derived);
        var doc = new JsonObject
        {
            ["address"] = Convert.ToHexStringLower(key.Address.ToBytes()),
            ["id"] = Guid.NewGuid().ToString(),
            ["version"] = 3,
            ["crypto"] = new JsonObject
            {
                ["cipher"] = "aes-128-ctr",
                ["cipherparams"] = new JsonObject { ["iv"] = Convert.ToHexStringLower(iv) },
                ["ciphertext"] = Convert.ToHexStringLower(ciphertext),
                ["kdf"] = "scrypt",
                ["kdfparams"] = new JsonObject { ["dklen"] = 32, ["n"] = p.N, ["p"] = p.P, ["r"] = p.R, ["salt"] = Convert.ToHexStringLower(salt) },
                ["mac"] = Convert.ToHexStringLower(mac),
            },
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The key in a V3 keystore; every way it can fail is a <see cref="KeystoreException"/> saying which.</summary>
    public static Secp256k1PrivateKey Decrypt(string json, string password)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(password);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json);
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new KeystoreException($"not a keystore: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new KeystoreException("not a keystore: the document is not a JSON object");
        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 3)
            throw new KeystoreException("only version 3 keystores are supported");
        // geth's older files spell it "Crypto".
        var crypto = Property(root, root.TryGetProperty("Crypto", out _) ? "Crypto" : "crypto", JsonValueKind.Object);
        var cipher = Property(crypto, "cipher", JsonValueKind.String).GetString();
        if (cipher != "aes-128-ctr") throw new KeystoreException($"unsupported cipher '{cipher}' (only aes-128-ctr)");
        var iv = HexField(Property(crypto, "cipherparams", JsonValueKind.Object), "iv");
        if (iv.Length != 16) throw new KeystoreException($"cipherparams.iv is {iv.Length} bytes, not 16");
        var ciphertext = HexField(crypto, "ciphertext");
        if (ciphertext.Length != 32) throw new KeystoreException($"ciphertext is {ciphertext.Length} bytes; a secp256k1 key is 32");
        var mac = HexField(crypto, "mac");
        var derived = DeriveKey(crypto, PasswordBytes(password));
        try
        {
            if (!CryptographicOperations.FixedTimeEquals(Mac(derived, ciphertext), mac)) throw new KeystoreException("wrong password (or a damaged keystore: the MAC does not match)");
            var secret = AesCtr(derived.AsSpan(0, 16), iv, ciphertext);
            try
            {
                var key = Secp256k1PrivateKey.FromBytes(secret);
                if (root.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.String &&
                    !string.Equals(StripPrefix(address.GetString()!), Convert.ToHexStringLower(key.Address.ToBytes()), StringComparison.OrdinalIgnoreCase))
                    throw new KeystoreException($"the keystore names address {address.GetString()} but holds the key of {key.Address}");
                return key;
            }
            catch (ArgumentException e)
            {
                throw new KeystoreException($"the decrypted key is not a valid secp256k1 key: {e.Message}");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    public static Secp256k1PrivateKey DecryptFile(string path, string password)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeystoreException($"cannot read keystore {path}: {e.Message}");
        }
        try
        {
            return Decrypt(json, password);
        }
        catch (KeystoreException e)
        {
            throw new KeystoreException($"{path}: {e.Message}");
        }
    }

    /// <summary>Writes a new keystore to <paramref name="path"/>, refusing to replace an existing file (a key is not overwritten by accident).</summary>
    public static void WriteNewFile(string path, Secp256k1PrivateKey key, string password, ScryptParameters? scrypt = null)
    {
        var json = Encrypt(key, password, scrypt);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(json));
        stream.Flush(flushToDisk: true);
    }

    private static byte[] DeriveKey(JsonElement crypto, byte[] password)
    {
        var kdf = Property(crypto, "kdf", JsonValueKind.String).GetString();
        var kp = Property(crypto, "kdfparams", JsonValueKind.Object);
        var salt = HexField(kp, "salt");
        int dklen = Int(kp, "dklen");
        if (dklen != 32) throw new KeystoreException($"kdfparams.dklen is {dklen}; only 32 is supported");
        switch (kdf)
        {
            case "scrypt":
            {
                int n = Int(kp, "n"), r = Int(kp, "r"), p = Int(kp, "p");
                CheckScrypt(n, r, p);
                return Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(password, salt, n, r, p, dklen);
            }
            case "pbkdf2":
            {
                var prf = Property(kp, "prf", JsonValueKind.String).GetString();
                if (prf != "hmac-sha256") throw new KeystoreException($"unsupported pbkdf2 prf '{prf}' (only hmac-sha256)");
                int c = Int(kp, "c");
                if (c is < 1 or > MaxPbkdf2Iterations) throw new KeystoreException($"pbkdf2 iteration count {c} is outside 1..{MaxPbkdf2Iterations}");
                return Rfc2898DeriveBytes.Pbkdf2(password, salt, c, HashAlgorithmName.SHA256, dklen);
            }
            default:
                throw new KeystoreException($"unsupported kdf '{kdf}' (scrypt or pbkdf2)");
        }
    }

    private static void CheckScrypt(int n, int r, int p)
    {
        if (n < 2 || (n & (n - 1)) != 0 || n > MaxScryptN) throw new KeystoreException($"scrypt n = {n} must be a power of two in 2..{MaxScryptN}");
        if (r is < 1 or > MaxScryptRp || p is < 1 or > MaxScryptRp) throw new KeystoreException($"scrypt r = {r}, p = {p} must be in 1..{MaxScryptRp}");
    }

    private static byte[] Mac(byte[] derived, byte[] ciphertext) => new Keccak256().Append(derived.AsSpan(16, 16)).Append(ciphertext).GetHashAndReset();

    private static byte[] AesCtr(ReadOnlySpan<byte> key, byte[] iv, byte[] input)
    {
        // The IV is the whole initial 128-bit counter block, incremented big-endian: BouncyCastle's SIC mode.
        var ctr = new SicBlockCipher(new AesEngine());
        ctr.Init(true, new ParametersWithIV(new KeyParameter(key), iv));
        var output = new byte[input.Length];
        var block = new byte[16];
        var outBlock = new byte[16];
        for (int off = 0; off < input.Length; off += 16)
        {
            int n = Math.Min(16, input.Length - off);
            Array.Clear(block);
            input.AsSpan(off, n).CopyTo(block);
            ctr.ProcessBlock(block, 0, outBlock, 0);
            outBlock.AsSpan(0, n).CopyTo(output.AsSpan(off));
        }
        return output;
    }

    private static byte[] PasswordBytes(string password) => Encoding.UTF8.GetBytes(password);

    private static JsonElement Property(JsonElement obj, string name, JsonValueKind kind)
    {
        if (!obj.TryGetProperty(name, out var v)) throw new KeystoreException($"keystore field '{name}' is missing");
        if (v.ValueKind != kind) throw new KeystoreException($"keystore field '{name}' is not a {kind.ToString().ToLowerInvariant()}");
        return v;
    }

    private static int Int(JsonElement obj, string name)
    {
        var v = Property(obj, name, JsonValueKind.Number);
        return v.TryGetInt32(out int i) ? i : throw new KeystoreException($"keystore field '{name}' is not a 32-bit integer");
    }

    private static byte[] HexField(JsonElement obj, string name)
    {
        var s = StripPrefix(Property(obj, name, JsonValueKind.String).GetString()!);
        try
        {
            return Convert.FromHexString(s);
        }
        catch (FormatException)
        {
            throw new KeystoreException($"keystore field '{name}' is not hex");
        }
    }

    private static string StripPrefix(string s) => s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : s;
}
