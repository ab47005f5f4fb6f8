using System.Numerics;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Rpc;
using Validium.L1.Transactions;

namespace Validium.L1.Contracts;

/// <summary>A mined transaction whose receipt says it failed; <see cref="Reason"/> is the replayed revert, when the replay reverts too.</summary>
public sealed class TransactionFailedException(string message, TransactionReceipt receipt, RevertReason? reason) : Exception(message)
{
    public TransactionReceipt Receipt { get; } = receipt;
    public RevertReason? Reason { get; } = reason;
}

/// <summary>
/// A deployed contract seen through its ABI: read-only calls (eth_call), state-changing sends (through a
/// <see cref="TransactionSender"/>), deployment and log decoding. Reverts, whether from eth_call, gas estimation or
/// a failed receipt, come back as <see cref="ContractRevertException"/> with the error decoded from the ABI.
/// </summary>
public sealed class Contract(EthClient eth, ContractAbi abi, EthereumAddress address)
{
    public EthClient Eth { get; } = eth ?? throw new ArgumentNullException(nameof(eth));
    public ContractAbi Abi { get; } = abi ?? throw new ArgumentNullException(nameof(abi));
    public EthereumAddress Address { get; } = address;

    public static async Task<Contract> DeployAsync(TransactionSender sender, ContractAbi abi, byte[] bytecode, object?[] constructorArgs, BigInteger value = default, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(abi);
        ArgumentNullException.ThrowIfNull(bytecode);
        if (bytecode.Length == 0) throw new ArgumentException("empty bytecode", nameof(bytecode));
        var types = abi.ConstructorInputs.Select(p => p.Type).ToArray();
        byte[] data = [.. bytecode, .. AbiCodec.Encode(types, constructorArgs)];
        var receipt = await SendTranslatingAsync(sender, abi, new TransactionRequest(null, data, value), "deploy", ct);
        var at = receipt.ContractAddress ?? throw new InvalidOperationException($"deployment {Hex.Encode(receipt.TransactionHash)} succeeded but its receipt has no contract address");
        return new Contract(sender.Eth, abi, at);
    }

    public async Task<object?[]> CallAsync(string function, object?[] args, EthereumAddress? from = null, string block = "latest", CancellationToken ct = default)
    {
        var f = Abi.Function(function);
        var data = f.EncodeCall(args);
        byte[] result;
        try
        {
            result = await Eth.CallAsync(new CallRequest(Address, data, from), block, ct);
        }
        catch (JsonRpcException e) when (e.RevertData is { } revert)
        {
            throw new ContractRevertException($"{f.Signature} on {Address}", Abi.DecodeRevert(revert), e);
        }
        // A call to an address without code "succeeds" with no data: say so instead of failing to decode.
        if (result.Length == 0 && f.Outputs.Count > 0 && (await Eth.GetCodeAsync(Address, block, ct)).Length == 0)
            throw new InvalidOperationException($"{f.Signature}: there is no contract at {Address}");
        return f.DecodeOutput(result);
    }

    public async Task<object?> CallSingleAsync(string function, params object?[] args) => (await CallAsync(function, args))[0];

    /// <summary>Sends a transaction calling <paramref name="function"/> and waits for its receipt; a failed receipt throws.</summary>
    public Task<TransactionReceipt> SendAsync(TransactionSender sender, string function, object?[] args, BigInteger value = default, ulong? gasLimit = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var f = Abi.Function(function);
        return SendTranslatingAsync(sender, Abi, new TransactionRequest(Address, f.EncodeCall(args), value, gasLimit), $"{f.Signature} on {Address}", ct);
    }

    /// <summary>The logs of <paramref name="receipt"/> emitted by this contract that its ABI knows, decoded.</summary>
    public IReadOnlyList<DecodedEvent> DecodeLogs(TransactionReceipt receipt) =>
        receipt.Logs.Where(l => l.Address == Address).Select(l => Abi.TryDecodeLog(l.Topics, l.Data)).OfType<DecodedEvent>().ToArray();

    /// <summary>
    /// Why a mined transaction failed: its receipt says only "failed", so the call is replayed on the state before its
    /// block, which usually reverts the same way. Null when the replay does not revert (the state it met is gone).
    /// </summary>
    public static async Task<RevertReason?> ExplainFailureAsync(EthClient eth, ContractAbi abi, TransactionRequest request, EthereumAddress from, TransactionReceipt receipt,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eth);
        ArgumentNullException.ThrowIfNull(abi);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(receipt);
        try
        {
            await eth.CallAsync(new CallRequest(request.To, request.Data, from, request.Value), Hex.EncodeQuantity(receipt.BlockNumber - 1), ct);
        }
        catch (JsonRpcException e) when (e.RevertData is { } revert)
        {
            return abi.DecodeRevert(revert);
        }
        return null;
    }

    private static async Task<TransactionReceipt> SendTranslatingAsync(TransactionSender sender, ContractAbi abi, TransactionRequest request, string what, CancellationToken ct)
    {
        TransactionReceipt receipt;
        try
        {
            receipt = await sender.SendAndWaitAsync(request, ct);
        }
        catch (JsonRpcException e) when (e.RevertData is { } revert)
        {
            throw new ContractRevertException(what, abi.DecodeRevert(revert), e);
        }
        if (receipt.Succeeded) return receipt;
        var reason = await ExplainFailureAsync(sender.Eth, abi, request, sender.Address, receipt, ct);
        throw new TransactionFailedException(
            $"{what}: transaction {Hex.Encode(receipt.TransactionHash)} failed in block {receipt.BlockNumber}{(reason is null ? "" : ": " + reason)}", receipt, reason);
    }
}
