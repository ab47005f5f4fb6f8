using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Validium.Node.Api;
using Validium.Node.Client;

namespace Validium.Node.Tests.Api;

/// <summary>The trader API on a real Kestrel at 127.0.0.1, port 0, over a <see cref="Harness"/>'s exchange and batch store.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private ApiHost(Harness harness, WebApplication app, Uri address)
    {
        Harness = harness;
        App = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public Harness Harness { get; }
    public WebApplication App { get; }
    public Uri Address { get; }
    public HttpClient Http { get; }

    /// <summary>A harness with BTC listed and accounts 0..2 funded, behind the API.</summary>
    public static async Task<ApiHost> StartAsync(TraderApiOptions? options = null, int subscriberCapacity = 1024, IBatchL1Status? l1 = null)
    {
        var harness = await Harness.StartAsync(subscriberCapacity: subscriberCapacity);
        try
        {
            await harness.OpenAsync();
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            builder.Services.AddSingleton(harness.Exchange);
            builder.Services.AddSingleton(harness.Store);
            if (l1 is not null) builder.Services.AddSingleton(l1);
            builder.Services.AddTraderApi(options);
            var app = builder.Build();
            app.MapTraderApi();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ApiHost(harness, app, new Uri(address + "/"));
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of account <paramref name="who"/> (the harness's key of that number), signed in.</summary>
    public async Task<TraderClient> TraderAsync(int who)
    {
        var client = new TraderClient(Http, who, Harness.PrivateKey(who));
        await client.SignInAsync();
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Harness.DisposeAsync();
    }
}
