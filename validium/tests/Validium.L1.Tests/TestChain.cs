using System.Text.Json;
using Validium.Crypto;
using Validium.L1.Rpc;
using Validium.L1.Transactions;

namespace Validium.L1.Tests;

/// <summary>An anvil node, a client for it and a temp directory for state files, per test.</summary>
internal sealed class TestChain : IDisposable
{
    private TestChain(AnvilProcess anvil)
    {
        Anvil = anvil;
        Rpc = new JsonRpcClient(anvil.Url, new JsonRpcClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) });
        Eth = new EthClient(Rpc);
    }

    public AnvilProcess Anvil { get; }
    public JsonRpcClient Rpc { get; }
    public EthClient Eth { get; }
    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("l1-");

    public static TestChain Start(params string[] anvilArgs) => new(AnvilProcess.Start(anvilArgs));

    public static TransactionSenderOptions FastOptions => new() { PollInterval = TimeSpan.FromMilliseconds(50), PriorityFeePerGas = 1_000_000_000 };

    public static Secp256k1PrivateKey Key(int index) => Secp256k1PrivateKey.FromHex(AnvilProcess.DevKeys[index]);

    public async Task<TransactionSender> SenderAsync(int keyIndex = 0, TransactionSenderOptions? options = null, string? stateFile = null, EthClient? eth = null)
    {
        eth ??= Eth;
        var key = Key(keyIndex);
        var nonces = await NonceManager.OpenAsync(stateFile ?? Path.Combine(Dir.FullName, $"nonces-{keyIndex}.json"), eth, key.Address);
        return new TransactionSender(eth, key, nonces, options ?? FastOptions);
    }

    /// <summary>anvil's test methods (evm_snapshot, evm_mine, …).</summary>
    public Task<JsonElement> Call(string method, params object?[] args) => Rpc.CallAsync(method, args);

    public async Task MineAsync(int blocks = 1)
    {
        for (int i = 0; i < blocks; i++) await Call("evm_mine");
    }

    public void Dispose()
    {
        Rpc.Dispose();
        Anvil.Dispose();
        Dir.Delete(true);
    }
}
