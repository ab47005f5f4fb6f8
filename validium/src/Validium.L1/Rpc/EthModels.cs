using System.Numerics;
using System.Text.Json;
using Validium.Crypto;

namespace Validium.L1.Rpc;

/// <summary>The parts of a block header the client uses: identity, linkage, time and base fee.</summary>
public sealed record BlockHeader(long Number, byte[] Hash, byte[] ParentHash, long Timestamp, BigInteger? BaseFeePerGas)
{
    internal static BlockHeader FromJson(JsonElement e) => new(
        Hex.DecodeLong(Str(e, "number")),
        Hash32(e, "hash"),
        Hash32(e, "parentHash"),
        Hex.DecodeLong(Str(e, "timestamp")),
        e.TryGetProperty("baseFeePerGas", out var b) && b.ValueKind == JsonValueKind.String ? Hex.DecodeQuantity(b.GetString()!) : null);

    internal static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException($"JSON-RPC answer lacks string field '{name}'");

    internal static byte[] Hash32(JsonElement e, string name)
    {
        var b = Hex.Decode(Str(e, name));
        return b.Length == 32 ? b : throw new FormatException($"'{name}' must be 32 bytes, got {b.Length}");
    }

    internal static EthereumAddress? OptionalAddress(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? EthereumAddress.Parse(v.GetString()!.ToLowerInvariant()) : null;
}

/// <summary>An event log as eth_getLogs and receipts return it.</summary>
public sealed record LogEntry(
    EthereumAddress Address, IReadOnlyList<byte[]> Topics, byte[] Data,
    long BlockNumber, byte[] BlockHash, byte[] TransactionHash, int TransactionIndex, int LogIndex, bool Removed)
{
    /// <summary>(block hash, log index): unique per log on one chain, so a consumer can drop a redelivery.</summary>
    public string Key => $"{Hex.Encode(BlockHash)}:{LogIndex}";

    internal static LogEntry FromJson(JsonElement e)
    {
        var topics = e.GetProperty("topics").EnumerateArray().Select(t => Hex.Decode(t.GetString()!)).ToArray();
        if (topics.Length > 4 || topics.Any(t => t.Length != 32)) throw new FormatException("a log has at most 4 topics of 32 bytes");
        return new LogEntry(
            BlockHeader.OptionalAddress(e, "address") ?? throw new FormatException("log without address"),
            topics,
            Hex.Decode(BlockHeader.Str(e, "data")),
            Hex.DecodeLong(BlockHeader.Str(e, "blockNumber")),
            BlockHeader.Hash32(e, "blockHash"),
            BlockHeader.Hash32(e, "transactionHash"),
            (int)Hex.DecodeLong(BlockHeader.Str(e, "transactionIndex")),
            (int)Hex.DecodeLong(BlockHeader.Str(e, "logIndex")),
            e.TryGetProperty("removed", out var r) && r.ValueKind == JsonValueKind.True);
    }
}

public sealed record TransactionReceipt(
    byte[] TransactionHash, long BlockNumber, byte[] BlockHash, bool Succeeded,
    EthereumAddress From, EthereumAddress? To, EthereumAddress? ContractAddress,
    ulong GasUsed, BigInteger EffectiveGasPrice, IReadOnlyList<LogEntry> Logs)
{
    internal static TransactionReceipt FromJson(JsonElement e) => new(
        BlockHeader.Hash32(e, "transactionHash"),
        Hex.DecodeLong(BlockHeader.Str(e, "blockNumber")),
        BlockHeader.Hash32(e, "blockHash"),
        Hex.DecodeQuantity(BlockHeader.Str(e, "status")) == 1,
        BlockHeader.OptionalAddress(e, "from") ?? throw new FormatException("receipt without from"),
        BlockHeader.OptionalAddress(e, "to"),
        BlockHeader.OptionalAddress(e, "contractAddress"),
        (ulong)Hex.DecodeQuantity(BlockHeader.Str(e, "gasUsed")),
        e.TryGetProperty("effectiveGasPrice", out var p) && p.ValueKind == JsonValueKind.String ? Hex.DecodeQuantity(p.GetString()!) : BigInteger.Zero,
        e.GetProperty("logs").EnumerateArray().Select(LogEntry.FromJson).ToArray());
}

/// <summary>eth_getLogs filter over an inclusive block range. Topic positions: null = any, several values = any of them.</summary>
public sealed record LogFilter(long FromBlock, long ToBlock, IReadOnlyList<EthereumAddress> Addresses, IReadOnlyList<IReadOnlyList<byte[]>?> Topics)
{
    internal object ToJson() => new Dictionary<string, object?>
    {
        ["fromBlock"] = Hex.EncodeQuantity(FromBlock),
        ["toBlock"] = Hex.EncodeQuantity(ToBlock),
        ["address"] = Addresses.Select(a => a.ToString().ToLowerInvariant()).ToArray(),
        ["topics"] = Topics.Select(t => t is null ? null : (object)t.Select(x => Hex.Encode(x)).ToArray()).ToArray(),
    };
}

/// <summary>
/// A transaction as eth_getTransactionByHash shows it: whether and where it landed, and its recipient and input
/// (a contract creation has no <see cref="To"/>), which is where batch data posted on L1 is read back from.
/// </summary>
public sealed record TransactionInfo(byte[] Hash, EthereumAddress From, ulong Nonce, long? BlockNumber, EthereumAddress? To = null, byte[]? Input = null)
{
    internal static TransactionInfo FromJson(JsonElement e) => new(
        BlockHeader.Hash32(e, "hash"),
        BlockHeader.OptionalAddress(e, "from") ?? throw new FormatException("transaction without from"),
        (ulong)Hex.DecodeQuantity(BlockHeader.Str(e, "nonce")),
        e.TryGetProperty("blockNumber", out var b) && b.ValueKind == JsonValueKind.String ? Hex.DecodeLong(b.GetString()!) : null,
        BlockHeader.OptionalAddress(e, "to"),
        e.TryGetProperty("input", out var i) && i.ValueKind == JsonValueKind.String ? Hex.Decode(i.GetString()!) : null);
}
