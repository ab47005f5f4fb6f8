using System.Net;
using System.Net.Sockets;
using Validium.L1.Rpc;

namespace Validium.L1.Tests;

/// <summary>The transport against a real node, with faults injected by a proxy in between.</summary>
public class JsonRpcClientTests
{
    private static JsonRpcClientOptions Fast(int attempts = 5) => new()
    {
        MaxAttempts = attempts, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50), AttemptTimeout = TimeSpan.FromSeconds(5),
    };

    [SkippableFact]
    public async Task A_batch_answers_in_request_order_with_errors_kept_per_request()
    {
        using var chain = TestChain.Start();
        var answers = await chain.Rpc.BatchAsync([
            new JsonRpcRequest("eth_chainId"),
            new JsonRpcRequest("eth_noSuchMethod"),
            new JsonRpcRequest("eth_getBalance", TestChain.Key(0).Address.ToString(), "latest"),
            new JsonRpcRequest("eth_blockNumber"),
        ]);
        Assert.Equal(4, answers.Count);
        Assert.Equal(AnvilProcess.ChainId, Hex.DecodeLong(answers[0].Result.GetString()!));
        Assert.NotNull(answers[1].Error);
        Assert.Contains("eth_noSuchMethod", answers[1].Error!.Message);
        Assert.True(Hex.DecodeQuantity(answers[2].Result.GetString()!) > 0);
        Assert.Equal(0, Hex.DecodeLong(answers[3].GetResultOrThrow().GetString()!));
        Assert.Empty(await chain.Rpc.BatchAsync([]));
    }

    [SkippableFact]
    public async Task A_json_rpc_error_is_typed_and_never_retried()
    {
        using var chain = TestChain.Start();
        using var proxy = new FaultProxy(chain.Anvil.Port);
        using var rpc = new JsonRpcClient(proxy.Url, Fast());
        var e = await Assert.ThrowsAsync<JsonRpcException>(() => rpc.CallAsync("eth_getBalance", ["not an address", "latest"]));
        Assert.Equal(-32602, e.Code);
        Assert.Equal("eth_getBalance", e.Method);
        Assert.Equal(0, rpc.Retries);
        Assert.Equal(1, proxy.Requests);
    }

    [SkippableFact]
    public async Task Reset_connections_and_503s_are_retried_until_the_node_answers()
    {
        using var chain = TestChain.Start();
        using var proxy = new FaultProxy(chain.Anvil.Port);
        using var rpc = new JsonRpcClient(proxy.Url, Fast());
        var eth = new EthClient(rpc);
        proxy.ResetNext(3);
        Assert.Equal(0, await eth.BlockNumberAsync());
        Assert.Equal(3, rpc.Retries);
        proxy.Answer503Next(2);
        Assert.Equal(AnvilProcess.ChainId, (long)await eth.ChainIdAsync());
        Assert.Equal(5, rpc.Retries);
    }

    [Fact]
    public async Task A_refused_connection_fails_after_the_allowed_attempts()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var rpc = new JsonRpcClient(new Uri($"http://127.0.0.1:{port}/"), Fast(attempts: 3));
        var e = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.CallAsync("eth_blockNumber"));
        Assert.Equal(3, e.Attempts);
        Assert.Equal(2, rpc.Retries);
        Assert.Contains("unreachable after 3 attempt(s)", e.Message);
    }

    [SkippableFact]
    public async Task An_unanswered_request_times_out_per_attempt()
    {
        using var chain = TestChain.Start();
        using var proxy = new FaultProxy(chain.Anvil.Port) { Blackhole = true };
        using var rpc = new JsonRpcClient(proxy.Url, Fast(attempts: 2) with { AttemptTimeout = TimeSpan.FromMilliseconds(300) });
        var e = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.CallAsync("eth_blockNumber"));
        Assert.IsType<TimeoutException>(e.InnerException);
        Assert.Equal(2, e.Attempts);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_mistaken_for_a_timeout()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var rpc = new JsonRpcClient(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"), Fast());
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rpc.CallAsync("eth_blockNumber", cts.Token));
            Assert.Equal(0, rpc.Retries);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Bad_configuration_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new JsonRpcClient(new Uri("ftp://x/")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JsonRpcClient(new Uri("http://x/"), new JsonRpcClientOptions { MaxAttempts = 0 }));
    }
}
