using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Validium.Node.Hosting;

namespace Validium.Node.Dashboard;

/// <summary>
/// The operator dashboard: <c>GET /operator/overview</c> (JSON, <see cref="Overview"/>) and the page at
/// <c>/dashboard</c> (HTML, script and style embedded in this assembly, no build step), both loopback-only unless
/// <see cref="OperatorDashboardOptions.LoopbackOnly"/> is off.
/// </summary>
public static class DashboardEndpoints
{
    public const string OverviewPath = "/operator/overview";
    public const string PagePath = "/dashboard";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly (string Name, string Type)[] Assets =
    [
        ("dashboard.html", "text/html; charset=utf-8"),
        ("dashboard.js", "text/javascript; charset=utf-8"),
        ("dashboard.css", "text/css; charset=utf-8"),
    ];

    /// <summary>Registers the dashboard over the node's hosted exchange and batcher (<see cref="ExchangeHostedService"/>).</summary>
    public static IServiceCollection AddOperatorDashboard(this IServiceCollection services, NodeOptions node, OperatorDashboardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        options ??= new OperatorDashboardOptions
        {
            CommitteeMembers = node.Committee.Members,
            L1Rpc = node.L1.Rpc,
            ValidiumContract = string.IsNullOrEmpty(node.L1.Validium) ? null : node.L1.Validium,
        };
        return services.AddOperatorDashboard(options, sp =>
        {
            var hosted = sp.GetRequiredService<ExchangeHostedService>();
            return new DashboardSources(() => hosted.Started, () => hosted.Pipeline, node.BatchDir, sp.GetService<IDashboardL1Status>());
        });
    }

    /// <summary>Registers the dashboard over any exchange and pipeline; polling starts and stops with the host.</summary>
    public static IServiceCollection AddOperatorDashboard(this IServiceCollection services, OperatorDashboardOptions options, Func<IServiceProvider, DashboardSources> sources)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sources);
        if (options.Validate() is { } err) throw new ArgumentException($"dashboard options: {err}", nameof(options));
        services.AddSingleton(options);
        services.AddSingleton(sp => new OperatorOverview(options, sources(sp), sp.GetService<TimeProvider>()));
        services.AddHostedService<DashboardPolling>();
        return services;
    }

    public static IEndpointRouteBuilder MapOperatorDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<OperatorDashboardOptions>();
        var pages = new Dictionary<string, (byte[] Body, string Type)>(StringComparer.Ordinal);
        foreach (var (name, type) in Assets) pages[name] = (Asset(name), type);

        var group = app.MapGroup("");
        if (options.LoopbackOnly) group.AddEndpointFilter(LoopbackOnly);
        group.MapGet(OverviewPath, (OperatorOverview overview, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(overview.Build(), Json);
        });
        group.MapGet(PagePath, (HttpContext http) => Page(http, pages["dashboard.html"]));
        group.MapGet(PagePath + "/{asset}", (string asset, HttpContext http) =>
            pages.TryGetValue(asset, out var page) && asset != "dashboard.html" ? Page(http, page) : Results.NotFound());
        return app;
    }

    private static IResult Page(HttpContext http, (byte[] Body, string Type) page)
    {
        // The page builds its DOM from text nodes only; the policy also refuses any inline or foreign script.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(page.Body, page.Type);
    }

    private static ValueTask<object?> LoopbackOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var remote = context.HttpContext.Connection.RemoteIpAddress;
        if (remote is { IsIPv4MappedToIPv6: true }) remote = remote.MapToIPv4();
        if (remote is null || !System.Net.IPAddress.IsLoopback(remote))
            return ValueTask.FromResult<object?>(Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "the operator dashboard answers loopback callers only",
                detail: $"{remote} is not a loopback address; reach the node from its own machine (e.g. an SSH tunnel) or set LoopbackOnly off"));
        return next(context);
    }

    private static byte[] Asset(string name)
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Validium.Node.Dashboard." + name)
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded in {typeof(DashboardEndpoints).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Starts the committee and L1 polls with the host and stops them with it.</summary>
    private sealed class DashboardPolling(OperatorOverview overview) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            overview.StartPolling();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => overview.DisposeAsync().AsTask();
    }
}
