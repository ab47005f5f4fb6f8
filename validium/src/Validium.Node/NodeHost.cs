using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Validium.Accel;
using Validium.Batcher;
using Validium.Node.Api;
using Validium.Node.Dashboard;
using Validium.Node.Exchange;
using Validium.Node.Hosting;

namespace Validium.Node;

/// <summary>
/// The appliance: the composition root (options → accelerator → exchange, batcher and prover → HTTP) on the generic
/// host. Hosted services start in order before Kestrel listens and stop in reverse order; <c>/health</c> reports each
/// component, <c>/metrics</c> every <c>Validium.*</c> meter in Prometheus' text format.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    public const string HealthPath = "/health";
    public const string MetricsPath = "/metrics";

    private readonly WebApplication app;
    private int disposed;

    private NodeHost(WebApplication app, IReadOnlyList<Uri> urls)
    {
        this.app = app;
        Urls = urls;
    }

    /// <summary>The addresses Kestrel listens on, with the real port where port 0 was asked for.</summary>
    public IReadOnlyList<Uri> Urls { get; }

    public ExchangeService Exchange => app.Services.GetRequiredService<ExchangeHostedService>().Exchange;

    public IServiceProvider Services => app.Services;

    /// <summary>
    /// Starts every component and returns once the node serves. <paramref name="registry"/> brings accelerator
    /// backends beyond the CPU (the CLI registers GPU and FPGA ones); <paramref name="logging"/> replaces the console
    /// logging the options choose.
    /// </summary>
    public static async Task<NodeHost> StartAsync(NodeOptions options, BackendRegistry? registry = null, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        if (logging is not null) logging(builder.Logging);
        else if (options.LogFormat == LogFormat.Json) builder.Logging.AddJsonConsole();
        else builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls([.. options.Urls]);
        // Stopping drains the exchange and persists the batcher's cut batches; give it time beyond the drain itself.
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(30));

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new AccelDispatcher(registry ?? new BackendRegistry(), new AccelOptions { Mode = options.Accel },
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<AccelDispatcher>()));
        builder.Services.AddSingleton<ExchangeHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExchangeHostedService>());
        builder.Services.AddSingleton(sp => sp.GetRequiredService<ExchangeHostedService>().Exchange);
        // The trader API reads batches through its own handle on the directory: batch files are atomic, so reading beside the pipeline is safe.
        builder.Services.AddSingleton(_ => BatchStore.Open(options.BatchDir));
        builder.Services.AddTraderApi(options.Api);
        // After the exchange: deposits and rounds go into it, and the poster reads the store its batcher opened.
        builder.Services.AddSingleton<L1HostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<L1HostedService>());
        builder.Services.AddSingleton<PosterHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PosterHostedService>());
        builder.Services.AddSingleton<PosterL1Status>();
        builder.Services.AddSingleton<IDashboardL1Status>(sp => sp.GetRequiredService<PosterL1Status>());
        builder.Services.AddSingleton<IBatchL1Status>(sp => sp.GetRequiredService<PosterL1Status>());
        builder.Services.AddHealthChecks()
            .AddCheck<ExchangeHealthCheck>("exchange")
            .AddCheck<BatcherHealthCheck>("batcher")
            .AddCheck<L1WatcherHealthCheck>("l1-watcher")
            .AddCheck<PosterHealthCheck>("poster");
        builder.Services.AddOperatorDashboard(options);
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter("Validium.*").AddPrometheusExporter());

        var app = builder.Build();
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthJson.WriteAsync });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapOperatorDashboard();
        app.MapTraderApi();
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new NodeHost(app, addresses);
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM, Ctrl+C, or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken ct = default) => app.WaitForShutdownAsync(ct);

    /// <summary>Graceful stop: intake closes, taken commands are answered, cut batches persisted, services stop in reverse order.</summary>
    public Task StopAsync(CancellationToken ct = default) => app.StopAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        try
        {
            await app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
