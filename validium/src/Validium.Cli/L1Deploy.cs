using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.L1.Transactions;
using Validium.Proving.Formats;
using Validium.Proving.Solidity;

namespace Validium.Cli;

/// <summary>What `vld l1 deploy` was asked for, validated before anything touches the chain.</summary>
internal sealed record DeployRequest(
    Uri Rpc, Secp256k1PrivateKey Key, FileInfo Vk, EthereumAddress? Token,
    EthereumAddress[] Committee, int Threshold, EthereumAddress[] Reporters, int ReporterThreshold,
    int Instruments, int AccountDepth, int PositionsDepth, long ForcedDelay, long TimelockDelay,
    EthereumAddress? Owner, DirectoryInfo Repo, FileInfo Out);

/// <summary>The deployed system as `vld l1 deploy` writes it and `vld l1 status` (and later the operator) reads it.</summary>
internal sealed record DeployedAddresses
{
    public required long ChainId { get; init; }
    /// <summary>A block at or before Validium's deployment: where scans for its events start.</summary>
    public required long Block { get; init; }
    public required string Deployer { get; init; }
    public required string Owner { get; init; }
    public required string Token { get; init; }
    public required bool TestToken { get; init; }
    public required string Verifier { get; init; }
    public required string Oracle { get; init; }
    public required string Poseidon3 { get; init; }
    public required string Poseidon4 { get; init; }
    public required string Poseidon5 { get; init; }
    public required string Poseidon6 { get; init; }
    public required string Eddsa { get; init; }
    public required string Validium { get; init; }
    public required int AccountDepth { get; init; }
    public required int PositionsDepth { get; init; }
    public required int Instruments { get; init; }
    public required long ForcedDelay { get; init; }
    public required long TimelockDelay { get; init; }
    public required string[] Committee { get; init; }
    public required int Threshold { get; init; }
    public required string[] Reporters { get; init; }
    public required int ReporterThreshold { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static DeployedAddresses Read(FileInfo file)
    {
        if (!file.Exists) throw new UsageException($"--addresses {file.FullName} does not exist");
        try
        {
            return JsonSerializer.Deserialize<DeployedAddresses>(File.ReadAllText(file.FullName), Json)
                ?? throw new UsageException($"--addresses {file.Name} holds null");
        }
        catch (JsonException e)
        {
            throw new UsageException($"--addresses {file.Name} is not a `vld l1 deploy` addresses file: {e.Message}");
        }
    }
}

/// <summary>
/// `vld l1 deploy`: the batch verifier generated from the verifying key, everything compiled by the repository's
/// build.mjs (the one place compiler settings live), then deployed in SPEC.md's dependency order.
/// </summary>
internal static class L1Deploy
{
    /// <summary>SPEC.md, "Public inputs": the eight values the contract hands the verifier.</summary>
    public const int BatchPublicInputs = 8;

    public static async Task Run(DeployRequest req, TextWriter stdout, CancellationToken ct)
    {
        var vk = SnarkjsJson.ReadVerificationKey(File.ReadAllText(req.Vk.FullName), req.Vk.Name);
        if (vk.NumPublic != BatchPublicInputs)
            throw new UsageException($"--vk {req.Vk.Name} has {vk.NumPublic} public input(s); the batch circuit (SPEC.md) has {BatchPublicInputs}");
        using var rpc = new JsonRpcClient(req.Rpc, new JsonRpcClientOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(30) });
        var eth = new EthClient(rpc);
        var chainId = (long)await eth.ChainIdAsync(ct);
        if (req.Token is { } given && (await eth.GetCodeAsync(given, "latest", ct)).Length == 0)
            throw new UsageException($"--token {given}: there is no contract at that address on chain {chainId}");
        // Compiled after the node answered, so a wrong --rpc fails in a second, not after solc.
        var artifacts = Compile(req.Repo, VerifierEmitter.Emit(vk, "Groth16Verifier"));
        // The contract builds the verifier's input array itself: its length must be what the key was made for.
        var piType = artifacts["Validium"].Abi.Function("publicInputs").Outputs[0].Type.CanonicalName;
        if (piType != $"uint256[{BatchPublicInputs}]")
            throw new UsageException($"Validium.sol passes {piType} to the verifier, but this vld expects {BatchPublicInputs} inputs: rebuild vld from the same checkout");

        var nonceFile = Path.ChangeExtension(req.Out.FullName, ".nonces.json");
        var nonces = await NonceManager.OpenAsync(nonceFile, eth, req.Key.Address, ct: ct);
        var sender = new TransactionSender(eth, req.Key, nonces, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(250) });
        var owner = req.Owner ?? req.Key.Address;
        await stdout.WriteLineAsync($"deploying to chain {chainId} from {req.Key.Address} (nonces in {Path.GetFileName(nonceFile)})");

        async Task<EthereumAddress> Deploy(string name, params object?[] args)
        {
            var a = artifacts[name];
            var c = await Contract.DeployAsync(sender, a.Abi, a.Bytecode, args, ct: ct);
            await stdout.WriteLineAsync($"  {name,-22} {c.Address}");
            return c.Address;
        }

        EthereumAddress token;
        if (req.Token is { } t) token = t;
        else
        {
            await stdout.WriteLineAsync("  no --token given: deploying TestToken, which anyone can mint (test chains only)");
            token = await Deploy("TestToken");
        }
        var p3 = await Deploy("PoseidonT3");
        var p4 = await Deploy("PoseidonT4");
        var p5 = await Deploy("PoseidonT5");
        var p6 = await Deploy("PoseidonT6");
        var eddsa = await Deploy("EdDsaPoseidonVerifier", p6);
        var oracle = await Deploy("PriceOracle", p6, req.Instruments, req.Reporters.Cast<object?>().ToArray(), req.ReporterThreshold, owner, req.TimelockDelay);
        var verifier = await Deploy("Groth16Verifier");
        object?[] config =
        [
            token, verifier, oracle, p3, p4, p5, p6, eddsa, req.AccountDepth, req.PositionsDepth, req.ForcedDelay, req.TimelockDelay,
            owner, req.Committee.Cast<object?>().ToArray(), req.Threshold,
        ];
        // Every L1Operation comes after Validium exists, so scanning logs from this block sees them all.
        var firstBlock = await eth.BlockNumberAsync(ct);
        var validium = await Deploy("Validium", [config]);

        var result = new DeployedAddresses
        {
            ChainId = chainId,
            Block = firstBlock,
            Deployer = req.Key.Address.ToString(),
            Owner = owner.ToString(),
            Token = token.ToString(),
            TestToken = req.Token is null,
            Verifier = verifier.ToString(),
            Oracle = oracle.ToString(),
            Poseidon3 = p3.ToString(),
            Poseidon4 = p4.ToString(),
            Poseidon5 = p5.ToString(),
            Poseidon6 = p6.ToString(),
            Eddsa = eddsa.ToString(),
            Validium = validium.ToString(),
            AccountDepth = req.AccountDepth,
            PositionsDepth = req.PositionsDepth,
            Instruments = req.Instruments,
            ForcedDelay = req.ForcedDelay,
            TimelockDelay = req.TimelockDelay,
            Committee = req.Committee.Select(a => a.ToString()).ToArray(),
            Threshold = req.Threshold,
            Reporters = req.Reporters.Select(a => a.ToString()).ToArray(),
            ReporterThreshold = req.ReporterThreshold,
        };
        // Written whole or not at all: a half file would lose the addresses of contracts that now exist.
        var tmp = req.Out.FullName + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(result, DeployedAddresses.Json));
        File.Move(tmp, req.Out.FullName, overwrite: true);
        await stdout.WriteLineAsync($"deployed: Validium at {validium}; addresses in {req.Out.Name}");
    }

    /// <summary>The directory holding validium/contracts/build.mjs: --repo, else the first ancestor of the working or vld's directory.</summary>
    public static DirectoryInfo FindRepo(DirectoryInfo? given)
    {
        static bool IsRepo(DirectoryInfo d) => File.Exists(BuildScript(d));
        if (given is not null)
            return IsRepo(given) ? given : throw new UsageException($"--repo {given.FullName} has no validium/contracts/build.mjs");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (IsRepo(d)) return d;
        throw new UsageException("cannot find the contracts (validium/contracts/build.mjs) above the working directory: pass --repo");
    }

    private static string BuildScript(DirectoryInfo repo) => Path.Combine(repo.FullName, "validium", "contracts", "build.mjs");

    private sealed record Artifact(ContractAbi Abi, byte[] Bytecode);

    private static Dictionary<string, Artifact> Compile(DirectoryInfo repo, string verifierSource)
    {
        var tmp = Directory.CreateTempSubdirectory("vld-deploy-");
        try
        {
            var sol = Path.Combine(tmp.FullName, "BatchVerifier.sol");
            File.WriteAllText(sol, verifierSource);
            var outDir = Path.Combine(tmp.FullName, "out");
            var psi = new ProcessStartInfo("node") { WorkingDirectory = repo.FullName, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { BuildScript(repo), "--out", outDir, "--extra", sol }) psi.ArgumentList.Add(a);
            Process p;
            try
            {
                p = Process.Start(psi)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new UsageException("node is not installed: the contracts are compiled with the repository's solc through node");
            }
            using (p)
            {
                var err = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0)
                {
                    var first = err.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
                    throw new UsageException($"compiling the contracts failed (node build.mjs exit {p.ExitCode}): {first}");
                }
            }
            var artifacts = new Dictionary<string, Artifact>(StringComparer.Ordinal);
            foreach (var name in new[] { "TestToken", "PoseidonT3", "PoseidonT4", "PoseidonT5", "PoseidonT6", "EdDsaPoseidonVerifier", "PriceOracle", "Groth16Verifier", "Validium" })
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, name + ".json")));
                artifacts[name] = new Artifact(ContractAbi.FromJson(doc.RootElement.GetProperty("abi")), Validium.L1.Hex.Decode(doc.RootElement.GetProperty("bytecode").GetString()!));
            }
            return artifacts;
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }

    /// <summary>Signer sets go on chain strictly ascending (Governance._setSigners); a repeated address is a typo, not a set.</summary>
    public static EthereumAddress[] SignerSet(string option, string list, int threshold, string thresholdOption)
    {
        var items = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var set = new EthereumAddress[items.Length];
        for (int i = 0; i < items.Length; i++)
            if (!EthereumAddress.TryParse(items[i], out set[i]))
                throw new UsageException($"{option}: '{items[i]}' is not an address");
        if (set.Length == 0) throw new UsageException($"{option} lists no address");
        if (set.Distinct().Count() != set.Length) throw new UsageException($"{option} lists an address twice");
        if (threshold < 1 || threshold > set.Length) throw new UsageException($"{thresholdOption} must be within 1..{set.Length}, got {threshold}");
        return [.. set.OrderBy(a => new BigInteger(a.ToBytes(), isUnsigned: true, isBigEndian: true))];
    }
}
