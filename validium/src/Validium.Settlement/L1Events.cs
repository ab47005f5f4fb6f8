using System.Numerics;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Rpc;

namespace Validium.Settlement;

/// <summary>
/// The one decoder of the events the node reads from L1 (the Validium contract's L1Operation and BatchSubmitted, the
/// PriceOracle's PricesUpdated), shared by recovery (<see cref="L1History"/>), the <see cref="L1Watcher"/> and the
/// <see cref="BatchPoster"/>, so all three read a log the same way.
/// </summary>
public static class L1Events
{
    private static readonly AbiType U64 = AbiType.Parse("uint64");
    private static readonly AbiType U256 = AbiType.Parse("uint256");

    public static readonly AbiEvent Operation = new("L1Operation",
    [
        new("opIndex", U64, Indexed: true), new("kind", AbiType.Parse("uint8"), Indexed: true), new("word", U256), new("a", U256),
        new("b", U256), new("c", U256), new("head", U256), new("deadline", AbiType.Parse("uint32")),
    ]);

    public static readonly AbiEvent Batch = new("BatchSubmitted",
    [
        new("batchNumber", U64, Indexed: true), new("oldRoot", U256), new("newRoot", U256), new("dataCommitment", U256),
        new("opsProcessed", U64), new("oracleRound", U64), new("withdrawalsCommitment", U256),
    ]);

    public static readonly AbiEvent Prices = new("PricesUpdated",
        [new("round", U64, Indexed: true), new("timestamp", U64), new("prices", AbiType.Parse("uint64[]")), new("commitment", U256)]);

    public static bool IsOperation(LogEntry log, EthereumAddress validium) => Is(log, validium, Operation);

    public static bool IsBatch(LogEntry log, EthereumAddress validium) => Is(log, validium, Batch);

    public static bool IsPrices(LogEntry log, EthereumAddress oracle) => Is(log, oracle, Prices);

    /// <summary>submitBatchWithData's BatchDataOnChain: the batch whose data travelled in that transaction's calldata.</summary>
    public static bool IsDataOnChain(LogEntry log, EthereumAddress validium) => Is(log, validium, OnChainData.Posted);

    public static ulong DecodeDataOnChain(LogEntry log) => U(OnChainData.Posted.Decode(log.Topics, log.Data)["batchNumber"]);

    public static QueuedOperation DecodeOperation(LogEntry log)
    {
        var d = Operation.Decode(log.Topics, log.Data);
        return new QueuedOperation(U(d["opIndex"]), (int)(BigInteger)d["kind"]!, (BigInteger)d["word"]!, F(d["a"]), F(d["b"]), F(d["c"]), F(d["head"]));
    }

    /// <summary>The operation's forced-request deadline (seconds since the epoch), which recovery does not need but the node does.</summary>
    public static uint DecodeDeadline(LogEntry log) => (uint)(BigInteger)Operation.Decode(log.Topics, log.Data)["deadline"]!;

    public static SubmittedBatch DecodeBatch(LogEntry log)
    {
        var d = Batch.Decode(log.Topics, log.Data);
        return new SubmittedBatch(U(d["batchNumber"]), F(d["oldRoot"]), F(d["newRoot"]), F(d["dataCommitment"]), U(d["opsProcessed"]),
            U(d["oracleRound"]), F(d["withdrawalsCommitment"]), log.BlockNumber, log.TransactionHash);
    }

    /// <summary>A round whose prices do not hash to the commitment the oracle logged is refused: the log or our hashing is wrong.</summary>
    public static OracleRound DecodePrices(LogEntry log)
    {
        var d = Prices.Decode(log.Topics, log.Data);
        var round = new OracleRound(U(d["round"]), U(d["timestamp"]), [.. ((IEnumerable<object?>)d["prices"]!).Select(U)]);
        if (round.Commitment != F(d["commitment"])) throw new InvalidDataException($"oracle round {round.Round}'s prices do not hash to its commitment");
        return round;
    }

    private static bool Is(LogEntry log, EthereumAddress address, AbiEvent e) =>
        log.Address == address && log.Topics.Count > 0 && log.Topics[0].AsSpan().SequenceEqual(e.Topic0);

    private static ulong U(object? v) => (ulong)(BigInteger)v!;

    private static Fr F(object? v) => Fr.FromBigInteger((BigInteger)v!);
}
