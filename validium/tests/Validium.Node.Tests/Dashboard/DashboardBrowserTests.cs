using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Validium.Exchange;
using Validium.Node.Dashboard;
using Xunit.Abstractions;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests.Dashboard;

/// <summary>The page in headless Chromium (Debian's chromium, driven by playwright-core through dashboard.mjs) on a real Kestrel.</summary>
public class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "package.json")) && Directory.Exists(Path.Combine(d.FullName, "validium"))) return d.FullName;
        Skip.If(true, "not running from a checkout: package.json and node_modules are not above the tests");
        return "";
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task ThePageShowsTheBooksAndBatchesThenItsErrorStateWhenTheNodeStops()
    {
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is missing: scripts/bootstrap.sh installs Debian's chromium package");
        var root = RepositoryRoot();
        Skip.IfNot(Directory.Exists(Path.Combine(root, "node_modules", "playwright-core")), "node_modules/playwright-core is missing: run npm ci");

        var (member, memberUrl) = await StubServers.HealthAsync(503, "<b>overloaded</b>");
        await using var h = await Harness.StartAsync();
        await h.OpenAsync();
        Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 51_000, 5));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 49_000, 3));
        Accepted(await h.PlaceSignedAsync(2, 2, Side.Buy, 51_000, 2, OrderType.Ioc));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddOperatorDashboard(new OperatorDashboardOptions { CommitteeMembers = [memberUrl], MemberTimeout = TimeSpan.FromMilliseconds(500) },
            _ => new DashboardSources(() => h.Exchange, () => h.Pipeline, h.BatchDir));
        var app = builder.Build();
        app.MapOperatorDashboard();
        await app.StartAsync();
        await h.ReleasedAsync(1);
        var url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), DashboardEndpoints.PagePath);

        var profile = Directory.CreateTempSubdirectory("validium-chromium-");
        var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard-screenshot.png");
        var psi = new ProcessStartInfo("node") { WorkingDirectory = root, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Dashboard", "dashboard.mjs"), url.ToString(), profile.FullName, screenshot }) psi.ArgumentList.Add(a);
        Process node;
        try
        {
            node = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Skip.If(true, "node is not installed (scripts/bootstrap.sh installs it)");
            throw;
        }
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var seen = await ReadTaggedAsync(node, "SEEN ", stderr, timeout.Token);
            output.WriteLine(seen.ToString());
            Assert.Equal("live", seen.GetProperty("status").GetString());
            Assert.EndsWith("UTC", seen.GetProperty("updated").GetString());
            Assert.Equal([[N(49_000 * Usd), N(3 * Btc.LotSize), "1"]], Rows(seen, "bids"));
            Assert.Equal([[N(51_000 * Usd), N(3 * Btc.LotSize), "1"]], Rows(seen, "asks"));
            var trade = Assert.Single(Rows(seen, "trades"));
            Assert.Equal(["Buy", N(51_000 * Usd), N(2 * Btc.LotSize)], trade[1..]);
            var batch = Assert.Single(Rows(seen, "batches"));
            Assert.Equal(["1", "Proven", "Size", "3", "1", "0"], batch[..6]);
            Assert.True(double.TryParse(batch[6], CultureInfo.InvariantCulture, out var seconds) && seconds >= 0, $"proving time '{batch[6]}'");
            var m = Assert.Single(seen.GetProperty("members").EnumerateArray());
            Assert.Equal("light down", m.GetProperty("light").GetString());
            Assert.Contains("<b>overloaded</b>", m.GetProperty("text").GetString());
            Assert.Equal(0, seen.GetProperty("injected").GetInt32());
            Assert.Empty(seen.GetProperty("scriptErrors").EnumerateArray());

            await app.StopAsync();
            await node.StandardInput.WriteLineAsync("stopped");
            await node.StandardInput.FlushAsync();
            var error = await ReadTaggedAsync(node, "ERROR ", stderr, timeout.Token);
            output.WriteLine(error.ToString());
            Assert.StartsWith("the node does not answer", error.GetProperty("status").GetString());
            Assert.True(error.GetProperty("stale").GetBoolean());
            await node.WaitForExitAsync(timeout.Token);
            Assert.True(node.ExitCode == 0, await stderr);
            Assert.True(new FileInfo(screenshot).Length > 0);
            output.WriteLine($"screenshot: {screenshot}");
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
            node.Dispose();
            await app.DisposeAsync();
            await member.DisposeAsync();
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be letting go of its profile; a temp directory left behind is not a failure.
            }
        }
    }

    private static string[][] Rows(JsonElement seen, string name) =>
        [.. seen.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString() ?? "").ToArray())];

    private static async Task<JsonElement> ReadTaggedAsync(Process node, string tag, Task<string> stderr, CancellationToken ct)
    {
        while (await node.StandardOutput.ReadLineAsync(ct) is { } line)
            if (line.StartsWith(tag, StringComparison.Ordinal)) return JsonDocument.Parse(line[tag.Length..]).RootElement.Clone();
        await node.WaitForExitAsync(ct);
        Assert.Fail($"dashboard.mjs ended (code {node.ExitCode}) before printing {tag.Trim()}: {await stderr}");
        return default;
    }
}
