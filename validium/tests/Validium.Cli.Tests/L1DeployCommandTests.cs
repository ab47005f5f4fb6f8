using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Keys;
using Validium.L1.Rpc;
using Validium.L1.Tests;
using Validium.L1.Transactions;
using Validium.Proving.Circuit;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;

namespace Validium.Cli.Tests;

/// <summary>A circuit with only the batch circuit's public interface (n inputs), for verifying keys of the right (or wrong) shape.</summary>
internal sealed class StandInCircuit(int publicInputs) : CircuitDefinition
{
    public override void Define(ICircuitApi api)
    {
        var inputs = api.PublicInputs("in", publicInputs);
        var acc = inputs[0];
        for (int i = 1; i < inputs.Length; i++) acc = api.Add(acc, inputs[i]);
        api.AssertEqual(api.PrivateInput("sum"), acc);
    }

    public static string VerificationKeyJson(int publicInputs) =>
        SnarkjsJson.WriteVerificationKey(Setup.Run(new StandInCircuit(publicInputs).Compile().R1cs, devSeed: 5).VerifyingKey);
}

/// <summary>One anvil and one `vld l1 deploy` per test class: deploying compiles every contract, which takes seconds.</summary>
public sealed class DeployedChain : IAsyncLifetime
{
    public AnvilProcess? Anvil { get; private set; }
    public string? SkipReason { get; private set; }
    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("vld-l1-");
    public string AddressesFile => Path.Combine(Dir.FullName, "addresses.json");
    public (int Code, string Out, string Err) DeployRun { get; private set; }
    public string[] Committee { get; } = [.. AnvilProcess.DevKeys[2..5].Select(k => Secp256k1PrivateKey.FromHex(k).Address.ToString())];

    public string KeyFile(int index)
    {
        var path = Path.Combine(Dir.FullName, $"key{index}.hex");
        // Odd keys without the 0x prefix and with surrounding blanks: both forms are accepted.
        File.WriteAllText(path, index % 2 == 0 ? AnvilProcess.DevKeys[index] + "\n" : "  " + AnvilProcess.DevKeys[index][2..] + " \n");
        return path;
    }

    public string VkFile(int publicInputs)
    {
        var path = Path.Combine(Dir.FullName, $"vk{publicInputs}.json");
        if (!File.Exists(path)) File.WriteAllText(path, StandInCircuit.VerificationKeyJson(publicInputs));
        return path;
    }

    public async Task InitializeAsync()
    {
        try
        {
            Anvil = AnvilProcess.Start();
        }
        catch (SkipException e)
        {
            SkipReason = e.Message;
            return;
        }
        DeployRun = await Cli.Run(
            "l1", "deploy", "--rpc", Anvil.Url.ToString(), "--key-file", KeyFile(0), "--vk", VkFile(8),
            "--committee", string.Join(',', Committee), "--threshold", "2",
            "--reporters", string.Join(',', Committee.Reverse()), "--reporter-threshold", "2",
            "--instruments", "4", "--account-depth", "4", "--positions-depth", "3", "--forced-delay", "3600", "--timelock-delay", "7200",
            "--out", AddressesFile);
    }

    public Task DisposeAsync()
    {
        Anvil?.Dispose();
        Dir.Delete(true);
        return Task.CompletedTask;
    }
}

public class L1DeployCommandTests(DeployedChain chain) : IClassFixture<DeployedChain>
{
    private static readonly ContractAbi TokenAbi = ContractAbi.Parse("""
        [{"type":"function","name":"mint","inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[]},
         {"type":"function","name":"approve","inputs":[{"name":"spender","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[{"name":"","type":"bool"}]}]
        """);

    private static readonly ContractAbi ValidiumAbi = ContractAbi.Parse("""
        [{"type":"function","name":"deposit","inputs":[{"name":"amount","type":"uint64"},{"name":"ax","type":"uint256"},{"name":"ay","type":"uint256"}],"outputs":[]},
         {"type":"function","name":"forcedWithdrawal","inputs":[{"name":"account","type":"uint64"},{"name":"ax","type":"uint256"},{"name":"ay","type":"uint256"},
           {"name":"amount","type":"uint64"},{"name":"recipient","type":"address"},
           {"name":"sig","type":"tuple","components":[{"name":"r8x","type":"uint256"},{"name":"r8y","type":"uint256"},{"name":"s","type":"uint256"}]}],"outputs":[]},
         {"type":"function","name":"domain","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
         {"type":"function","name":"token","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
         {"type":"function","name":"verifier","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
         {"type":"function","name":"oracle","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
         {"type":"function","name":"threshold","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
         {"type":"function","name":"isSigner","stateMutability":"view","inputs":[{"name":"","type":"address"}],"outputs":[{"name":"","type":"bool"}]}]
        """);

    private JsonElement Addresses()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(chain.AddressesFile));
        return doc.RootElement.Clone();
    }

    private void RequireDeployed()
    {
        Skip.If(chain.SkipReason is not null, chain.SkipReason);
        Assert.True(chain.DeployRun.Code == 0, chain.DeployRun.Err + chain.DeployRun.Out);
    }

    [SkippableFact]
    public async Task Deploy_wires_the_contracts_together_and_status_follows_deposits_and_forced_withdrawals()
    {
        RequireDeployed();
        Assert.Contains("no --token given: deploying TestToken", chain.DeployRun.Out);
        var a = Addresses();
        Assert.Equal(AnvilProcess.ChainId, a.GetProperty("chainId").GetInt64());
        Assert.True(a.GetProperty("testToken").GetBoolean());

        using var rpc = new JsonRpcClient(chain.Anvil!.Url);
        var eth = new EthClient(rpc);
        var validium = new Contract(eth, ValidiumAbi, EthereumAddress.Parse(a.GetProperty("validium").GetString()!));
        // The chain itself says what was wired where, independently of the file.
        Assert.Equal(EthereumAddress.Parse(a.GetProperty("token").GetString()!), await validium.CallSingleAsync("token"));
        Assert.Equal(EthereumAddress.Parse(a.GetProperty("verifier").GetString()!), await validium.CallSingleAsync("verifier"));
        Assert.Equal(EthereumAddress.Parse(a.GetProperty("oracle").GetString()!), await validium.CallSingleAsync("oracle"));
        Assert.Equal(new BigInteger(2), await validium.CallSingleAsync("threshold"));
        foreach (var member in chain.Committee) Assert.Equal(true, await validium.CallSingleAsync("isSigner", EthereumAddress.Parse(member)));
        foreach (var name in new[] { "poseidon3", "poseidon4", "poseidon5", "poseidon6", "eddsa", "verifier", "oracle", "token" })
            Assert.NotEmpty(await eth.GetCodeAsync(EthereumAddress.Parse(a.GetProperty(name).GetString()!)));

        var (code, stdout, stderr) = await Cli.Run("l1", "status", "--rpc", chain.Anvil.Url.ToString(), "--addresses", chain.AddressesFile);
        Assert.True(code == 0, stderr);
        Assert.Contains("batch:       0", stdout);
        Assert.Contains("frozen:      no", stdout);
        Assert.Contains("operations:  0 queued, 0 processed, 0 pending", stdout);
        Assert.Matches(@"stateRoot:   0x[0-9a-f]{64}", stdout);

        var key = Secp256k1PrivateKey.FromHex(AnvilProcess.DevKeys[1]);
        var nonces = await NonceManager.OpenAsync(Path.Combine(chain.Dir.FullName, "user-nonces.json"), eth, key.Address);
        var sender = new TransactionSender(eth, key, nonces, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        var token = new Contract(eth, TokenAbi, EthereumAddress.Parse(a.GetProperty("token").GetString()!));
        await token.SendAsync(sender, "mint", [key.Address, 1000]);
        await token.SendAsync(sender, "approve", [validium.Address, 1000]);
        var l2Key = Enumerable.Repeat((byte)7, 32).ToArray();
        var pub = EdDsaPoseidon.PrivateToPublic(l2Key);
        await validium.SendAsync(sender, "deposit", [500UL, pub.X.ToBigInteger(), pub.Y.ToBigInteger()]);

        // Signed as the contract checks it: Poseidon(domain, word, amount, nonce, 0), word = 2 + account·2^8 + recipient·2^72.
        var domain = (BigInteger)(await validium.CallSingleAsync("domain"))!;
        var word = 2 + (new BigInteger(3) << 8) + (new BigInteger(key.Address.ToBytes(), isUnsigned: true, isBigEndian: true) << 72);
        var message = Poseidon.Hash([Fr.FromBigInteger(domain), Fr.FromBigInteger(word), Fr.FromUInt64(200), Fr.Zero, Fr.Zero]);
        var sig = EdDsaPoseidon.Sign(l2Key, message);
        await validium.SendAsync(sender, "forcedWithdrawal",
            [3UL, pub.X.ToBigInteger(), pub.Y.ToBigInteger(), 200UL, key.Address, new object?[] { sig.R8.X.ToBigInteger(), sig.R8.Y.ToBigInteger(), sig.S }]);

        (code, stdout, stderr) = await Cli.Run("l1", "status", "--rpc", chain.Anvil.Url.ToString(), "--addresses", chain.AddressesFile);
        Assert.True(code == 0, stderr);
        Assert.Contains("operations:  2 queued, 0 processed, 2 pending", stdout);
        var pending = Regex.Matches(stdout, @"pending #(\d+): ([a-z ]+), deadline (\d+) .*, due in (\d+) s");
        Assert.Equal(["0", "1"], pending.Select(m => m.Groups[1].Value));
        Assert.Equal(["deposit", "forced withdrawal"], pending.Select(m => m.Groups[2].Value));
        var head = await eth.GetLatestBlockHeaderAsync();
        foreach (Match m in pending)
        {
            long deadline = long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(deadline - head!.Timestamp, 3000, 3600);
        }

        // Past the forced delay the same requests are overdue: anyone may now freeze the contract.
        await rpc.CallAsync("evm_increaseTime", [3700]);
        await rpc.CallAsync("evm_mine");
        (code, stdout, stderr) = await Cli.Run("l1", "status", "--rpc", chain.Anvil.Url.ToString(), "--contract", validium.Address.ToString());
        Assert.True(code == 0, stderr);
        Assert.Equal(2, Regex.Matches(stdout, @"pending #\d+: .*OVERDUE by \d+ s").Count);
    }

    [SkippableFact]
    public async Task Status_of_a_wrong_address_or_chain_is_one_line_and_exit_2()
    {
        RequireDeployed();
        var a = Addresses();
        var url = chain.Anvil!.Url.ToString();
        var (code, _, stderr) = await Cli.Run("l1", "status", "--rpc", url, "--contract", a.GetProperty("token").GetString()!);
        Assert.Equal(2, code);
        Assert.Contains("does not answer like a Validium contract", stderr);
        Assert.Single(Cli.Lines(stderr));
        (code, _, stderr) = await Cli.Run("l1", "status", "--rpc", url, "--contract", "0x00000000000000000000000000000000000000aa");
        Assert.Equal(2, code);
        Assert.Contains("there is no contract at", stderr);
        var otherChain = Path.Combine(chain.Dir.FullName, "other-chain.json");
        File.WriteAllText(otherChain, File.ReadAllText(chain.AddressesFile).Replace($"\"chainId\": {AnvilProcess.ChainId}", "\"chainId\": 1"));
        (code, _, stderr) = await Cli.Run("l1", "status", "--rpc", url, "--addresses", otherChain);
        Assert.Equal(2, code);
        Assert.Contains("the addresses file is for chain 1, but the node", stderr);
    }

    [SkippableFact]
    public async Task Deploy_refuses_a_bad_key_file_a_wrong_verifying_key_and_an_unreachable_node()
    {
        Skip.If(chain.SkipReason is not null, chain.SkipReason);
        var url = chain.Anvil!.Url.ToString();
        string[] Args(string rpc, string keyFile, string vk) =>
        [
            "l1", "deploy", "--rpc", rpc, "--key-file", keyFile, "--vk", vk, "--committee", string.Join(',', chain.Committee), "--threshold", "2",
            "--reporters", chain.Committee[0], "--reporter-threshold", "1", "--out", Path.Combine(chain.Dir.FullName, "never.json"),
        ];
        var badKey = Path.Combine(chain.Dir.FullName, "bad.key");
        File.WriteAllText(badKey, "0x1234 not a key");
        var (code, _, stderr) = await Cli.Run(Args(url, badKey, chain.VkFile(8)));
        Assert.Equal(2, code);
        Assert.Contains("expected a hex private key", stderr);
        Assert.DoesNotContain("1234", stderr);
        Assert.Single(Cli.Lines(stderr));

        // A V3 keystore opens with the password file; a damaged one or a wrong password is one clear line.
        var password = Path.Combine(chain.Dir.FullName, "password.txt");
        File.WriteAllText(password, "correct horse\n");
        var keystore = Path.Combine(chain.Dir.FullName, "keystore.json");
        File.WriteAllText(keystore, Keystore.Encrypt(Secp256k1PrivateKey.FromHex(new string('1', 64)), "correct horse", ScryptParameters.Light));
        (code, _, stderr) = await Cli.Run([.. Args(url, keystore, chain.VkFile(7)), "--password-file", password]);
        Assert.Equal(2, code);
        Assert.Contains("has 7 public", stderr);
        File.WriteAllText(password, "wrong horse\n");
        (code, _, stderr) = await Cli.Run([.. Args(url, keystore, chain.VkFile(8)), "--password-file", password]);
        Assert.Equal(2, code);
        Assert.StartsWith("vld: --key-file:", Cli.Lines(stderr).Single());
        var damaged = Path.Combine(chain.Dir.FullName, "damaged.json");
        File.WriteAllText(damaged, """{"version":3,"crypto":{"kdf":"scrypt"}}""");
        (code, _, stderr) = await Cli.Run([.. Args(url, damaged, chain.VkFile(8)), "--password-file", password]);
        Assert.Equal(2, code);
        Assert.Single(Cli.Lines(stderr));

        // The key file (unprefixed, padded) passes; the verifying key is refused before anything reaches the chain.
        (code, _, stderr) = await Cli.Run(Args(url, chain.KeyFile(1), chain.VkFile(7)));
        Assert.Equal(2, code);
        Assert.Contains("has 7 public input(s); the batch circuit (SPEC.md) has 8", stderr);

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        (code, _, stderr) = await Cli.Run(Args($"http://127.0.0.1:{port}", chain.KeyFile(1), chain.VkFile(8)));
        Assert.Equal(2, code);
        Assert.StartsWith("vld: eth_chainId: http://127.0.0.1:", stderr);
        Assert.Single(Cli.Lines(stderr));
        Assert.False(File.Exists(Path.Combine(chain.Dir.FullName, "never.json")));
    }

    [SkippableFact]
    public async Task Recovery_without_a_circuit_file_needs_a_verifier_that_publishes_it_and_deploy_checks_the_file()
    {
        RequireDeployed();
        var url = chain.Anvil!.Url.ToString();
        // This chain's verifier was deployed without --circuit, so it cannot tell recovery the batch data's layout.
        var (code, _, stderr) = await Cli.Run("recover", "--rpc", url, "--contract", Addresses().GetProperty("validium").GetString()!,
            "--dac", "http://127.0.0.1:1/", "--out", Path.Combine(chain.Dir.FullName, "recovered"));
        Assert.Equal(2, code);
        Assert.Contains("does not publish its circuit configuration", stderr);
        Assert.Contains("give the circuit file instead", stderr);

        var circuit = Path.Combine(chain.Dir.FullName, "circuit-depth5.json");
        File.WriteAllText(circuit, """
            {"accountDepth": 5, "positionsDepth": 3, "fillDepth": 8, "feeAccount": 0,
             "shape": {"deposits": 1, "trades": 1, "withdrawals": 1, "forced": 0},
             "instruments": [{"tickSize": 1, "lotSize": 1, "cashPerTickLot": 1, "makerFeePpm": 0, "takerFeePpm": 0, "initialMarginPpm": 100000, "maintenanceMarginPpm": 50000}]}
            """);
        (code, _, stderr) = await Cli.Run(
            "l1", "deploy", "--rpc", url, "--key-file", chain.KeyFile(0), "--vk", chain.VkFile(8),
            "--committee", string.Join(',', chain.Committee), "--threshold", "2",
            "--reporters", string.Join(',', chain.Committee), "--reporter-threshold", "2",
            "--instruments", "4", "--account-depth", "4", "--positions-depth", "3", "--circuit", circuit,
            "--out", Path.Combine(chain.Dir.FullName, "unused.json"));
        Assert.Equal(2, code);
        Assert.Contains("is for account depth 5, positions depth 3 and 1 instruments; the contract is deployed for 4, 3 and 4", stderr);
    }
}
