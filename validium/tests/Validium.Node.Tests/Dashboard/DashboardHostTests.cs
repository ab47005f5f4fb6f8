using System.Collections;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Validium.Node.Dashboard;

namespace Validium.Node.Tests.Dashboard;

public class DashboardHostTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("validium-dashboard-host-").FullName;

    [Fact]
    public async Task TheNodeServesTheOverviewAndThePageWithItsAssets()
    {
        var options = NodeConfiguration.Load(null, new Dictionary<string, string?>
        {
            ["DataDir"] = dir, ["Accel:Mode"] = "cpu", ["Circuit:AccountDepth"] = "4", ["Circuit:FillDepth"] = "4", ["Circuit:Deposits"] = "2",
            ["Circuit:Trades"] = "0", ["Circuit:Withdrawals"] = "0", ["Circuit:Forced"] = "0", ["Exchange:MaxAccounts"] = "15",
            ["Batcher:MaxBatchAgeMs"] = "3600000", ["Committee:Members"] = "http://127.0.0.1:1/", ["Committee:Threshold"] = "1",
        }, new Hashtable());
        await using var node = await NodeHost.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        using var http = new HttpClient { BaseAddress = Assert.Single(node.Urls) };

        var overview = JsonNode.Parse(await http.GetStringAsync(DashboardEndpoints.OverviewPath))!;
        Assert.True((bool)overview["node"]!["started"]!);
        Assert.Equal("Perpetual", (string?)overview["books"]![0]!["kind"]);
        Assert.True((bool)overview["pipeline"]!["started"]!);
        Assert.Equal("http://127.0.0.1:1/", (string?)overview["committee"]!["members"]![0]!["url"]);
        Assert.True((bool)overview["l1"]!["configured"]!);

        var page = await http.GetAsync(DashboardEndpoints.PagePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", string.Join(';', page.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("/dashboard/dashboard.js", await page.Content.ReadAsStringAsync());
        var script = await http.GetAsync(DashboardEndpoints.PagePath + "/dashboard.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("innerHTML", await script.Content.ReadAsStringAsync());
        Assert.Equal("text/css", (await http.GetAsync(DashboardEndpoints.PagePath + "/dashboard.css")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(DashboardEndpoints.PagePath + "/secrets.json")).StatusCode);
    }

    [SkippableFact]
    public async Task ACallerFromAnotherAddressIsRefusedUnlessLoopbackOnlyIsOff()
    {
        var own = NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Skip.If(own is null, "this machine has no non-loopback IPv4 address to call from");

        foreach (var loopbackOnly in new[] { true, false })
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://{own}:0");
            builder.Services.AddOperatorDashboard(new OperatorDashboardOptions { LoopbackOnly = loopbackOnly }, _ => new DashboardSources(() => null, () => null, dir));
            await using var app = builder.Build();
            app.MapOperatorDashboard();
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            foreach (var path in new[] { DashboardEndpoints.OverviewPath, DashboardEndpoints.PagePath })
            {
                var response = await http.GetAsync(path);
                if (loopbackOnly)
                {
                    Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                    Assert.Contains("loopback", await response.Content.ReadAsStringAsync());
                }
                else Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            await app.StopAsync();
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }
}
