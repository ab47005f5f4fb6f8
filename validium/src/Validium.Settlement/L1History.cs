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
        [L1Events.Operation, L1Events.Batch, L1Events.Prices, OnChainData.Posted],
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

        var dataTransactions = new Dictionary<ulong, byte[]>();
        var batches = new List<SubmittedBatch>();
        var ops = new List<QueuedOperation>();
        var rounds = new Dictionary<ulong, OracleRound>();
        for (long from = fromBlock; from <= to; from += LogChunk)
        {
            long end = Math.Min(to, from + LogChunk - 1);
            var logs = await eth.GetLogsAsync(new LogFilter(from, end, [validium, oracle], [[L1Events.Operation.Topic0, L1Events.Batch.Topic0, L1Events.Prices.Topic0, OnChainData.Posted.Topic0]]), ct);
            foreach (var log in logs.OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex))
            {
                if (log.Removed) continue;
                if (L1Events.IsOperation(log, validium)) ops.Add(L1Events.DecodeOperation(log));
                else if (L1Events.IsBatch(log, validium)) batches.Add(L1Events.DecodeBatch(log));
                else if (L1Events.IsDataOnChain(log, validium)) dataTransactions[L1Events.DecodeDataOnChain(log)] = log.TransactionHash;
                else if (L1Events.IsPrices(log, oracle))
                {
                    var round = L1Events.DecodePrices(log);
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
}
