using System.CommandLine;
using Validium.L1.Rpc;

namespace Validium.Cli;

/// <summary>`vld l1 …`: talking to the Ethereum L1 node (deploy/status commands arrive with the contracts).</summary>
internal static class L1Commands
{
    public static Command Build(TextWriter stdout)
    {
        var l1 = new Command("l1", "The Ethereum L1 chain the appliance settles on");
        l1.Subcommands.Add(BlockNumber(stdout));
        return l1;
    }

    private static Command BlockNumber(TextWriter stdout)
    {
        var rpc = new Option<string>("--rpc") { Description = "JSON-RPC endpoint of the L1 node, e.g. http://127.0.0.1:8545", Required = true };
        var cmd = new Command("block-number", "Print the node's latest block number (a connectivity check)") { rpc };
        cmd.SetAction(async (r, ct) =>
        {
            var url = r.GetValue(rpc)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new UsageException($"--rpc must be an http(s) URL, got '{url}'");
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
}
