using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Crypto;
using Validium.L1.Rpc;

namespace Validium.L1.Transactions;

/// <summary>What to send: a call (To set) or a contract creation (To null, Data = init code).</summary>
public sealed record TransactionRequest(EthereumAddress? To, byte[] Data, BigInteger Value = default, ulong? GasLimit = null);

/// <summary>A transaction handed to the node; <see cref="Hashes"/> grows when a replacement is sent for its nonce.</summary>
public sealed class SentTransaction
{
    private readonly List<byte[]> hashes;

    internal SentTransaction(TransactionRequest request, ulong nonce, byte[] hash)
    {
        Request = request;
        Nonce = nonce;
        hashes = [hash];
    }

    public TransactionRequest Request { get; }
    public ulong Nonce { get; }

    public IReadOnlyList<byte[]> Hashes
    {
        get
        {
            lock (hashes) return hashes.ToArray();
        }
    }

    /// <summary>The first version's hash; a replacement that gets mined instead is in the receipt.</summary>
    public byte[] Hash => Hashes[0];

    internal void AddHash(byte[] h)
    {
        lock (hashes) hashes.Add(h);
    }
}

/// <summary>The node refused the transaction outright (insufficient funds, gas too low, …); its nonce was given back.</summary>
public sealed class TransactionRejectedException(string message, JsonRpcException inner) : Exception(message, inner);

/// <summary>The nonce was mined by a transaction that is none of ours (the key is used elsewhere).</summary>
public sealed class NonceConsumedException(string message) : Exception(message);

/// <summary>
/// Signs and sends EIP-1559 transactions from one key, with nonces from a <see cref="NonceManager"/>, and sees them
/// through: polls for the receipt (it is null for a while after sending), waits for the configured confirmations,
/// and replaces a transaction that stays unmined past <see cref="TransactionSenderOptions.ReplaceAfter"/> with the
/// same nonce at fees raised by at least 12.5 %. Sends are serialised, so nonces leave in order.
/// </summary>
public sealed class TransactionSender
{
    private readonly EthClient eth;
    private readonly Secp256k1PrivateKey key;
    private readonly NonceManager nonces;
    private readonly TransactionSenderOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Polls with the nonce used and none of our receipts before the nonce counts as taken by another transaction.</summary>
    private const int MinedElsewhereLooks = 5;

    public TransactionSender(EthClient eth, Secp256k1PrivateKey key, NonceManager nonces, TransactionSenderOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        this.eth = eth ?? throw new ArgumentNullException(nameof(eth));
        this.key = key ?? throw new ArgumentNullException(nameof(key));
        this.nonces = nonces ?? throw new ArgumentNullException(nameof(nonces));
        if (nonces.Address != key.Address) throw new ArgumentException($"nonce state is for {nonces.Address}, the key is {key.Address}");
        this.options = options ?? new TransactionSenderOptions();
        this.options.Validate();
        this.logger = logger ?? NullLogger.Instance;
        this.time = time ?? TimeProvider.System;
    }

    public EthereumAddress Address => key.Address;
    public EthClient Eth => eth;
    public TransactionSenderOptions Options => options;

    /// <summary>
    /// Estimates gas (a revert surfaces here as <see cref="JsonRpcException"/>), signs, records, sends. If the node cannot
    /// be reached even after retries, the <see cref="RpcTransportException"/> propagates but the signed transaction stays
    /// recorded: it is resent on the next start (it may well have arrived).
    /// </summary>
    public async Task<SentTransaction> SendAsync(TransactionRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ulong gas = request.GasLimit ?? await EstimateAsync(request, ct);
        await gate.WaitAsync(ct);
        try
        {
            var (prio, maxFee) = await SuggestFeesAsync(ct);
            ulong nonce = nonces.Reserve();
            var tx = new Eip1559Transaction
            {
                ChainId = nonces.ChainId, Nonce = nonce, MaxPriorityFeePerGas = prio, MaxFeePerGas = maxFee,
                GasLimit = gas, To = request.To, Value = request.Value, Data = request.Data,
            };
            var signed = tx.Sign(key);
            nonces.Record(signed, time.GetUtcNow());
            var hash = signed.Hash();
            try
            {
                await BroadcastAsync(signed, hash, ct);
            }
            catch (JsonRpcException e)
            {
                nonces.Release(nonce);
                throw new TransactionRejectedException($"the node refused nonce {nonce} from {Address}: {e.RpcMessage}", e);
            }
            logger.LogInformation("sent {Hash} nonce {Nonce} from {Address} (maxFee {MaxFee}, priority {Priority}, gas {Gas})", Hex.Encode(hash), nonce, Address, maxFee, prio, gas);
            return new SentTransaction(request, nonce, hash);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Polls until one of the nonce's versions has a receipt under enough confirmations; replaces it when stuck.</summary>
    public async Task<TransactionReceipt> WaitForReceiptAsync(SentTransaction sent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        int consumedLooks = 0;
        while (true)
        {
            var receipt = await FindReceiptAsync(sent, ct);
            if (receipt is not null)
            {
                long head = await eth.BlockNumberAsync(ct);
                if (head - receipt.BlockNumber + 1 >= options.Confirmations && await IsCanonicalAsync(receipt, ct))
                {
                    nonces.Complete(sent.Nonce);
                    return receipt;
                }
            }
            else if (await eth.GetTransactionCountAsync(Address, "latest", ct) > sent.Nonce)
            {
                // Mined between the receipt queries and the count, or by a stranger. anvil under load counts the nonce
                // a moment before it serves the receipt (seen: two looks in a row without one), so look a few polls
                // before calling it a stranger's.
                if (await FindReceiptAsync(sent, ct) is null && ++consumedLooks >= MinedElsewhereLooks)
                {
                    nonces.Complete(sent.Nonce);
                    throw new NonceConsumedException($"nonce {sent.Nonce} of {Address} was mined by a transaction other than ours ({string.Join(", ", sent.Hashes.Select(h => Hex.Encode(h)))})");
                }
                await Task.Delay(options.PollInterval, time, ct);
                continue;
            }
            else if (nonces.Get(sent.Nonce) is { } entry && time.GetUtcNow() - entry.LastSent >= options.ReplaceAfter)
                await ReplaceAsync(sent, entry, ct);
            await Task.Delay(options.PollInterval, time, ct);
        }
    }

    /// <summary>A handle on a nonce recorded before a restart (see <see cref="NonceManager.Pending"/>), to wait for it again.</summary>
    public SentTransaction Track(PendingNonce pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var t = pending.Latest.Transaction;
        var sent = new SentTransaction(new TransactionRequest(t.To, t.Data, t.Value, t.GasLimit), pending.Nonce, pending.Hashes[0]);
        foreach (var h in pending.Hashes.Skip(1)) sent.AddHash(h);
        return sent;
    }

    public async Task<TransactionReceipt> SendAndWaitAsync(TransactionRequest request, CancellationToken ct = default) =>
        await WaitForReceiptAsync(await SendAsync(request, ct), ct);

    /// <summary>Base fee from the latest block (×2 so a few full blocks do not strand the transaction) plus the priority fee.</summary>
    public async Task<(BigInteger Priority, BigInteger MaxFee)> SuggestFeesAsync(CancellationToken ct = default)
    {
        var head = await eth.GetLatestBlockHeaderAsync(ct) ?? throw new InvalidOperationException("the node has no latest block");
        var prio = options.PriorityFeePerGas ?? await eth.MaxPriorityFeePerGasAsync(ct);
        var maxFee = 2 * (head.BaseFeePerGas ?? BigInteger.Zero) + prio;
        if (maxFee > options.MaxFeePerGasCap)
            throw new InvalidOperationException($"suggested maxFeePerGas {maxFee} is above the cap {options.MaxFeePerGasCap}; raise MaxFeePerGasCap or wait for cheaper blocks");
        return (prio, maxFee);
    }

    private async Task<ulong> EstimateAsync(TransactionRequest request, CancellationToken ct)
    {
        ulong estimate = await eth.EstimateGasAsync(new CallRequest(request.To, request.Data, Address, request.Value), ct);
        return checked(estimate + estimate * (ulong)options.GasLimitMarginPercent / 100);
    }

    private async Task ReplaceAsync(SentTransaction sent, PendingNonce entry, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            var old = entry.Latest.Transaction;
            var (prio, maxFee) = await SuggestFeesAsync(ct);
            prio = BigInteger.Max(prio, Bump(old.MaxPriorityFeePerGas));
            maxFee = BigInteger.Max(BigInteger.Max(maxFee, Bump(old.MaxFeePerGas)), prio);
            var now = time.GetUtcNow();
            if (maxFee > options.MaxFeePerGasCap)
            {
                logger.LogError("nonce {Nonce} of {Address} is stuck but a replacement would need maxFee {MaxFee}, above the cap {Cap}; resending as is",
                    sent.Nonce, Address, maxFee, options.MaxFeePerGasCap);
                nonces.Record(entry.Latest, now);
                await TryResendAsync(entry.LatestRaw, ct);
                return;
            }
            var signed = (old with { MaxPriorityFeePerGas = prio, MaxFeePerGas = maxFee }).Sign(key);
            nonces.Record(signed, now);
            var hash = signed.Hash();
            sent.AddHash(hash);
            logger.LogWarning("nonce {Nonce} of {Address} unmined for {Age}: replacing {Old} with {New} (maxFee {OldFee} -> {MaxFee}, priority {OldPrio} -> {Prio})",
                sent.Nonce, Address, now - entry.FirstSent, Hex.Encode(entry.Hashes[^1]), Hex.Encode(hash), old.MaxFeePerGas, maxFee, old.MaxPriorityFeePerGas, prio);
            try
            {
                await BroadcastAsync(signed, hash, ct);
            }
            catch (JsonRpcException e)
            {
                // Typically "nonce too low": an earlier version was mined meanwhile, which the next poll finds.
                logger.LogWarning("replacement {Hash} for nonce {Nonce} refused: {Error}", Hex.Encode(hash), sent.Nonce, e.RpcMessage);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task TryResendAsync(byte[] raw, CancellationToken ct)
    {
        try
        {
            await eth.SendRawTransactionAsync(raw, ct);
        }
        catch (JsonRpcException e)
        {
            logger.LogInformation("resend refused: {Error}", e.RpcMessage);
        }
    }

    /// <summary>
    /// eth_sendRawTransaction; an error answer is fine when the node already has this exact transaction (a retried
    /// send whose first answer was lost arrives as "already known" or, once mined, "nonce too low").
    /// </summary>
    private async Task BroadcastAsync(SignedEip1559Transaction signed, byte[] hash, CancellationToken ct)
    {
        try
        {
            var reported = await eth.SendRawTransactionAsync(signed.Encode(), ct);
            if (!reported.AsSpan().SequenceEqual(hash))
                throw new InvalidOperationException($"the node reports hash {Hex.Encode(reported)} for a transaction whose hash is {Hex.Encode(hash)}");
        }
        catch (JsonRpcException e)
        {
            if (await eth.GetTransactionAsync(hash, ct) is not null)
            {
                logger.LogInformation("{Hash}: node answered '{Error}' but has the transaction: counting it as sent", Hex.Encode(hash), e.RpcMessage);
                return;
            }
            throw;
        }
    }

    private async Task<TransactionReceipt?> FindReceiptAsync(SentTransaction sent, CancellationToken ct)
    {
        var hashes = sent.Hashes;
        for (int i = hashes.Count - 1; i >= 0; i--)
            if (await eth.GetTransactionReceiptAsync(hashes[i], ct) is { } r) return r;
        return null;
    }

    private async Task<bool> IsCanonicalAsync(TransactionReceipt receipt, CancellationToken ct) =>
        await eth.GetBlockHeaderAsync(receipt.BlockNumber, ct) is { } h && h.Hash.AsSpan().SequenceEqual(receipt.BlockHash);

    // At least +1 so a zero fee still rises.
    private BigInteger Bump(BigInteger v) => BigInteger.Max((v * (1000 + options.FeeBumpPerMille) + 999) / 1000, v + 1);
}
