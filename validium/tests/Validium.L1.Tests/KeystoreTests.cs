using System.Text.Json;
using System.Text.Json.Nodes;
using Validium.Crypto;
using Validium.L1.Keys;

namespace Validium.L1.Tests;

/// <summary>V3 keystores against ethers' <c>Wallet.encrypt</c> / <c>Wallet.fromEncryptedJson</c>, both directions.</summary>
public sealed class KeystoreTests : IDisposable
{
    // Non-ASCII on purpose, in NFKC form (composed "é"), the form in which ethers and we agree (Keystore's remarks).
    private const string Password = "corr\u00e9ct horse";

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("keystore-");

    public void Dispose() => dir.Delete(true);

    private string PasswordFile(string password = Password)
    {
        var path = Path.Combine(dir.FullName, $"pw-{Guid.NewGuid():N}");
        File.WriteAllText(path, password);
        return path;
    }

    [SkippableFact]
    public void Ethers_opens_our_keystore_and_we_open_ethers_keystore()
    {
        var root = NodeTool.RequireNode("ethers");
        var key = Secp256k1PrivateKey.Generate();
        var ours = Path.Combine(dir.FullName, "ours.json");
        Keystore.WriteNewFile(ours, key, Password, ScryptParameters.Light);
        var (code, stdout, err) = NodeTool.Run(root, TimeSpan.FromMinutes(1), "validium/tests/Validium.L1.Tests/js/keystore.mjs", "decrypt", ours, PasswordFile());
        Assert.True(code == 0, err);
        var opened = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(key.ToHex(), opened.GetProperty("privateKey").GetString());
        Assert.Equal(key.Address.ToString().ToLowerInvariant(), opened.GetProperty("address").GetString());

        var other = Secp256k1PrivateKey.Generate();
        (code, stdout, err) = NodeTool.Run(root, TimeSpan.FromMinutes(1), "validium/tests/Validium.L1.Tests/js/keystore.mjs", "encrypt", other.ToHex(), "1024", PasswordFile("caf\u00e9"));
        Assert.True(code == 0, err);
        Assert.Equal(other.ToHex(), Keystore.Decrypt(stdout, "caf\u00e9").ToHex());
    }

    [Fact]
    public void A_wrong_password_a_damaged_file_and_a_hostile_cost_are_refused_by_name()
    {
        var key = Secp256k1PrivateKey.Generate();
        var json = Keystore.Encrypt(key, Password, ScryptParameters.Light);
        Assert.Equal(key.ToHex(), Keystore.Decrypt(json, Password).ToHex());
        Assert.Contains("wrong password", Assert.Throws<KeystoreException>(() => Keystore.Decrypt(json, "wrong")).Message);

        var doc = JsonNode.Parse(json)!;
        var ct = doc["crypto"]!["ciphertext"]!.GetValue<string>();
        doc["crypto"]!["ciphertext"] = (ct[0] == '0' ? "1" : "0") + ct[1..];
        Assert.Contains("MAC does not match", Assert.Throws<KeystoreException>(() => Keystore.Decrypt(doc.ToJsonString(), Password)).Message);

        doc = JsonNode.Parse(json)!;
        doc["crypto"]!["kdfparams"]!["n"] = 1 << 24;
        Assert.Contains("power of two in 2..", Assert.Throws<KeystoreException>(() => Keystore.Decrypt(doc.ToJsonString(), Password)).Message);

        doc = JsonNode.Parse(json)!;
        doc["address"] = new string('1', 40);
        Assert.Contains("holds the key of", Assert.Throws<KeystoreException>(() => Keystore.Decrypt(doc.ToJsonString(), Password)).Message);

        Assert.Contains("not a keystore", Assert.Throws<KeystoreException>(() => Keystore.Decrypt("{", Password)).Message);
        Assert.Contains("version 3", Assert.Throws<KeystoreException>(() => Keystore.Decrypt("{\"version\":1}", Password)).Message);
    }

    [Fact]
    public void A_new_keystore_never_replaces_an_existing_file()
    {
        var path = Path.Combine(dir.FullName, "k.json");
        Keystore.WriteNewFile(path, Secp256k1PrivateKey.Generate(), Password, ScryptParameters.Light);
        var before = File.ReadAllText(path);
        Assert.Throws<IOException>(() => Keystore.WriteNewFile(path, Secp256k1PrivateKey.Generate(), Password, ScryptParameters.Light));
        Assert.Equal(before, File.ReadAllText(path));
    }
}
