using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Node.Api;
using Validium.Node.Client;
using Validium.Node.Exchange;
using Validium.Proving.Groth16;

namespace Validium.Bench;

/// <summary>
/// Signed orders through the trader API over loopback HTTP/1.1: JSON parsing, API-key lookup, the rate limiter, the
/// signature check, the journal's group commit, apply and the answer (what node-exchange measures, plus the HTTP
/// layer). Orders are signed and serialised before timing; each of --clients tasks keeps one request in flight for
/// its own accounts. Reports answered orders/s and request latency percentiles; checks every order was accepted.
/// Usage: trader-api [--orders N] [--accounts A] [--clients C]
/// </summary>
internal static class TraderApiBench
{
    private const long Usd = 1_000_000;

    public static async Task<int> Run(string[] args)
    {
        int orders = Arg(args, "--orders", 4_000), accounts = Arg(args, "--accounts", 32), clients = Math.Min(Arg(args, "--clients", 32), Arg(args, "--accounts", 32));
        if (accounts is < 1 or > 254) throw new ArgumentException("--accounts 1..254 (a depth-8 account tree)");
        var spec = DemoExchange.BtcPerp;
        var config = new CircuitConfig
        {
            AccountDepth = 8, PositionsDepth = 1, FillDepth = 24, FeeAccount = 0, Shape = new BatchShape(1, 0, 0), Instruments = [InstrumentParams.FromSpec(spec)],
        };
        var dir = Directory.CreateTempSubdirectory("vld-trader-api-").FullName;
        try
        {
            var store = BatchStore.Initialize(Path.Combine(dir, "batches"), config, Setup.Run(new BatchCircuit(config).Compile().R1cs, devSeed: 1));
            await using var pipeline = BatchPipeline.Start(store, new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }),
                new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) });
            await using var exchange = await ExchangeService.StartAsync(new ExchangeServiceOptions
            {
                Directory = Path.Combine(dir, "sequencer"), Engine = new EngineConfig { MaxAccounts = 255, OrderCapacity = orders + 1024 },
            }, pipeline);
            Check(await exchange.ListInstrumentAsync(spec));
            Check(await exchange.OracleRoundAsync(new OracleRound(1, 1_700_000_000, [(ulong)(50_000 * Usd / spec.TickSize * spec.CashPerTickLot)])));
            var keys = Enumerable.Range(1, accounts).Select(a => SHA256.HashData(BitConverter.GetBytes(a))).ToArray();
            var ids = new int[accounts];
            for (int a = 0; a < accounts; a++)
                ids[a] = Check(await exchange.DepositAsync(new L1Deposit((ulong)a, EdDsaPoseidon.PrivateToPublic(keys[a]), 1_000_000_000 * Usd, a + 1))).Account!.Value;

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddSingleton(exchange);
            builder.Services.AddSingleton(store);
            builder.Services.AddTraderApi(new TraderApiOptions { PermitsPerSecond = 1_000_000, Burst = 1_000_000, AnonymousPermitsPerSecond = 1_000_000, AnonymousBurst = 1_000_000 });
            await using var app = builder.Build();
            app.MapTraderApi();
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = address };
            var apiKeys = new string[accounts];
            for (int a = 0; a < accounts; a++)
            {
                var client = new TraderClient(http, ids[a], keys[a]);
                await client.SignInAsync();
                apiKeys[a] = client.ApiKey!;
            }

            // Buys below the mark, one lot each, prices spread so the book has many levels.
            var bodies = new (int Account, byte[] Json)[orders];
            Parallel.For(0, orders, i =>
            {
                int a = i % accounts;
                long nonce = 1 + i / accounts;
                var c = Command.Place(0, ids[a], nonce, 0, Side.Buy, OrderType.Limit, 45_000 * Usd + i % 8000 * (Usd / 2), spec.LotSize, nonce);
                var request = new PlaceOrderRequest(c.Account, c.Nonce, c.Instrument, c.Side, c.Type, c.Price, c.Quantity, c.ClientId, c.ExpiresAt, c.ReduceOnly, c.Stp,
                    ApiAuth.Hex(OrderSigning.Sign(c, keys[a]).Pack()));
                bodies[i] = (a, JsonContent.Create(request, options: TraderJson.Options).ReadAsByteArrayAsync().GetAwaiter().GetResult());
            });

            var latencies = new long[orders];
            int refused = 0;
            var sw = Stopwatch.StartNew();
            // One client task owns each account's orders, so they arrive in nonce order.
            await Task.WhenAll(Enumerable.Range(0, clients).Select(s => Task.Run(async () =>
            {
                for (int i = s; i < orders; i += clients)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "v1/orders") { Content = new ByteArrayContent(bodies[i].Json) };
                    request.Content.Headers.ContentType = new("application/json");
                    request.Headers.Add(ApiAuth.KeyHeader, apiKeys[bodies[i].Account]);
                    long start = Stopwatch.GetTimestamp();
                    using var response = await http.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    latencies[i] = Stopwatch.GetTimestamp() - start;
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref refused);
                }
            })));
            var elapsed = sw.Elapsed;
            int resting = exchange.View.Accounts.Values.Sum(a => a.OpenOrders.Length);
            Array.Sort(latencies);
            double Us(double q) => latencies[(int)Math.Min(orders - 1, q * orders)] * 1e6 / Stopwatch.Frequency;
            Console.WriteLine($"{orders:N0} signed orders over HTTP, {accounts} accounts, {clients} clients, one request in flight each");
            Console.WriteLine($"answered orders/s    {orders / elapsed.TotalSeconds,10:N0}");
            Console.WriteLine($"latency p50          {Us(0.5),10:N0} us");
            Console.WriteLine($"latency p99          {Us(0.99),10:N0} us");
            Console.WriteLine($"latency p99.9        {Us(0.999),10:N0} us");
            Console.WriteLine($"refused {refused} (order-fill slot collisions), resting {resting:N0}");
            await app.StopAsync();
            if (resting + refused != orders) throw new InvalidOperationException($"{orders} orders sent, {resting} rest and {refused} were refused");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Ack Check(Ack ack) => ack.Accepted ? ack : throw new InvalidOperationException($"{ack.Code}: {ack.Message}");

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.TryParse(args[i + 1], out int n) && n > 0 ? n : throw new ArgumentException($"{name} needs a positive integer") : fallback;
    }
}
