using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Validium.Node.Client;
using Validium.Node.Exchange;

namespace Validium.Node.Api;

/// <summary>
/// The trader API (API.md): REST under /v1, the WebSocket stream at /v1/stream, the OpenAPI document at
/// /openapi/v1.json. It reads <see cref="ExchangeService"/>, <see cref="Batcher.BatchStore"/> and, when the poster
/// registers one, <see cref="IBatchL1Status"/> from the services.
/// </summary>
public static class TraderApi
{
    public const string Prefix = "/v1";

    /// <summary>Services of the API: options, API keys, problem details, JSON settings, rate limits, OpenAPI.</summary>
    public static IServiceCollection AddTraderApi(this IServiceCollection services, TraderApiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= new TraderApiOptions();
        if (options.Validate() is { } err) throw new ArgumentException($"trader API options: {err}", nameof(options));
        services.AddSingleton(options);
        services.AddSingleton<ApiKeys>();
        services.AddProblemDetails();
        services.Configure<JsonOptions>(o => TraderJson.Configure(o.SerializerOptions));
        services.AddOpenApi("v1");
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx => Partition(ctx, options));
            o.OnRejected = (context, ct) =>
            {
                var ctx = context.HttpContext;
                var extra = new Dictionary<string, object?>();
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
                {
                    int seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                    ctx.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    extra["retryAfter"] = seconds;
                }
                return new ValueTask(Problems.Status(StatusCodes.Status429TooManyRequests, "Too many requests",
                    "the rate limit of this API key (or, without one, of this address) is used up; retry after the Retry-After seconds", "RateLimited", extra)
                    .ExecuteAsync(ctx));
            };
        });
        return services;
    }

    /// <summary>
    /// The API's middleware (on its own paths only: errors as problem details, WebSockets, rate limits) and its
    /// endpoints. Call after <c>Build()</c>, once.
    /// </summary>
    public static WebApplication MapTraderApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<TraderApiOptions>();
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments(Prefix), branch =>
        {
            branch.UseExceptionHandler();
            branch.UseStatusCodePages();
            branch.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
            branch.UseRateLimiter();
        });
        app.MapOpenApi("/openapi/{documentName}.json");
        var v1 = app.MapGroup(Prefix);
        MarketEndpoints.Map(v1, options);
        AccountEndpoints.Map(v1, options);
        CommandEndpoints.Map(v1, options);
        v1.MapGet("/stream", (HttpContext ctx, CancellationToken ct) => StreamSession.RunAsync(ctx, options))
            .WithName("Stream").WithSummary("WebSocket: subscribe to book depth, trades, and (with an API key) the caller's orders and fills")
            .Produces(StatusCodes.Status101SwitchingProtocols).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    /// <summary>A live key's account, else the client address: unknown keys never make partitions of their own.</summary>
    private static RateLimitPartition<string> Partition(HttpContext ctx, TraderApiOptions options)
    {
        var keys = ctx.RequestServices.GetRequiredService<ApiKeys>();
        if (keys.TryGetAccount(ApiKey(ctx), out int account))
            return RateLimitPartition.GetTokenBucketLimiter("account:" + account.ToString(CultureInfo.InvariantCulture), _ => Bucket(options.Burst, options.PermitsPerSecond));
        var address = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetTokenBucketLimiter("address:" + address, _ => Bucket(options.AnonymousBurst, options.AnonymousPermitsPerSecond));
    }

    private static TokenBucketRateLimiterOptions Bucket(int burst, int perSecond) => new()
    {
        TokenLimit = burst, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
    };

    internal static string? ApiKey(HttpContext ctx) => ctx.Request.Headers[ApiAuth.KeyHeader].FirstOrDefault();

    /// <summary>The account of the request's API key, or the 401 problem saying what is missing.</summary>
    internal static IResult? Authenticate(HttpContext ctx, out int account)
    {
        var key = ApiKey(ctx);
        if (string.IsNullOrEmpty(key))
        {
            account = -1;
            return Problems.Unauthorized($"send an API key in the {ApiAuth.KeyHeader} header (POST {Prefix}/auth/challenge, then {Prefix}/auth/keys)");
        }
        return ctx.RequestServices.GetRequiredService<ApiKeys>().TryGetAccount(key, out account)
            ? null
            : Problems.Unauthorized("the API key is unknown or expired: get a new one");
    }

    internal static IResult? Exchange(HttpContext ctx, out ExchangeService exchange)
    {
        exchange = ctx.RequestServices.GetService<ExchangeService>()!;
        return exchange is null ? Problems.Unavailable("the exchange is not running") : null;
    }
}
