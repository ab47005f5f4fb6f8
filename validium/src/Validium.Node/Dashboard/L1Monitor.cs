using System.Numerics;
using Validium.Crypto;
using Validium.L1.Rpc;

namespace Validium.Node.Dashboard;

/// <summary>
/// Reads L1 through the node's JSON-RPC client: the head block and the Validium contract's <c>batchNumber()</c>
/// (the last batch it accepted). One try per poll with a short timeout: the dashboard shows a stale or failing L1
/// as such rather than waiting out the client's retries.
/// </summary>
public sealed class L1Monitor : IDisposable
{
    private static readonly byte[] BatchNumberCall = Keccak256.Hash("batchNumber()"u8)[..4];
    private readonly TimeProvider time;
    private readonly EthClient? eth;
    private readonly EthereumAddress? contract;
    private L1Section last;

    public L1Monitor(OperatorDashboardOptions options, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        if (options.L1Rpc is { } rpc)
        {
            var timeout = options.MemberTimeout * 2;
            eth = new EthClient(new JsonRpcClient(rpc, new JsonRpcClientOptions { MaxAttempts = 1, AttemptTimeout = timeout }));
            if (options.ValidiumContract is { } c) contract = EthereumAddress.Parse(c);
        }
        last = new L1Section(eth is not null, null, null, null, null);
    }

    public L1Section Last => Volatile.Read(ref last);

    /// <summary>The head block as last read, for confirmations.</summary>
    public long? Head => Last.Head;

    public async Task PollAsync(CancellationToken ct)
    {
        if (eth is null) return;
        var before = Last;
        long now;
        try
        {
            long head = await eth.BlockNumberAsync(ct).ConfigureAwait(false);
            ulong? batch = null;
            if (contract is { } address)
            {
                var word = await eth.CallAsync(new CallRequest(address, BatchNumberCall), "latest", ct).ConfigureAwait(false);
                if (word.Length != 32) throw new InvalidDataException($"batchNumber() answered {word.Length} bytes, not one 32-byte word (is {address} the Validium contract?)");
                var value = new BigInteger(word, isUnsigned: true, isBigEndian: true);
                if (value > ulong.MaxValue) throw new InvalidDataException($"batchNumber() answered {value}, more than a uint64");
                batch = (ulong)value;
            }
            now = time.GetUtcNow().ToUnixTimeMilliseconds();
            Volatile.Write(ref last, new L1Section(true, head, batch, null, now));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            now = time.GetUtcNow().ToUnixTimeMilliseconds();
            // The last good values stay beside the error, so the page shows how stale they are.
            Volatile.Write(ref last, before with { Error = e.Message, CheckedAt = now });
        }
    }

    public void Dispose() => eth?.Rpc.Dispose();
}
