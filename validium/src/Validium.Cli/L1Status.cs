using System.Globalization;
using System.Numerics;
using Validium.Crypto;
using Validium.L1;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;

namespace Validium.Cli;

/// <summary>
/// `vld l1 status`: the Validium contract's state through its public getters, and each queued L1 operation the
/// batches have not consumed yet (kind from its L1Operation event, deadline from opInfo).
/// </summary>
internal static class L1Status
{
    private static readonly AbiType U64 = AbiType.Parse("uint64");
    private static readonly AbiType U256 = AbiType.Parse("uint256");

    // The getters status reads, written out so status works without compiling the contracts.
    private static readonly ContractAbi Abi = new(
        [
            Getter("stateRoot", U256), Getter("batchNumber", U64), Getter("frozen", AbiType.Parse("bool")),
            Getter("opCount", U64), Getter("processedOps", U64), Getter("forcedDelay", U256),
            new AbiFunction("opInfo", [new("", U256)], [new("deadline", AbiType.Parse("uint32")), new("amount", U64), new("depositor", AbiType.Parse("address"))], "view"),
        ],
        [
            new AbiEvent("L1Operation",
            [
                new("opIndex", U64, Indexed: true), new("kind", AbiType.Parse("uint8"), Indexed: true), new("word", U256), new("a", U256),
                new("b", U256), new("c", U256), new("head", U256), new("deadline", AbiType.Parse("uint32")),
            ]),
        ],
        []);

    /// <summary>eth_getLogs ranges: public nodes cap the span of one query.</summary>
    private const long LogChunk = 10_000;

    public static async Task Run(Uri url, EthereumAddress address, long? expectedChainId, long fromBlock, TextWriter stdout, CancellationToken ct)
    {
        using var rpc = new JsonRpcClient(url, new JsonRpcClientOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(10) });
        var eth = new EthClient(rpc);
        var chainId = (long)await eth.ChainIdAsync(ct);
        if (expectedChainId is { } want && want != chainId)
            throw new UsageException($"the addresses file is for chain {want}, but the node at {url} serves chain {chainId}");
        if ((await eth.GetCodeAsync(address, "latest", ct)).Length == 0)
            throw new UsageException($"there is no contract at {address} on chain {chainId}");
        var head = await eth.GetLatestBlockHeaderAsync(ct) ?? throw new UsageException("the node returned no latest block");
        var v = new Contract(eth, Abi, address);
        // One block for every read, so the numbers agree with each other.
        var block = Hex.EncodeQuantity(head.Number);
        async Task<object?> Get(string f, params object?[] args) => (await v.CallAsync(f, args, block: block, ct: ct))[0];

        BigInteger root;
        ulong batch, queued, processed;
        bool frozen;
        try
        {
            root = (BigInteger)(await Get("stateRoot"))!;
            batch = (ulong)(BigInteger)(await Get("batchNumber"))!;
            frozen = (bool)(await Get("frozen"))!;
            queued = (ulong)(BigInteger)(await Get("opCount"))!;
            processed = (ulong)(BigInteger)(await Get("processedOps"))!;
        }
        catch (ContractRevertException e)
        {
            throw new UsageException($"{address} does not answer like a Validium contract ({e.Message})");
        }

        await stdout.WriteLineAsync($"contract:    {address} on chain {chainId}, block {head.Number} (time {head.Timestamp})");
        await stdout.WriteLineAsync($"stateRoot:   0x{root.ToString("x64", CultureInfo.InvariantCulture)[^64..]}");
        await stdout.WriteLineAsync($"batch:       {batch}");
        await stdout.WriteLineAsync($"frozen:      {(frozen ? "yes" : "no")}");
        await stdout.WriteLineAsync($"operations:  {queued} queued, {processed} processed, {queued - processed} pending");
        if (queued == processed) return;

        var kinds = await Kinds(eth, address, fromBlock, head.Number, processed, ct);
        for (ulong i = processed; i < queued; i++)
        {
            var info = await v.CallAsync("opInfo", [i], block: block, ct: ct);
            long deadline = (long)(BigInteger)info[0]!;
            long left = deadline - head.Timestamp;
            var kind = kinds.TryGetValue(i, out var k) ? KindName(k) : "unknown (no L1Operation event in the scanned blocks)";
            var when = left >= 0 ? $"due in {left} s" : $"OVERDUE by {-left} s";
            await stdout.WriteLineAsync($"  pending #{i}: {kind}, deadline {deadline} ({DateTimeOffset.FromUnixTimeSeconds(deadline):u}), {when}");
        }
    }

    private static async Task<Dictionary<ulong, int>> Kinds(EthClient eth, EthereumAddress address, long fromBlock, long toBlock, ulong firstPending, CancellationToken ct)
    {
        var ev = Abi.Event("L1Operation");
        var kinds = new Dictionary<ulong, int>();
        for (long from = fromBlock; from <= toBlock; from += LogChunk)
        {
            var logs = await eth.GetLogsAsync(new LogFilter(from, Math.Min(toBlock, from + LogChunk - 1), [address], [[ev.Topic0]]), ct);
            foreach (var log in logs)
            {
                var d = ev.Decode(log.Topics, log.Data);
                var index = (ulong)(BigInteger)d["opIndex"]!;
                if (index >= firstPending) kinds[index] = (int)(BigInteger)d["kind"]!;
            }
        }
        return kinds;
    }

    private static string KindName(int kind) => kind switch
    {
        1 => "deposit",
        2 => "forced withdrawal",
        3 => "forced trade",
        _ => $"kind {kind}",
    };

    private static AbiFunction Getter(string name, AbiType type) => new(name, [], [new("", type)], "view");
}
