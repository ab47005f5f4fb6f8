using System.Numerics;
using System.Text.Json;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.L1.Transactions;
using Validium.Proving.Formats;
using Validium.Proving.Solidity;
using Validium.Settlement;

namespace Validium.Cli;

/// <summary>What `vld l1 deploy` was asked for, validated before anything touches the chain.</summary>
internal sealed record DeployRequest(
    Uri Rpc, Secp256k1PrivateKey Key, FileInfo Vk, EthereumAddress? Token,
    EthereumAddress[] Committee, int Threshold, EthereumAddress[] Reporters, int ReporterThreshold,
    int Instruments, int AccountDepth, int PositionsDepth, long ForcedDelay, long TimelockDelay,
    EthereumAddress? Owner, DirectoryInfo Repo, FileInfo Out, byte[]? CircuitConfig = null);

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
    /// <summary>The batch data commitment on-chain (submitBatchWithData); absent in files written before it existed.</summary>
    public string? Sponge { get; init; }
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
        Dictionary<string, ContractArtifact> artifacts;
        try
        {
            artifacts = ContractArtifacts.Compile(req.Repo, VerifierEmitter.Emit(vk, "Groth16Verifier", req.CircuitConfig));
        }
        catch (ContractBuildException e)
        {
            throw new UsageException(e.Message);
        }
        // The contract builds the verifier's input array itself: its length must be what the key was made for.
        var piType = artifacts["Validium"].Abi.Function("publicInputs").Outputs[0].Type.CanonicalName;
        if (piType != $"uint256[{BatchPublicInputs}]")
            throw new UsageException($"Validium.sol passes {piType} to the verifier, but this vld expects {BatchPublicInputs} inputs: rebuild vld from the same checkout");

        var nonceFile = Path.ChangeExtension(req.Out.FullName, ".nonces.json");
        var nonces = await NonceManager.OpenAsync(nonceFile, eth, req.Key.Address, ct: ct);
        var sender = new TransactionSender(eth, req.Key, nonces, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(250) });
        var owner = req.Owner ?? req.Key.Address;
        await stdout.WriteLineAsync($"deploying to chain {chainId} from {req.Key.Address} (nonces in {Path.GetFileName(nonceFile)})");
        var d = await SystemDeployment.DeployAsync(sender, artifacts, new DeploymentRequest(req.Token, req.Committee, req.Threshold, req.Reporters, req.ReporterThreshold,
            req.Instruments, req.AccountDepth, req.PositionsDepth, req.ForcedDelay, req.TimelockDelay, owner), stdout.WriteLineAsync, ct);

        var result = new DeployedAddresses
        {
            ChainId = chainId,
            Block = d.Block,
            Deployer = req.Key.Address.ToString(),
            Owner = owner.ToString(),
            Token = d.Token.ToString(),
            TestToken = req.Token is null,
            Verifier = d.Verifier.ToString(),
            Oracle = d.Oracle.ToString(),
            Poseidon3 = d.Poseidon3.ToString(),
            Poseidon4 = d.Poseidon4.ToString(),
            Poseidon5 = d.Poseidon5.ToString(),
            Poseidon6 = d.Poseidon6.ToString(),
            Eddsa = d.Eddsa.ToString(),
            Sponge = d.Sponge.ToString(),
            Validium = d.Validium.ToString(),
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
        await stdout.WriteLineAsync($"deployed: Validium at {d.Validium}; addresses in {req.Out.Name}");
    }

    /// <summary>The directory holding validium/contracts/build.mjs: --repo, else the first ancestor of the working or vld's directory.</summary>
    public static DirectoryInfo FindRepo(DirectoryInfo? given)
    {
        try
        {
            return ContractArtifacts.FindRepo(given);
        }
        catch (ContractBuildException e)
        {
            throw new UsageException(given is null ? e.Message + ": pass --repo" : "--repo " + e.Message);
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
