using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Keys;
using Validium.L1.Rpc;
using Validium.L1.Transactions;
using Validium.Node.Api;
using Validium.Node.Client;
using Validium.Node.Dashboard;
using Validium.Settlement;

namespace Validium.Node.Hosting;

/// <summary>
/// Posts the node's proven batches to L1 when <see cref="L1Options.Enabled"/>: a <see cref="BatchPoster"/> over the
/// batcher's store, signing with the operator's keystore (its nonces under DataDir/l1/nonces), attesting through a
/// <see cref="DacClient"/> to the configured members (the committee itself, signers and threshold, is the contract's),
/// its status file under DataDir/l1/poster; a batch the committee has not attested within Poster:AttestationTimeoutMs
/// goes with its data on L1 when Poster:OnChainDataFallback, else is held with an alert. Started after the exchange,
/// whose batcher opened the store.
/// </summary>
public sealed class PosterHostedService(NodeOptions options, ExchangeHostedService exchange, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private static readonly Lazy<ContractAbi> ValidiumAbi = new(() =>
    {
        using var s = typeof(PosterHostedService).Assembly.GetManifestResourceStream("Validium.Node.Validium.abi.json")
            ?? throw new InvalidOperationException("the embedded Validium.abi.json is missing from Validium.Node");
        using var doc = System.Text.Json.JsonDocument.Parse(s);
        return ContractAbi.FromJson(doc.RootElement);
    });

    /// <summary>The Validium contract's ABI the node calls, for tools that drive the same contract (the demo).</summary>
    public static ContractAbi ContractAbi => ValidiumAbi.Value;

    private JsonRpcClient? rpc;
    private DacClient? dac;
    private BatchPoster? poster;
    private int disposed;

    /// <summary>The poster once started; null while L1 is disabled.</summary>
    public BatchPoster? Poster => poster;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.L1.Enabled) return;
        var key = OpenOperatorKey(options.L1);
        var validium = EthereumAddress.Parse(options.L1.Validium!);
        rpc = new JsonRpcClient(options.L1.Rpc, logger: loggers.CreateLogger("Validium.L1.Rpc"));
        var eth = new EthClient(rpc);
        long chain = (long)await eth.ChainIdAsync(cancellationToken).ConfigureAwait(false);
        if (chain != options.L1.ChainId)
            throw new InvalidOperationException($"L1:Rpc {options.L1.Rpc} serves chain {chain}, L1:ChainId says {options.L1.ChainId}");
        var nonces = await NonceManager.OpenAsync(Path.Combine(options.L1Dir, "nonces", "operator.json"), eth, key.Address, loggers.CreateLogger("Validium.L1.Nonces"), cancellationToken)
            .ConfigureAwait(false);
        var sender = new TransactionSender(eth, key, nonces, new TransactionSenderOptions { PollInterval = options.L1.PollInterval }, loggers.CreateLogger("Validium.L1.Sender"));
        dac = new DacClient(new DacDomain(options.L1.ChainId, validium), key, new L1Committee(eth, validium, TimeSpan.FromMinutes(1)),
            new DacClientOptions { Members = options.Committee.Members, Timeout = options.Committee.Timeout }, logger: loggers.CreateLogger("Validium.DaCommittee.Client"));
        var store = exchange.Store ?? throw new InvalidOperationException("the batcher's store is not open: the exchange has not started");
        poster = BatchPoster.Start(store, new Contract(eth, ValidiumAbi.Value, validium), sender, dac, new BatchPosterOptions
        {
            Directory = Path.Combine(options.L1Dir, "poster"), Confirmations = options.L1.Confirmations, StartBlock = options.L1.StartBlock,
            PollInterval = options.L1.PollInterval,
            Fallback = new DataFallbackPolicy { Enabled = options.Poster.OnChainDataFallback, CommitteeTimeout = options.Poster.AttestationTimeout },
        }, logger: loggers.CreateLogger("Validium.Settlement.BatchPoster"));
    }

    /// <summary>The operator's transaction key from its V3 keystore; a missing or wrong file or password is an InvalidOperationException naming the setting.</summary>
    public static Secp256k1PrivateKey OpenOperatorKey(L1Options l1)
    {
        ArgumentNullException.ThrowIfNull(l1);
        if (l1.OperatorPasswordFile is not { } passwordFile) throw new InvalidOperationException("L1:OperatorPasswordFile is not set: the operator keystore cannot be opened");
        string password;
        try
        {
            password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"L1:OperatorPasswordFile {passwordFile}: {e.Message}", e);
        }
        try
        {
            return Keystore.DecryptFile(l1.OperatorKeyFile, password);
        }
        catch (KeystoreException e)
        {
            throw new InvalidOperationException($"L1:OperatorKeyFile {l1.OperatorKeyFile}: {e.Message}", e);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (poster is not null) await poster.DisposeAsync().ConfigureAwait(false);
        poster = null;
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this once as itself and once as the hosted service it also is.
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        dac?.Dispose();
        rpc?.Dispose();
    }
}

/// <summary>
/// "poster": Degraded while a batch is held: for want of availability (the committee below threshold past the timeout
/// with the fallback off) with the poster's alert, else with the error holding it; Healthy otherwise.
/// </summary>
internal sealed class PosterHealthCheck(PosterHostedService host, NodeOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.L1.Enabled) return Task.FromResult(HealthCheckResult.Healthy("L1 is disabled (L1:Enabled)"));
        if (host.Poster is not { } poster) return Task.FromResult(HealthCheckResult.Unhealthy("not running"));
        if (poster.Completion.IsFaulted) return Task.FromResult(HealthCheckResult.Unhealthy($"stopped: {poster.Completion.Exception?.GetBaseException().Message}"));
        ulong confirmed = poster.LastConfirmed;
        if (poster.AvailabilityAlert is { } alert) return Task.FromResult(HealthCheckResult.Degraded(alert));
        if (poster.Status(confirmed + 1) is { LastError: { } error } heldBatch)
            return Task.FromResult(HealthCheckResult.Degraded($"batch {heldBatch.Number} held at {heldBatch.Stage} after {heldBatch.Attempts} attempts: {error}"));
        return Task.FromResult(HealthCheckResult.Healthy($"confirmed through batch {confirmed}"));
    }
}

/// <summary>
/// A batch's L1 stage, transaction, block, holding error and data path from the poster's persisted status, and the
/// poster's availability alert, for the dashboard's column and L1 panel and the trader API's batches.
/// </summary>
internal sealed class PosterL1Status(PosterHostedService host) : IDashboardL1Status, IBatchL1Status
{
    BatchL1Info? IDashboardL1Status.Get(ulong batch) =>
        host.Poster?.Status(batch) is { } s ? new BatchL1Info(s.Stage.ToString(), s.Block, s.TransactionHash, s.LastError, PathName(s.DataPath)) : null;

    string? IDashboardL1Status.Alert => host.Poster?.AvailabilityAlert;

    internal static string? PathName(DataAvailabilityPath? path) => path switch
    {
        DataAvailabilityPath.Committee => "committee",
        DataAvailabilityPath.OnChain => "on-chain",
        _ => null,
    };

    L1StatusDto? IBatchL1Status.Get(ulong batch) =>
        host.Poster?.Status(batch) is { } s ? new L1StatusDto(s.Stage.ToString(), s.TransactionHash, s.Block, s.LastError) : null;
}
