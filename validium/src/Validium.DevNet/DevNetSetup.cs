using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.L1.Anvil;
using Validium.L1.Rpc;
using Validium.L1.Transactions;
using Validium.Proving.Groth16;
using Validium.Proving.Solidity;
using Validium.Settlement;

namespace Validium.DevNet;

/// <summary>
/// A devnet's first run: accounts funded from anvil's development key, the batch circuit's development keys written
/// as the batcher's data directory, the contracts compiled (verifier from that key, circuit configuration embedded)
/// and deployed, member configs on free loopback ports, and the manifest. Each step keeps what an earlier,
/// interrupted run left (keys, the batcher directory); the manifest is written last, so its presence means done.
/// </summary>
internal static class DevNetSetup
{
    public const string BatcherDir = "batcher";
    public const string AnvilState = "anvil/state.json";
    public const string NoncesDir = "nonces";
    public const string FeederNonces = NoncesDir + "/feeder.json";

    /// <summary>What each of the operator, the oracle submitter and the faucet is given: plenty of gas for a development chain.</summary>
    private static readonly BigInteger Funding = BigInteger.Pow(10, 18) * 1_000;

    public static TransactionSenderOptions SenderOptions => new() { PollInterval = TimeSpan.FromMilliseconds(100), PriorityFeePerGas = 1_000_000_000 };

    public static async Task<DevNetManifest> RunAsync(string root, DevNetOptions o, DevNetKeys keys, AnvilNode anvil, ILogger log, CancellationToken ct)
    {
        using var rpc = new JsonRpcClient(anvil.Url, new JsonRpcClientOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(30) });
        var eth = new EthClient(rpc);
        var chainId = (long)await eth.ChainIdAsync(ct);
        Directory.CreateDirectory(Path.Combine(root, NoncesDir));

        var funder = await SenderAsync(root, eth, Secp256k1PrivateKey.FromHex(AnvilNode.DevKeys[0]), "anvil-dev-0", ct);
        foreach (var to in new[] { keys.Operator.Address, keys.Reporters[0].Address, keys.Faucet.Address })
            if (await eth.GetBalanceAsync(to, ct: ct) < Funding / 2)
                await funder.SendAndWaitAsync(new TransactionRequest(to, [], Funding), ct);

        var (config, vk) = Circuit(root, o, log);
        var configBytes = Encoding.UTF8.GetBytes(StateSnapshot.ConfigJson(config).ToJsonString());
        log.LogInformation("compiling the contracts (verifier of the batch circuit, configuration embedded)");
        var artifacts = ContractArtifacts.Compile(ContractArtifacts.FindRepo(o.Repository is null ? null : new DirectoryInfo(o.Repository)),
            VerifierEmitter.Emit(vk, circuitConfig: configBytes));

        var operatorSender = await SenderAsync(root, eth, keys.Operator, "operator", ct);
        var committee = SystemDeployment.Ascending(keys.Members.Select(k => k.Address));
        var reporters = SystemDeployment.Ascending(keys.Reporters.Select(k => k.Address));
        // PriceOracle's price count is the round's: the instruments' prices and one spot slot per option.
        var d = await SystemDeployment.DeployAsync(operatorSender, artifacts, new DeploymentRequest(null, committee, o.Threshold, reporters, DevNetOptions.ReporterThreshold,
            config.PriceCount, config.AccountDepth, config.PositionsDepth, o.ForcedDelaySeconds, o.TimelockDelaySeconds, keys.Operator.Address),
            line =>
            {
                log.LogInformation("{Line}", line.Trim());
                return Task.CompletedTask;
            }, ct);

        var ports = FreeLoopbackPorts(o.Members);
        var members = new ManifestMember[o.Members];
        for (int i = 0; i < o.Members; i++)
        {
            var configPath = WriteMemberConfig(root, i, ports[i], chainId, d.Validium, keys, o.Threshold);
            members[i] = new ManifestMember(i, keys.Members[i].Address.ToString(), $"http://127.0.0.1:{ports[i].ToString(CultureInfo.InvariantCulture)}/",
                Path.GetRelativePath(root, configPath));
        }

        return new DevNetManifest
        {
            Version = DevNetManifest.CurrentVersion,
            Rpc = anvil.Url.ToString(),
            ChainId = chainId,
            AnvilPort = anvil.Port,
            AnvilState = AnvilState,
            PasswordFile = DevNetKeys.PasswordFile,
            Contracts = new ManifestContracts(d.Validium.ToString(), d.Verifier.ToString(), d.Oracle.ToString(), d.Token.ToString(), d.TestToken,
                d.Poseidon3.ToString(), d.Poseidon4.ToString(), d.Poseidon5.ToString(), d.Poseidon6.ToString(), d.Eddsa.ToString(), d.Block),
            Operator = new ManifestKey(keys.Operator.Address.ToString(), DevNetKeys.OperatorFile),
            Committee = new ManifestCommittee(o.Threshold, members),
            Oracle = new ManifestOracle(DevNetOptions.ReporterThreshold,
                [.. keys.Reporters.Select((k, i) => new ManifestKey(k.Address.ToString(), DevNetKeys.ReporterFile(i)))],
                new ManifestKey(keys.Reporters[0].Address.ToString(), DevNetKeys.ReporterFile(0)), o.OracleIntervalSeconds ?? 0, o.PriceSeed),
            BatcherDir = BatcherDir,
            Instruments = [.. o.Instruments.Select(i => new ManifestInstrument(i.Symbol, i.Spec, i.InitialPrice))],
            Traders = new ManifestTraders(d.Token.ToString(), d.TestToken, new ManifestKey(keys.Faucet.Address.ToString(), DevNetKeys.FaucetFile)),
            ForcedDelaySeconds = o.ForcedDelaySeconds,
            TimelockDelaySeconds = o.TimelockDelaySeconds,
        };
    }

    public static async Task<TransactionSender> SenderAsync(string root, EthClient eth, Secp256k1PrivateKey key, string name, CancellationToken ct)
    {
        var nonces = await NonceManager.OpenAsync(Path.Combine(root, NoncesDir, name + ".json"), eth, key.Address, ct: ct);
        return new TransactionSender(eth, key, nonces, SenderOptions);
    }

    /// <summary>
    /// The batcher's data directory: kept when an earlier run made it (its keys are what a deployed verifier checks),
    /// else made with a development setup of the requested circuit.
    /// </summary>
    private static (CircuitConfig Config, VerifyingKey Vk) Circuit(string root, DevNetOptions o, ILogger log)
    {
        var dir = Path.Combine(root, BatcherDir);
        var wanted = o.Circuit ?? DevNetOptions.DefaultCircuit(o.Instruments);
        if (File.Exists(Path.Combine(dir, BatchStore.ConfigFile)))
        {
            var existing = BatchStore.Open(dir);
            if (StateSnapshot.ConfigJson(existing.Config).ToJsonString() != StateSnapshot.ConfigJson(wanted).ToJsonString())
                throw new InvalidOperationException($"{dir} holds keys for another circuit configuration than the one asked for: remove it or the whole devnet directory");
            log.LogInformation("batch circuit keys: reusing {Dir}", dir);
            return (existing.Config, existing.VerifyingKey);
        }
        var circuit = new BatchCircuit(wanted);
        log.LogInformation("batch circuit ({Shape}, account depth {Depth}): compiling and running the development setup; this takes a while",
            wanted.Shape, wanted.AccountDepth);
        var pk = Setup.Run(circuit.Compile().R1cs, devSeed: o.SetupSeed);
        var store = BatchStore.Initialize(dir, wanted, pk);
        return (store.Config, store.VerifyingKey);
    }

    /// <summary>A config `vld dac member --config` runs as it is; the devnet runs the same file in-process.</summary>
    private static string WriteMemberConfig(string root, int i, int port, long chainId, EthereumAddress validium, DevNetKeys keys, int threshold)
    {
        var dir = Path.Combine(root, DevNetKeys.MemberDir(i));
        Directory.CreateDirectory(dir);
        var config = new JsonObject
        {
            ["Listen"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["Keystore"] = "keystore.json",
            ["PasswordFile"] = Path.GetRelativePath(dir, Path.Combine(root, DevNetKeys.PasswordFile)),
            ["DataDir"] = "data",
            ["ChainId"] = chainId.ToString(CultureInfo.InvariantCulture),
            ["Contract"] = validium.ToString(),
            ["Sequencer"] = keys.Operator.Address.ToString(),
            // Fixed membership (the contract's, as deployed): a member starts and serves while the chain is down.
            ["Committee"] = new JsonObject
            {
                ["Members"] = new JsonArray([.. keys.Members.Select(k => (JsonNode)k.Address.ToString())]),
                ["Threshold"] = threshold,
            },
        };
        var path = Path.Combine(dir, "config.json");
        File.WriteAllText(path + ".tmp", config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }

    /// <summary>n distinct ports the OS says are free now, all held open until every one is chosen.</summary>
    private static int[] FreeLoopbackPorts(int n)
    {
        var listeners = Enumerable.Range(0, n).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners) l.Start();
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}
