using System.CommandLine;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.L1.Transactions;

namespace Validium.Cli;

/// <summary>`vld l1 …`: talking to the Ethereum L1 node: connectivity, deploying the contracts, their state.</summary>
internal static class L1Commands
{
    public static Command Build(TextWriter stdout)
    {
        var l1 = new Command("l1", "The Ethereum L1 chain the appliance settles on");
        l1.Subcommands.Add(BlockNumber(stdout));
        l1.Subcommands.Add(Deploy(stdout));
        l1.Subcommands.Add(Status(stdout));
        return l1;
    }

    private static Command BlockNumber(TextWriter stdout)
    {
        var rpc = RpcOption();
        var cmd = new Command("block-number", "Print the node's latest block number (a connectivity check)") { rpc };
        cmd.SetAction(async (r, ct) =>
        {
            var uri = RpcUrl(r.GetValue(rpc)!);
            using var client = new JsonRpcClient(uri, new JsonRpcClientOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(5) });
            try
            {
                await stdout.WriteLineAsync((await new EthClient(client).BlockNumberAsync(ct)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is RpcTransportException or JsonRpcException)
            {
                throw new UsageException(e.Message);
            }
            return 0;
        });
        return cmd;
    }

    private static Option<string> RpcOption() =>
        new("--rpc") { Description = "JSON-RPC endpoint of the L1 node, e.g. http://127.0.0.1:8545", Required = true };

    private static Uri RpcUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"--rpc must be an http(s) URL, got '{url}'");

    private static Command Deploy(TextWriter stdout)
    {
        var rpc = RpcOption();
        var keyFile = new Option<FileInfo>("--key-file") { Description = "The deployer's key: a file holding a hex private key, or a V3 keystore (vld dac keygen)", Required = true };
        var passwordFile = KeyFile.PasswordFileOption();
        var vk = new Option<FileInfo>("--vk") { Description = "The batch circuit's verification_key.json (snarkjs format)", Required = true };
        var token = new Option<string?>("--token") { Description = "Collateral ERC-20; without it a TestToken is deployed (test chains only)" };
        var committee = new Option<string>("--committee") { Description = "DA committee addresses, comma-separated", Required = true };
        var threshold = new Option<int>("--threshold") { Description = "DA signatures a batch needs", Required = true };
        var reporters = new Option<string>("--reporters") { Description = "Price reporter addresses, comma-separated", Required = true };
        var reporterThreshold = new Option<int>("--reporter-threshold") { Description = "Reporter signatures a price round needs", Required = true };
        var instruments = new Option<int>("--instruments") { Description = "Instruments the oracle prices", DefaultValueFactory = _ => 16 };
        var accountDepth = new Option<int>("--account-depth") { Description = "Account tree depth, 1..64", DefaultValueFactory = _ => 32 };
        var positionsDepth = new Option<int>("--positions-depth") { Description = "Per-account positions tree depth, 1..32", DefaultValueFactory = _ => 8 };
        var forcedDelay = new Option<long>("--forced-delay") { Description = "Seconds a batch has to consume an L1 operation before anyone may freeze the contract", DefaultValueFactory = _ => 7 * 86400 };
        var timelockDelay = new Option<long>("--timelock-delay") { Description = "Seconds a governance change waits; must exceed --forced-delay", DefaultValueFactory = _ => 14 * 86400 };
        var owner = new Option<string?>("--owner") { Description = "Governance owner (default: the deployer)" };
        var repo = new Option<DirectoryInfo?>("--repo") { Description = "Checkout holding validium/contracts (default: found above the working directory)" };
        var circuit = new Option<FileInfo?>("--circuit") { Description = "The batch circuit's circuit.json: published by the verifier (circuitConfig()) so `vld recover` needs no file" };
        var outFile = new Option<FileInfo>("--out") { Description = "Addresses JSON to write (the nonce state goes beside it as <name>.nonces.json)", Required = true };
        var cmd = new Command("deploy", "Compile and deploy the L1 contracts (verifier from --vk) and write their addresses")
        {
            rpc, keyFile, passwordFile, vk, token, committee, threshold, reporters, reporterThreshold, instruments, accountDepth, positionsDepth,
            forcedDelay, timelockDelay, owner, repo, circuit, outFile,
        };
        cmd.SetAction(async (r, ct) =>
        {
            var uri = RpcUrl(r.GetValue(rpc)!);
            var vkFile = r.GetValue(vk)!;
            if (!vkFile.Exists) throw new UsageException($"--vk {vkFile.FullName} does not exist");
            int ad = r.GetValue(accountDepth), pd = r.GetValue(positionsDepth), n = r.GetValue(instruments);
            if (ad is < 1 or > 64) throw new UsageException($"--account-depth must be within 1..64, got {ad}");
            if (pd is < 1 or > 32) throw new UsageException($"--positions-depth must be within 1..32, got {pd}");
            if (n < 1 || (pd < 31 && n > 1 << pd)) throw new UsageException($"--instruments must be within 1..2^positions-depth ({(pd < 31 ? 1L << pd : 1L << 32)}), got {n}");
            long fd = r.GetValue(forcedDelay), td = r.GetValue(timelockDelay);
            if (fd < 1 || fd > uint.MaxValue / 2) throw new UsageException($"--forced-delay must be a positive number of seconds, got {fd}");
            if (td <= fd) throw new UsageException($"--timelock-delay ({td}) must exceed --forced-delay ({fd}): a malicious change must not land before users can force their way out");
            var circuitConfig = r.GetValue(circuit) is { } circuitFile ? CircuitForVerifier(circuitFile, ad, pd, n) : null;
            var req = new DeployRequest(
                uri, KeyFile.Read(r.GetValue(keyFile)!, r.GetValue(passwordFile)), vkFile, Address("--token", r.GetValue(token)),
                L1Deploy.SignerSet("--committee", r.GetValue(committee)!, r.GetValue(threshold), "--threshold"), r.GetValue(threshold),
                L1Deploy.SignerSet("--reporters", r.GetValue(reporters)!, r.GetValue(reporterThreshold), "--reporter-threshold"), r.GetValue(reporterThreshold),
                n, ad, pd, fd, td, Address("--owner", r.GetValue(owner)), L1Deploy.FindRepo(r.GetValue(repo)), r.GetValue(outFile)!, circuitConfig);
            await OneLineErrors(() => L1Deploy.Run(req, stdout, ct));
            return 0;
        });
        return cmd;
    }

    /// <summary>The circuit file re-written canonically, after checking it describes the trees the contract is deployed for.</summary>
    private static byte[] CircuitForVerifier(FileInfo file, int accountDepth, int positionsDepth, int instruments)
    {
        var config = CircuitFile.Read(file);
        if (config.AccountDepth != accountDepth || config.PositionsDepth != positionsDepth || config.InstrumentCount > instruments)
            throw new UsageException($"--circuit {file.Name} is for account depth {config.AccountDepth}, positions depth {config.PositionsDepth} and {config.InstrumentCount} instruments; "
                + $"the contract is deployed for {accountDepth}, {positionsDepth} and {instruments}");
        return System.Text.Encoding.UTF8.GetBytes(StateSnapshot.ConfigJson(config).ToJsonString());
    }

    private static Command Status(TextWriter stdout)
    {
        var rpc = RpcOption();
        var addresses = new Option<FileInfo?>("--addresses") { Description = "The addresses JSON `vld l1 deploy` wrote" };
        var contract = new Option<string?>("--contract") { Description = "The Validium contract's address (instead of --addresses; its events are then searched from block 0)" };
        var cmd = new Command("status", "Print the contract's state root, batch number, frozen flag and pending L1 operations") { rpc, addresses, contract };
        cmd.SetAction(async (r, ct) =>
        {
            var uri = RpcUrl(r.GetValue(rpc)!);
            var file = r.GetValue(addresses);
            var given = r.GetValue(contract);
            if ((file is null) == (given is null)) throw new UsageException("give exactly one of --addresses and --contract");
            var deployed = file is null ? null : DeployedAddresses.Read(file);
            var at = deployed is null ? Address("--contract", given)!.Value : Address($"--addresses {file!.Name}: validium", deployed.Validium)!.Value;
            await OneLineErrors(() => L1Status.Run(uri, at, deployed?.ChainId, deployed?.Block ?? 0, stdout, ct));
            return 0;
        });
        return cmd;
    }

    private static EthereumAddress? Address(string option, string? value) =>
        value is null ? null
        : EthereumAddress.TryParse(value, out var a) ? a
        : throw new UsageException($"{option}: '{value}' is not an address");

    /// <summary>Failures of the node or the chain (unreachable, refused, reverted) are the caller's to fix: one line, exit 2.</summary>
    private static async Task OneLineErrors(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception e) when (e is RpcTransportException or JsonRpcException or ContractRevertException or TransactionFailedException
                                      or TransactionRejectedException or NonceConsumedException)
        {
            throw new UsageException(e.Message);
        }
    }
}
