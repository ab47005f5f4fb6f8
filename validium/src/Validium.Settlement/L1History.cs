using System.Collections.Immutable;
using System.Numerics;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.L1;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;

namespace Validium.Settlement;

/// <summary>
/// A BatchSubmitted event: what the contract accepted for one batch, in which transaction, and whether that
/// transaction carried the batch's data itself (submitBatchWithData, SPEC.md "On-chain data fallback").
/// </summary>
public sealed record SubmittedBatch(ulong Number, Fr OldRoot, Fr NewRoot, Fr DataCommitment, ulong OpsProcessed, ulong OracleRound, Fr WithdrawalsCommitment, long Block,
    byte[]? Transaction = null, bool DataOnChain = false);

/// <summary>An L1Operation event: one queued deposit or forced request and the chain head after it.</summary>
public sealed record QueuedOperation(ulong Index, int Kind, BigInteger Word, Fr A, Fr B, Fr C, Fr Head)
{
    /// <summary>A deposit's key, amount and depositor (the word's top field), what replay needs beside its record.</summary>
    public QueuedDeposit ToDeposit()
    {
        if (Kind != BatchEncoding.L1Deposit) throw new InvalidDataException($"L1 operation {Index} has kind {Kind}, not a deposit's");
        var amount = C.ToBigInteger();
        if (amount > ulong.MaxValue) throw new InvalidDataException($"L1 operation {Index} deposits {amount}, more than 64 bits");
        return new QueuedDeposit(new BabyJubjubPoint(A, B), (ulong)amount, Word >> 72);
    }

    /// <summary>A forced withdrawal or trade exactly as queued: the same fields <see cref="BatchBuilder.Build(ulong, OracleRound, Fr, IReadOnlyList{DepositOp}, IReadOnlyList{ForcedOp}, IReadOnlyList{TradeOp}, IReadOnlyList{WithdrawalOp})"/> takes.</summary>
    public ForcedOp ToForced()
    {
        if (Kind is not (BatchEncoding.L1ForcedWithdrawal or BatchEncoding.L1ForcedTrade))
            throw new InvalidDataException($"L1 operation {Index} has kind {Kind}, not a forced withdrawal's or trade's");
        if (Word.Sign < 0 || Word >= Fr.Modulus || (int)(Word & 0xFF) != Kind)
            throw new InvalidDataException($"L1 operation {Index}'s word does not carry its kind {Kind} in a field element");
        return new ForcedOp(Fr.FromBigInteger(Word), A, B, C);
    }
}

/// <summary>
/// Everything recovery needs from L1, read from the Validium contract's and its oracle's events up to one block:
/// the accepted batches in order, the queued operations in order, and the oracle rounds the batches used.
/// </summary>
public sealed record L1History(EthereumAddress Validium, long ToBlock, IReadOnlyList<SubmittedBatch> Batches, IReadOnlyList<QueuedOperation> Operations,
    IReadOnlyDictionary<ulong, OracleRound> OracleRounds)
{
    private static readonly AbiType U64 = AbiType.Parse("uint64");
    private static readonly AbiType U256 = AbiType.Parse("uint256");

    /// <summary>The events and getters recovery reads, written out so it works without compiling the contracts.</summary>
    public static readonly ContractAbi Abi = new(
        [
            new AbiFunction("oracle", [], [new("", AbiType.Parse("address"))], "view"),
            new AbiFunction("verifier", [], [new("", AbiType.Parse("address"))], "view"),
            new AbiFunction("batchNumber", [], [new("", U64)], "view"),
            new AbiFunction("stateRoot", [], [new("", U256)], "view"),
        ],
        [
            new AbiEvent("L1Operation",
            [
                new("opIndex", U64, Indexed: true), new("kind", AbiType.Parse("uint8"), Indexed: true), new("word", U256), new("a", U256),
                new("b", U256), new("c", U256), new("head", U256), new("deadline", AbiType.Parse("uint32")),
            ]),
            new AbiEvent("BatchSubmitted",
            [
                new("batchNumber", U64, Indexed: true), new("oldRoot", U256), new("newRoot", U256), new("dataCommitment", U256),
                new("opsProcessed", U64), new("oracleRound", U64), new("withdrawalsCommitment", U256),
            ]),
            OnChainData.Posted,
            new AbiEvent("PricesUpdated", [new("round", U64, Indexed: true), new("timestamp", U64), new("prices", AbiType.Parse("uint64[]")), new("commitment", U256)]),
        ],
        []);

    private static readonly ContractAbi VerifierAbi = new([new AbiFunction("circuitConfig", [], [new("", AbiType.Parse("bytes"))], "pure")], [], []);

    /// <summary>
    /// The batch circuit's configuration as the contract's current verifier publishes it (VerifierEmitter's
    /// <c>circuitConfig()</c>): the layout of the batch data, which recovery needs and L1 otherwise does not hold.
    /// </summary>
    public static async Task<CircuitConfig> ReadCircuitConfigAsync(EthClient eth, EthereumAddress validium, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eth);
        EthereumAddress verifier;
        try
        {
            verifier = (EthereumAddress)(await new Contract(eth, Abi, validium).CallAsync("verifier", [], ct: ct))[0]!;
        }
        catch (Exception e) when (e is ContractRevertException or FormatException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{validium} does not answer like a Validium contract ({e.Message})", e);
        }
        byte[] bytes;
        try
        {
            bytes = (byte[])(await new Contract(eth, VerifierAbi, verifier).CallAsync("circuitConfig", [], ct: ct))[0]!;
        }
        catch (Exception e) when (e is ContractRevertException or FormatException or InvalidOperationException)
        {
            throw new InvalidOperationException($"the verifier {verifier} does not publish its circuit configuration ({e.Message}); give the circuit file instead", e);
        }
        try
        {
            return StateSnapshot.ReadConfig(System.Text.Json.Nodes.JsonNode.Parse(bytes));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            throw new InvalidOperationException($"the verifier {verifier} publishes a circuit configuration that cannot be read: {e.Message}", e);
        }
    }

    /// <summary>eth_getLogs ranges: public nodes cap the span of one query.</summary>
    private const long LogChunk = 10_000;

    /// <summary>
    /// Reads the history from <paramref name="fromBlock"/> to the head less <paramref name="confirmations"/>. Gaps or
    /// repeats in batch or operation numbers (a node that drops logs) are refused rather than recovered from.
    /// </summary>
    public static async Task<L1History> ReadAsync(EthClient eth, EthereumAddress validium, long fromBlock = 0, int confirmations = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eth);
        if ((await eth.GetCodeAsync(validium, "latest", ct)).Length == 0) throw new InvalidOperationException($"there is no contract at {validium}");
        long head = await eth.BlockNumberAsync(ct);
        long to = head - confirmations;
        var tag = Hex.EncodeQuantity(to);
        var contract = new Contract(eth, Abi, validium);
        EthereumAddress oracle;
        ulong onChainBatch;
        try
        {
            oracle = (EthereumAddress)(await contract.CallAsync("oracle", [], block: tag, ct: ct))[0]!;
            onChainBatch = (ulong)(BigInteger)(await contract.CallAsync("batchNumber", [], block: tag, ct: ct))[0]!;
        }
        catch (Exception e) when (e is ContractRevertException or FormatException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{validium} does not answer like a Validium contract ({e.Message})", e);
        }

        var opEvent = Abi.Event("L1Operation");
        var batchEvent = Abi.Event("BatchSubmitted");
        var priceEvent = Abi.Event("PricesUpdated");
        var dataEvent = OnChainData.Posted;
        var dataTransactions = new Dictionary<ulong, byte[]>();
        var batches = new List<SubmittedBatch>();
        var ops = new List<QueuedOperation>();
        var rounds = new Dictionary<ulong, OracleRound>();
        for (long from = fromBlock; from <= to; from += LogChunk)
        {
            long end = Math.Min(to, from + LogChunk - 1);
            var logs = await eth.GetLogsAsync(new LogFilter(from, end, [validium, oracle], [[opEvent.Topic0, batchEvent.Topic0, priceEvent.Topic0, dataEvent.Topic0]]), ct);
            foreach (var log in logs.OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex))
            {
                if (log.Removed) continue;
                var topic = log.Topics[0];
                if (log.Address == validium && topic.AsSpan().SequenceEqual(opEvent.Topic0))
                {
                    var d = opEvent.Decode(log.Topics, log.Data);
                    ops.Add(new QueuedOperation(U(d["opIndex"]), (int)(BigInteger)d["kind"]!, (BigInteger)d["word"]!, F(d["a"]), F(d["b"]), F(d["c"]), F(d["head"])));
                }
                else if (log.Address == validium && topic.AsSpan().SequenceEqual(batchEvent.Topic0))
                {
                    var d = batchEvent.Decode(log.Topics, log.Data);
                    batches.Add(new SubmittedBatch(U(d["batchNumber"]), F(d["oldRoot"]), F(d["newRoot"]), F(d["dataCommitment"]), U(d["opsProcessed"]),
                        U(d["oracleRound"]), F(d["withdrawalsCommitment"]), log.BlockNumber, log.TransactionHash));
                }
                else if (log.Address == validium && topic.AsSpan().SequenceEqual(dataEvent.Topic0))
                    dataTransactions[U(dataEvent.Decode(log.Topics, log.Data)["batchNumber"])] = log.TransactionHash;
                else if (log.Address == oracle && topic.AsSpan().SequenceEqual(priceEvent.Topic0))
                {
                    var d = priceEvent.Decode(log.Topics, log.Data);
                    var round = new OracleRound(U(d["round"]), U(d["timestamp"]), [.. ((IEnumerable<object?>)d["prices"]!).Select(U)]);
                    if (round.Commitment != F(d["commitment"])) throw new InvalidDataException($"oracle round {round.Round}'s prices do not hash to its commitment");
                    rounds[round.Round] = round;
                }
            }
        }
        for (int i = 0; i < ops.Count; i++)
            if (ops[i].Index != (ulong)i) throw new InvalidDataException($"L1 operation events are not consecutive: #{ops[i].Index} where #{i} was expected (logs missing from block {fromBlock}?)");
        for (int i = 0; i < batches.Count; i++)
            if (batches[i].Number != (ulong)i + 1) throw new InvalidDataException($"BatchSubmitted events are not consecutive: batch {batches[i].Number} where {i + 1} was expected (logs missing from block {fromBlock}?)");
        if ((ulong)batches.Count != onChainBatch)
            throw new InvalidDataException($"the contract is at batch {onChainBatch} but {batches.Count} BatchSubmitted events were found from block {fromBlock}: start the scan earlier");
        for (int i = 0; i < batches.Count; i++)
        {
            if (!dataTransactions.Remove(batches[i].Number, out var tx)) continue;
            // The contract emits both events in the one submitBatchWithData call; apart, the logs are not the contract's.
            if (!tx.AsSpan().SequenceEqual(batches[i].Transaction)) throw new InvalidDataException($"batch {batches[i].Number}'s BatchDataOnChain and BatchSubmitted events are in different transactions");
            batches[i] = batches[i] with { DataOnChain = true };
        }
        if (dataTransactions.Count > 0) throw new InvalidDataException($"BatchDataOnChain for batch {dataTransactions.Keys.Min()}, which has no BatchSubmitted event in the scanned blocks");
        return new L1History(validium, to, batches, ops, rounds);
    }

    private static ulong U(object? v) => (ulong)(BigInteger)v!;

    private static Fr F(object? v) => Fr.FromBigInteger((BigInteger)v!);
}
