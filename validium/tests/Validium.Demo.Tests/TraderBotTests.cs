using Validium.Exchange;
using Validium.Node.Tests.Api;

namespace Validium.Demo.Tests;

/// <summary>The bots over the real trader API (Kestrel on loopback, a real exchange with BTC at 50,000 and accounts 1 and 2 funded).</summary>
public class TraderBotTests
{
    [Fact]
    public async Task Maker_quotes_once_per_mark_and_the_taker_trades_against_it()
    {
        await using var host = await ApiHost.StartAsync();
        var makerClient = await host.TraderAsync(1);
        var maker = new MarketMakerBot(makerClient, new MarketMakerConfig(), firstNonce: 0);
        var taker = new TakerBot(await host.TraderAsync(2), new Taker(seed: 5, rate: 1.0, maxLots: 2), firstNonce: 0);

        await maker.StepAsync(0);
        // Cancel-all plus one bid and one ask, all accepted.
        Assert.Equal(3, maker.Counters.Accepted);
        var orders = await makerClient.GetOpenOrdersAsync();
        Assert.Equal(2, orders.Count);
        var bid = Assert.Single(orders, o => o.Side == Side.Buy);
        var ask = Assert.Single(orders, o => o.Side == Side.Sell);
        Assert.Equal(49_998_000_000, bid.Price);
        Assert.Equal(50_002_000_000, ask.Price);

        // The mark did not move: nothing is re-sent.
        await maker.StepAsync(0);
        Assert.Equal(3, maker.Counters.Sent);

        for (int i = 0; i < 3; i++) await taker.StepAsync(0);
        Assert.Equal(3, taker.Counters.Sent);
        Assert.True(taker.Counters.Accepted == 3, taker.Counters.LastRejection);
        var trades = await makerClient.GetTradesAsync();
        Assert.NotEmpty(trades);
        Assert.All(trades, t => Assert.Equal(1, t.Maker));
        Assert.All(trades, t => Assert.Equal(2, t.Taker));
        Assert.All(trades, t => Assert.Contains(t.Price, new[] { bid.Price, ask.Price }));
    }
}

public class LoadBotTests
{
    [Fact]
    public async Task Each_step_places_a_resting_bid_at_the_band_bottom_and_cancels_it_timing_both()
    {
        await using var host = await ApiHost.StartAsync();
        var client = await host.TraderAsync(1);
        var log = new OrderLog();
        var bot = new LoadBot(client, firstNonce: 0, log);
        var btc = Assert.Single(await client.GetInstrumentsAsync());

        for (int i = 0; i < 3; i++) await bot.StepAsync(btc, 0);

        Assert.Equal((6L, 6L, 0L), (bot.Counters.Sent, bot.Counters.Accepted, bot.Counters.Rejected));
        Assert.Empty(await client.GetOpenOrdersAsync());
        Assert.Empty(await client.GetTradesAsync());
        var timings = log.Snapshot();
        // Nonces 1..6 in order: place, cancel-all, place, ...; every answer timed.
        Assert.Equal([1L, 2, 3, 4, 5, 6], timings.Select(t => t.Nonce));
        Assert.All(timings, t => Assert.True(t.Accepted && t.Account == 1 && t.LatencyMs > 0));
        // 10 % below a 50,000 mark, on the 0.5 USD tick: the engine's band edge, where nothing rests to trade with.
        Assert.Equal((45_000_000_000L, 55_000_000_000L), MarketMaker.Band(btc.Spec, btc.MarkPrice));
    }
}

public class TraderSwarmTests
{
    [Fact]
    public async Task Runs_every_bot_until_cancelled_and_totals_their_counters()
    {
        await using var host = await ApiHost.StartAsync();
        var maker = new MarketMakerBot(await host.TraderAsync(1), new MarketMakerConfig(), firstNonce: 0);
        var taker = new TakerBot(await host.TraderAsync(2), new Taker(seed: 9, rate: 1.0, maxLots: 1), firstNonce: 0);
        var swarm = new TraderSwarm([maker], [taker], TimeSpan.FromMilliseconds(20));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = swarm.RunAsync(cts.Token);
        while (taker.Counters.Accepted < 3 && !run.IsCompleted) await Task.Delay(20);
        await cts.CancelAsync();
        await run;

        var totals = swarm.Totals();
        Assert.Equal(maker.Counters.Sent + taker.Counters.Sent, totals.Sent);
        Assert.Equal(maker.Counters.Accepted + taker.Counters.Accepted, totals.Accepted);
        Assert.True(taker.Counters.Accepted >= 3, taker.Counters.LastRejection);
        Assert.NotEmpty(await host.Http.GetStringAsync("v1/trades"));
        Assert.Contains(await (await host.TraderAsync(2)).GetTradesAsync(), t => t.Taker == 2 && t.Maker == 1);
    }

    [Fact]
    public async Task A_failing_bot_ends_the_run_naming_its_account()
    {
        // Nothing listens on this address: the taker's first request fails.
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/") };
        var taker = new TakerBot(new Validium.Node.Client.TraderClient(http, 7, new byte[32]), new Taker(1, 1.0, 1), 0);
        var swarm = new TraderSwarm([], [taker], TimeSpan.FromMilliseconds(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => swarm.RunAsync(cts.Token));
        Assert.Contains("taker (account 7)", e.Message);
    }
}
