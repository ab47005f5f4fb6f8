using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1;
using Validium.L1.Keys;
using Validium.L1.Rpc;

namespace Validium.DaCommittee;

/// <summary>
/// A running committee member: the composition root (config → store → key → L1 → follower → API) around ASP.NET Core.
/// </summary>
public sealed class MemberNode : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly BatchStore store;
    private readonly JsonRpcClient? rpc;
    private int disposed;

    private MemberNode(WebApplication app, BatchStore store, JsonRpcClient? rpc, MemberService service, Uri url)
    {
        this.app = app;
        this.store = store;
        this.rpc = rpc;
        Service = service;
        Url = url;
    }

    public Uri Url { get; }
    public MemberService Service { get; }
    public EthereumAddress Address => Service.Address;

    /// <summary>Loads and validates the config, opens the keystore (password file or $VLD_KEYSTORE_PASSWORD) and starts.</summary>
    public static Task<MemberNode> StartFromConfigAsync(string configPath, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        var raw = MemberOptions.Load(configPath);
        var options = raw.Validate();
        Secp256k1PrivateKey key;
        try
        {
            key = Keystore.DecryptFile(raw.Keystore, raw.ReadPassword());
        }
        catch (KeystoreException e)
        {
            throw new FormatException(e.Message, e);
        }
        return StartAsync(options, key, logging, ct);
    }

    public static async Task<MemberNode> StartAsync(ValidatedMemberOptions options, Secp256k1PrivateKey key, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(key);
        var store = BatchStore.Open(options.Raw.DataDir, options.Raw.CompressionLevel);
        JsonRpcClient? rpc = null;
        try
        {
            ICommitteeSource committee;
            L1Committee? l1 = null;
            EthClient? eth = null;
            if (options.Rpc is { } rpcUrl)
            {
                rpc = new JsonRpcClient(rpcUrl);
                eth = new EthClient(rpc);
                var chainId = await eth.ChainIdAsync(ct);
                if (chainId != options.Domain.ChainId) throw new FormatException($"the L1 node at {rpcUrl} is chain {chainId}, the config says {options.Domain.ChainId}");
                l1 = new L1Committee(eth, options.Domain.Contract, TimeSpan.FromSeconds(options.Raw.L1!.PollIntervalSeconds));
                committee = l1;
            }
            else committee = new StaticCommittee(options.StaticCommittee!);

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = options.Raw.DataDir });
            builder.Logging.ClearProviders();
            if (logging is not null) logging(builder.Logging);
            else builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
            builder.WebHost.UseUrls(options.Listen.GetLeftPart(UriPartial.Authority));
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Raw.MaxBatchBytes);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<MemberMetrics>();
            builder.Services.AddSingleton(sp => new MemberService(options, key, store, committee, sp.GetRequiredService<MemberMetrics>(), TimeProvider.System,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<MemberService>()));
            builder.Services.AddHostedService(sp => new CommitteeFollower(sp.GetRequiredService<MemberService>(), sp.GetRequiredService<MemberMetrics>(), l1, eth,
                TimeProvider.System, sp.GetRequiredService<ILoggerFactory>().CreateLogger<CommitteeFollower>()));
            builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(MemberMetrics.MeterName).AddPrometheusExporter());

            var app = builder.Build();
            MemberApi.Map(app);
            app.MapPrometheusScrapingEndpoint(DacRoutes.Metrics);
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new MemberNode(app, store, rpc, app.Services.GetRequiredService<MemberService>(), new Uri(address));
        }
        catch
        {
            rpc?.Dispose();
            store.Dispose();
            throw;
        }
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(app, ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
            rpc?.Dispose();
            store.Dispose();
        }
    }
}
