using Validium.Crypto;
using Validium.L1;
using Validium.L1.Abi;
using Validium.L1.Rpc;

namespace Validium.Settlement;

/// <summary>
/// Batch data the operator posted on L1 (SPEC.md "On-chain data fallback"): the <c>data</c> argument of the
/// <c>submitBatchWithData</c> transaction that emitted <c>BatchDataOnChain</c>, read back with eth_getTransactionByHash
/// and, as with a committee member's copy, used only if its sponge is the commitment L1 accepted.
/// </summary>
public static class OnChainData
{
    public const string Function = "submitBatchWithData";

    /// <summary>The entry point, written out so recovery decodes it without compiling the contracts.</summary>
    public static readonly AbiFunction Entry = new(Function,
    [
        new("h", AbiType.Parse("(uint256,uint256,uint64,uint64)")),
        new("proof", AbiType.Parse("(uint256[2],uint256[2][2],uint256[2])")),
        new("withdrawals", AbiType.Parse("(address,uint64)[]")),
        new("data", AbiType.Parse("uint256[]")),
    ], []);

    public static readonly AbiEvent Posted = new("BatchDataOnChain", [new("batchNumber", AbiType.Parse("uint64"), Indexed: true), new("words", AbiType.Parse("uint256"))]);

    /// <summary>
    /// The data of <paramref name="batch"/> from its transaction, as the 32-byte words committee members store. Refused
    /// with <see cref="InvalidDataException"/> naming the batch when the transaction is not a direct call of
    /// submitBatchWithData on <paramref name="validium"/> (posted through another contract, whose call data we cannot
    /// decode without a trace) or its data does not give the committed commitment.
    /// </summary>
    public static async Task<byte[]> ReadAsync(EthClient eth, EthereumAddress validium, SubmittedBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eth);
        ArgumentNullException.ThrowIfNull(batch);
        string what = $"batch {batch.Number}";
        if (batch.Transaction is not { } hash) throw new InvalidDataException($"{what}: no transaction is known for its on-chain data");
        var tx = await eth.GetTransactionAsync(hash, ct) ?? throw new InvalidDataException($"{what}: the node does not know transaction {Hex.Encode(hash)}, which posted its data");
        if (tx.Input is not { } input) throw new InvalidDataException($"{what}: the node returned transaction {Hex.Encode(hash)} without its input");
        if (tx.To != validium || input.Length < 4 || !input.AsSpan(0, 4).SequenceEqual(Entry.Selector))
            throw new InvalidDataException($"{what}: transaction {Hex.Encode(hash)} is not a direct {Function} call on {validium} (posted through another contract?); its data cannot be read from the transaction input");
        object?[] args;
        try
        {
            args = Entry.DecodeCall(input);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{what}: transaction {Hex.Encode(hash)}'s input does not decode as {Function}: {e.Message}", e);
        }
        var values = ((IEnumerable<object?>)args[3]!).ToArray();
        var words = new Fr[values.Length];
        for (int i = 0; i < words.Length; i++)
        {
            var v = (System.Numerics.BigInteger)values[i]!;
            if (v >= Fr.Modulus) throw new InvalidDataException($"{what}: word {i} of its on-chain data is not below the field modulus");
            words[i] = Fr.FromBigInteger(v);
        }
        var got = PoseidonSponge.Commit(words);
        if (got != batch.DataCommitment)
            throw new InvalidDataException($"{what}: the data in transaction {Hex.Encode(hash)} commits to {got}, L1 accepted {batch.DataCommitment}");
        return PoseidonSponge.ToBytes(words);
    }
}
