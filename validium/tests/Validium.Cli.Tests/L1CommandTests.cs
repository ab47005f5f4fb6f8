using System.Net;
using System.Net.Sockets;
using Validium.L1.Rpc;
using Validium.L1.Tests;

namespace Validium.Cli.Tests;

public class L1CommandTests
{
    [SkippableFact]
    public async Task Block_number_prints_the_nodes_head()
    {
        using var anvil = AnvilProcess.Start();
        using (var rpc = new JsonRpcClient(anvil.Url))
            for (int i = 0; i < 3; i++) await rpc.CallAsync("evm_mine");
        var (code, stdout, stderr) = await Cli.Run("l1", "block-number", "--rpc", anvil.Url.ToString());
        Assert.True(code == 0, stderr);
        Assert.Equal("3", stdout.Trim());
    }

    [Fact]
    public async Task An_unreachable_node_or_a_bad_url_is_one_line_and_exit_2()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (code, _, stderr) = await Cli.Run("l1", "block-number", "--rpc", $"http://127.0.0.1:{port}");
        Assert.Equal(2, code);
        Assert.StartsWith("vld: eth_blockNumber: http://127.0.0.1:", stderr);
        Assert.Single(Cli.Lines(stderr));
        (code, _, stderr) = await Cli.Run("l1", "block-number", "--rpc", "localhost:8545");
        Assert.Equal(2, code);
        Assert.Contains("--rpc must be an http(s) URL", stderr);
    }
}
