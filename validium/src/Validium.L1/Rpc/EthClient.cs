using System.Numerics;
using System.Text.Json;
using Validium.Crypto;

namespace Validium.L1.Rpc;

/// <summary>Typed eth_* calls over a <see cref="JsonRpcClient"/>. Absent objects (unknown receipt, block beyond the head) are null.</summary>
public sealed class EthClient(JsonRpcClient rpc)
{
    public JsonRpcClient Rpc { get; } = rpc ?? throw new ArgumentNullException(nameof(rpc));

    public async Task<BigInteger> ChainIdAsync(CancellationToken ct = default) => Quantity(await Rpc.CallAsync("eth_chainId", ct));

    public async Task<long> BlockNumberAsync(CancellationToken ct = default) => (long)Quantity(await Rpc.CallAsync("eth_blockNumber", ct));

    public async Task<BigInteger> GetBalanceAsync(EthereumAddress address, string block = "latest", CancellationToken ct = default) =>
        Quantity(await Rpc.CallAsync("eth_getBalance", [Addr(address), block], ct));

    /// <summary>Nonce of the next transaction: "latest" counts mined ones, "pending" adds the node's mempool.</summary>
    public async Task<ulong> GetTransactionCountAsync(EthereumAddress address, string block, CancellationToken ct = default) =>
        (ulong)Quantity(await Rpc.CallAsync("eth_getTransactionCount", [Addr(address), block], ct));

    public async Task<byte[]> GetCodeAsync(EthereumAddress address, string block = "latest", CancellationToken ct = default) =>
        Hex.Decode(Str(await Rpc.CallAsync("eth_getCode", [Addr(address), block], ct)));

    public async Task<BigInteger> GasPriceAsync(CancellationToken ct = default) => Quantity(await Rpc.CallAsync("eth_gasPrice", ct));

    public async Task<BigInteger> MaxPriorityFeePerGasAsync(CancellationToken ct = default) => Quantity(await Rpc.CallAsync("eth_maxPriorityFeePerGas", ct));

    public async Task<BlockHeader?> GetBlockHeaderAsync(long number, CancellationToken ct = default) =>
        Header(await Rpc.CallAsync("eth_getBlockByNumber", [Hex.EncodeQuantity(number), false], ct));

    public async Task<BlockHeader?> GetLatestBlockHeaderAsync(CancellationToken ct = default) =>
        Header(await Rpc.CallAsync("eth_getBlockByNumber", ["latest", false], ct));

    /// <summary>Headers of the given heights in one batch; null where the chain has no such block.</summary>
    public async Task<BlockHeader?[]> GetBlockHeadersAsync(IReadOnlyList<long> numbers, CancellationToken ct = default)
    {
        var answers = await Rpc.BatchAsync(numbers.Select(n => new JsonRpcRequest("eth_getBlockByNumber", Hex.EncodeQuantity(n), false)).ToArray(), ct);
        return answers.Select(a => Header(a.GetResultOrThrow())).ToArray();
    }

    /// <summary>Returns the transaction hash the node reports.</summary>
    public async Task<byte[]> SendRawTransactionAsync(byte[] raw, CancellationToken ct = default) =>
        Hex.Decode(Str(await Rpc.CallAsync("eth_sendRawTransaction", [Hex.Encode(raw)], ct)));

    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(byte[] hash, CancellationToken ct = default)
    {
        var r = await Rpc.CallAsync("eth_getTransactionReceipt", [Hex.Encode(hash)], ct);
        return r.ValueKind == JsonValueKind.Null ? null : TransactionReceipt.FromJson(r);
    }

    public async Task<TransactionInfo?> GetTransactionAsync(byte[] hash, CancellationToken ct = default)
    {
        var r = await Rpc.CallAsync("eth_getTransactionByHash", [Hex.Encode(hash)], ct);
        return r.ValueKind == JsonValueKind.Null ? null : TransactionInfo.FromJson(r);
    }

    /// <summary>eth_call; a revert surfaces as <see cref="JsonRpcException"/> whose <see cref="JsonRpcException.RevertData"/> holds the bytes.</summary>
    public async Task<byte[]> CallAsync(CallRequest call, string block = "latest", CancellationToken ct = default) =>
        Hex.Decode(Str(await Rpc.CallAsync("eth_call", [call.ToJson(), block], ct)));

    public async Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken ct = default) =>
        (ulong)Quantity(await Rpc.CallAsync("eth_estimateGas", [call.ToJson()], ct));

    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken ct = default)
    {
        var r = await Rpc.CallAsync("eth_getLogs", [filter.ToJson()], ct);
        if (r.ValueKind != JsonValueKind.Array) throw new FormatException("eth_getLogs did not answer with an array");
        return r.EnumerateArray().Select(LogEntry.FromJson).ToArray();
    }

    private static BlockHeader? Header(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : BlockHeader.FromJson(e);

    private static string Addr(EthereumAddress a) => a.ToString().ToLowerInvariant();

    private static string Str(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"expected a hex string, got {e.ValueKind}");

    private static BigInteger Quantity(JsonElement e) => Hex.DecodeQuantity(Str(e));
}

/// <summary>The transaction-like object of eth_call and eth_estimateGas.</summary>
public sealed record CallRequest(EthereumAddress? To, byte[] Data, EthereumAddress? From = null, BigInteger? Value = null, ulong? Gas = null)
{
    internal object ToJson()
    {
        var o = new Dictionary<string, object>();
        if (From is { } f) o["from"] = f.ToString().ToLowerInvariant();
        if (To is { } t) o["to"] = t.ToString().ToLowerInvariant();
        // Both names: older nodes read only "data", newer prefer "input"; equal values are accepted everywhere.
        o["input"] = o["data"] = Hex.Encode(Data);
        if (Value is { } v) o["value"] = Hex.EncodeQuantity(v);
        if (Gas is { } g) o["gas"] = Hex.EncodeQuantity(g);
        return o;
    }
}
