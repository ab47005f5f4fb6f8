using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Validium.DaCommittee.Client;

namespace Validium.DaCommittee.Tests;

/// <summary>
/// A dishonest member in front of an honest one: it forwards the submission and rewrites the answer (e.g. flips a bit
/// of the signature), so the client faces a real HTTP member that returns a bad signature.
/// </summary>
internal sealed class TamperingMember : IAsyncDisposable
{
    private readonly WebApplication app;

    private TamperingMember(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<TamperingMember> StartAsync(Uri honest, Func<SubmitResponse, SubmitResponse> rewrite)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var http = new HttpClient();
        app.MapPost(DacRoutes.Batch, async (string number, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            using var forward = new HttpRequestMessage(HttpMethod.Post, new Uri(honest, DacRoutes.BatchPath(ulong.Parse(number, System.Globalization.CultureInfo.InvariantCulture))))
            {
                Content = new ByteArrayContent(body.ToArray()),
            };
            foreach (var h in new[] { SubmitAuth.TimestampHeader, SubmitAuth.NonceHeader, SubmitAuth.SignatureHeader })
                forward.Headers.Add(h, request.Headers[h].ToString());
            using var res = await http.SendAsync(forward);
            var text = await res.Content.ReadAsStringAsync();
            if (!res.IsSuccessStatusCode) return Results.Content(text, "application/json", statusCode: (int)res.StatusCode);
            return Results.Json(rewrite(JsonSerializer.Deserialize<SubmitResponse>(text)!));
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TamperingMember(app, new Uri(url));
    }

    public static string FlipLastRByte(string signatureHex)
    {
        var chars = signatureHex.ToCharArray();
        // The last hex digit of r (byte 31): the signature stays well-formed but recovers to another key.
        int i = 2 + 63;
        chars[i] = chars[i] == '0' ? '1' : '0';
        return new string(chars);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
