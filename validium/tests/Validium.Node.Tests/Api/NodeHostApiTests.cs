using System.Collections;
using Microsoft.Extensions.Logging;
using Validium.Node.Client;
using Validium.Node.Exchange;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests.Api;

public class NodeHostApiTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("validium-node-api-").FullName;

    [Fact]
    public async Task TheNodeServesTheTraderApiBesideHealthAndMetrics()
    {
        var options = NodeConfiguration.Load(null, new Dictionary<string, string?>
        {
            ["DataDir"] = dir, ["Accel:Mode"] = "cpu", ["Circuit:AccountDepth"] = "4", ["Circuit:FillDepth"] = "4", ["Circuit:Deposits"] = "1",
            ["Circuit:Trades"] = "0", ["Circuit:Withdrawals"] = "0", ["Circuit:Forced"] = "0", ["Exchange:MaxAccounts"] = "15",
            ["Batcher:MaxBatchAgeMs"] = "3600000",
        }, new Hashtable());
        await using var node = await NodeHost.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        using var http = new HttpClient { BaseAddress = Assert.Single(node.Urls) };
        Accepted(await node.Exchange.OracleRoundAsync(Round(1, 50_000)));
        var deposit = Accepted(await node.Exchange.DepositAsync(new L1Deposit(0, PublicKey(1), 10 * Usd, Address(1))));

        var trader = new TraderClient(http, deposit.Account!.Value, PrivateKey(1));
        await trader.SignInAsync();
        Assert.Equal(10 * Usd, (await trader.GetAccountAsync()).Collateral);
        Assert.Equal(Btc, Assert.Single(await trader.GetInstrumentsAsync()).Spec);
        // The deposit fills the circuit's one deposit slot: a batch is cut, proven and served.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        BatchPage page;
        while ((page = await trader.GetBatchesAsync(ct: cts.Token)).Batches is not [{ Status: "Proven" }]) await Task.Delay(100, cts.Token);
        Assert.NotNull((await trader.GetBatchAsync(1)).Proof);
        Assert.Contains("/v1/orders", await http.GetStringAsync("openapi/v1.json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(NodeHost.HealthPath)).StatusCode);
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
