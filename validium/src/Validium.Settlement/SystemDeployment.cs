using System.Numerics;
using Validium.Crypto;
using Validium.L1.Contracts;
using Validium.L1.Transactions;

namespace Validium.Settlement;

/// <summary>What to deploy: committee and reporter sets strictly ascending (Governance._setSigners), depths and delays as Validium.sol's Config.</summary>
public sealed record DeploymentRequest(
    EthereumAddress? Token, EthereumAddress[] Committee, int Threshold, EthereumAddress[] Reporters, int ReporterThreshold,
    int Instruments, int AccountDepth, int PositionsDepth, long ForcedDelay, long TimelockDelay, EthereumAddress Owner);

/// <summary>The deployed contract set; <see cref="Block"/> is a block at or before Validium's deployment, where event scans start.</summary>
public sealed record DeployedSystem(
    long Block, EthereumAddress Token, bool TestToken, EthereumAddress Verifier, EthereumAddress Oracle,
    EthereumAddress Poseidon3, EthereumAddress Poseidon4, EthereumAddress Poseidon5, EthereumAddress Poseidon6, EthereumAddress Eddsa, EthereumAddress Validium,
    EthereumAddress Sponge);

/// <summary>Deploys the contract set in SPEC.md's dependency order; `vld l1 deploy` and the end-to-end path share it.</summary>
public static class SystemDeployment
{
    public static async Task<DeployedSystem> DeployAsync(TransactionSender sender, IReadOnlyDictionary<string, ContractArtifact> artifacts, DeploymentRequest req,
        Func<string, Task>? log = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(req);
        log ??= _ => Task.CompletedTask;

        async Task<EthereumAddress> Deploy(string name, params object?[] args)
        {
            var a = artifacts[name];
            var c = await Contract.DeployAsync(sender, a.Abi, a.Bytecode, args, ct: ct);
            await log($"  {name,-22} {c.Address}");
            return c.Address;
        }

        EthereumAddress token;
        if (req.Token is { } t) token = t;
        else
        {
            await log("  no --token given: deploying TestToken, which anyone can mint (test chains only)");
            token = await Deploy("TestToken");
        }
        var p3 = await Deploy("PoseidonT3");
        var p4 = await Deploy("PoseidonT4");
        var p5 = await Deploy("PoseidonT5");
        var p6 = await Deploy("PoseidonT6");
        var eddsa = await Deploy("EdDsaPoseidonVerifier", p6);
        var oracle = await Deploy("PriceOracle", p6, req.Instruments, req.Reporters.Cast<object?>().ToArray(), req.ReporterThreshold, req.Owner, req.TimelockDelay);
        var verifier = await Deploy("Groth16Verifier");
        var spongeNames = Proving.Solidity.PoseidonSpongeEmitter.ContractNames();
        var parts = new List<object?>();
        foreach (var part in spongeNames.Take(spongeNames.Count - 1)) parts.Add(await Deploy(part));
        var sponge = await Deploy(spongeNames[^1], [parts.ToArray()]);
        object?[] config =
        [
            token, verifier, oracle, p3, p4, p5, p6, eddsa, req.AccountDepth, req.PositionsDepth, req.ForcedDelay, req.TimelockDelay,
            req.Owner, req.Committee.Cast<object?>().ToArray(), req.Threshold, sponge,
        ];
        // Every L1Operation comes after Validium exists, so scanning logs from this block sees them all.
        var firstBlock = await sender.Eth.BlockNumberAsync(ct);
        var validium = await Deploy("Validium", [config]);
        return new DeployedSystem(firstBlock, token, req.Token is null, verifier, oracle, p3, p4, p5, p6, eddsa, validium, sponge);
    }

    /// <summary>Signer sets go on chain strictly ascending by address value.</summary>
    public static EthereumAddress[] Ascending(IEnumerable<EthereumAddress> set) =>
        [.. set.OrderBy(a => new BigInteger(a.ToBytes(), isUnsigned: true, isBigEndian: true))];
}
