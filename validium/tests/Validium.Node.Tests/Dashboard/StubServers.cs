using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Validium.Node.Tests.Dashboard;

/// <summary>Committee members as the dashboard meets them: one that answers /health, one refusing connections, one that never answers.</summary>
internal static class StubServers
{
    /// <summary>A Kestrel on 127.0.0.1 port 0 answering <c>/health</c> with <paramref name="status"/> (and <paramref name="reason"/> as its reason phrase).</summary>
    public static async Task<(WebApplication App, Uri Url)> HealthAsync(int status = 200, string? reason = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/health", (HttpContext http) =>
        {
            if (reason is not null) http.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = reason;
            return Results.Json(new { status = "Healthy" }, statusCode: status);
        });
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return (app, url);
    }

    /// <summary>A port that was free a moment ago and has no listener: connections are refused.</summary>
    public static Uri Refusing()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>A listener that accepts connections into its backlog and never answers.</summary>
    public static (TcpListener Listener, Uri Url) Silent()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return (l, new Uri($"http://127.0.0.1:{((IPEndPoint)l.LocalEndpoint).Port}"));
    }
}
