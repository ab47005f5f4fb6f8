using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.L1.Transactions;

namespace Validium.DevNet;

/// <summary>
/// Publishes signed price rounds to PriceOracle at an interval: round and timestamp follow the contract's latest,
/// prices the <see cref="PricePath"/> at that round, signed by the first threshold reporters in the contract's
/// ascending order. Every failure (anvil stopped, a revert) is logged and the next tick tries again, reopening the
/// submitter's nonces from the chain, so a chain restored from an older state file is picked up without help.
/// </summary>
public sealed class OracleFeeder : IAsyncDisposable
{
    private static readonly ContractAbi OracleAbi = ContractAbi.Parse("""
        [
          {"type":"function","name":"latestRound","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint64"}]},
          {"type":"function","name":"latestTimestamp","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint64"}]},
          {"type":"function","name":"digest","stateMutability":"view","inputs":[{"name":"round","type":"uint64"},{"name":"timestamp","type":"uint64"},{"name":"prices","type":"uint64[]"}],"outputs":[{"name":"","type":"bytes32"}]},
          {"type":"function","name":"update","stateMutability":"nonpayable","inputs":[{"name":"round","type":"uint64"},{"name":"timestamp","type":"uint64"},{"name":"prices","type":"uint64[]"},
            {"name":"sigs","type":"tuple[]","components":[{"name":"v","type":"uint8"},{"name":"r","type":"bytes32"},{"name":"s","type":"bytes32"}]}],"outputs":[]},
          {"type":"error","name":"RoundOutOfOrder","inputs":[{"name":"round","type":"uint64"},{"name":"expected","type":"uint64"}]},
          {"type":"error","name":"TimestampOutOfOrder","inputs":[{"name":"timestamp","type":"uint64"},{"name":"previous","type":"uint64"}]},
          {"type":"error","name":"TimestampInFuture","inputs":[{"name":"timestamp","type":"uint64"}]},
          {"type":"error","name":"WrongPriceCount","inputs":[{"name":"given","type":"uint256"},{"name":"expected","type":"uint256"}]},
          {"type":"error","name":"ZeroPrice","inputs":[{"name":"instrument","type":"uint256"}]},
          {"type":"error","name":"TooFewSignatures","inputs":[{"name":"given","type":"uint256"},{"name":"threshold","type":"uint256"}]},
          {"type":"error","name":"InvalidSignature","inputs":[{"name":"index","type":"uint256"}]},
          {"type":"error","name":"SignersNotAscending","inputs":[{"name":"index","type":"uint256"}]},
          {"type":"error","name":"NotASigner","inputs":[{"name":"signer","type":"address"}]}
        ]
        """);

    private readonly JsonRpcClient rpc;
    private readonly EthClient eth;
    private readonly Contract oracle;
    private readonly Secp256k1PrivateKey[] signers;
    private readonly Secp256k1PrivateKey submitter;
    private readonly string nonceFile;
    private readonly PricePath path;
    private readonly ILogger logger;
    private readonly SemaphoreSlim publishing = new(1, 1);
    private CancellationTokenSource? loop;
    private Task? loopTask;
    private long published;

    public OracleFeeder(Uri rpcUrl, EthereumAddress oracleAddress, IReadOnlyList<Secp256k1PrivateKey> reporters, int threshold, Secp256k1PrivateKey submitter,
        string nonceFile, PricePath path, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(rpcUrl);
        ArgumentNullException.ThrowIfNull(reporters);
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentException.ThrowIfNullOrEmpty(nonceFile);
        ArgumentNullException.ThrowIfNull(path);
        if (threshold < 1 || threshold > reporters.Count) throw new ArgumentOutOfRangeException(nameof(threshold), $"threshold {threshold} of {reporters.Count} reporters");
        // Short attempts: a stopped chain should cost one tick, not a minute of retries.
        rpc = new JsonRpcClient(rpcUrl, new JsonRpcClientOptions { MaxAttempts = 2, AttemptTimeout = TimeSpan.FromSeconds(5) });
        eth = new EthClient(rpc);
        oracle = new Contract(eth, OracleAbi, oracleAddress);
        signers = [.. Settlement.SystemDeployment.Ascending(reporters.Select(r => r.Address)).Take(threshold).Select(a => reporters.First(r => r.Address == a))];
        this.submitter = submitter;
        this.nonceFile = nonceFile;
        this.path = path;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Rounds this feeder has published since it was created.</summary>
    public long Published => Interlocked.Read(ref published);

    /// <summary>The last publish's failure, null after a success.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Publishes the round after the contract's latest, now.</summary>
    public async Task<OracleRound> PublishNextAsync(CancellationToken ct = default)
    {
        await publishing.WaitAsync(ct);
        try
        {
            var round = (ulong)(BigInteger)(await oracle.CallAsync("latestRound", [], ct: ct))[0]! + 1;
            var latestTs = (ulong)(BigInteger)(await oracle.CallAsync("latestTimestamp", [], ct: ct))[0]!;
            var head = await eth.GetLatestBlockHeaderAsync(ct) ?? throw new InvalidOperationException("the L1 node has no head block");
            ulong timestamp = Math.Max((ulong)head.Timestamp, latestTs + 1);
            // Timestamps are whole seconds and strictly increasing, and anvil mines a block in the same second as its
            // parent with the parent's timestamp: a round after one in the head's second must wait for the chain's
            // clock to pass it, else its block is older than its timestamp (TimestampInFuture).
            if (timestamp > (ulong)head.Timestamp) await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var prices = path.L1Prices(round, timestamp);
            object?[] priceArgs = [.. prices.Select(p => (object?)p)];
            var digest = (byte[])(await oracle.CallAsync("digest", [round, timestamp, priceArgs], ct: ct))[0]!;
            object?[] sigs = [.. signers.Select(k =>
            {
                var sig = DacDomain.SignDigest(k, digest);
                var b = sig.ToBytes();
                return (object?)new object?[] { (BigInteger)sig.V, b[..32], b[32..64] };
            })];
            var nonces = await NonceManager.OpenAsync(nonceFile, eth, submitter.Address, ct: ct);
            var sender = new TransactionSender(eth, submitter, nonces, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(100), PriorityFeePerGas = 1_000_000_000 });
            await oracle.SendAsync(sender, "update", [round, timestamp, priceArgs, sigs], ct: ct);
            Interlocked.Increment(ref published);
            LastError = null;
            return new OracleRound(round, timestamp, [.. prices]);
        }
        finally
        {
            publishing.Release();
        }
    }

    /// <summary>Publishes every <paramref name="interval"/> in the background until disposed.</summary>
    public void Start(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), "the interval must be positive");
        if (loop is not null) throw new InvalidOperationException("the feeder is already running");
        loop = new CancellationTokenSource();
        var ct = loop.Token;
        loopTask = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                try
                {
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    attempt.CancelAfter(TimeSpan.FromSeconds(Math.Max(30, 3 * interval.TotalSeconds)));
                    var r = await PublishNextAsync(attempt.Token);
                    logger.LogInformation("oracle round {Round} at {Timestamp}: {Prices}", r.Round, r.Timestamp, string.Join(", ", r.Prices));
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    LastError = e;
                    logger.LogWarning("oracle round not published, trying again in {Interval}: {Error}", interval, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (loop is not null)
        {
            await loop.CancelAsync();
            try
            {
                await loopTask!;
            }
            catch (OperationCanceledException)
            {
                // Stopping is what was asked for.
            }
            loop.Dispose();
        }
        rpc.Dispose();
        publishing.Dispose();
    }
}
