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
        // One bid and one ask, both accepted.
        Assert.Equal(2, maker.Counters.Accepted);
        var orders = await makerClient.GetOpenOrdersAsync();
        Assert.Equal(2, orders.Count);
        var bid = Assert.Single(orders, o => o.Side == Side.Buy);
        var ask = Assert.Single(orders, o => o.Side == Side.Sell);
        Assert.Equal(49_998_000_000, bid.Price);
        Assert.Equal(50_002_000_000, ask.Price);

        // The mark did not move: nothing is re-sent.
        await maker.StepAsync(0);
        Assert.Equal(2, maker.Counters.Sent);

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

public class MakerAmendTests
{
    [Fact]
    public async Task A_moved_mark_moves_the_resting_quotes_with_amends_and_a_filled_side_is_placed_anew()
    {
        await using var host = await ApiHost.StartAsync();
        var makerClient = await host.TraderAsync(1);
        var maker = new MarketMakerBot(makerClient, new MarketMakerConfig(), firstNonce: 0);
        await maker.StepAsync(0);
        var first = (await makerClient.GetOpenOrdersAsync()).ToDictionary(o => o.Side);

        // The mark is the index plus the book's premium (capped): far enough up that the new bid lies above the old ask,
        // which the maker must move first.
        Validium.Node.Tests.Harness.Accepted(await host.Harness.Exchange.OracleRoundAsync(Validium.Node.Tests.Harness.Round(2, 51_000)));
        long rise = Assert.Single(await makerClient.GetInstrumentsAsync()).MarkPrice - 50_000_000_000;
        Assert.True(rise > first[Side.Sell].Price - first[Side.Buy].Price, $"the mark rose by {rise} only");
        await maker.StepAsync(0);
        Assert.True(maker.Counters.Rejected == 0, maker.Counters.LastRejection);
        Assert.Equal(2, maker.Amends);
        var moved = (await makerClient.GetOpenOrdersAsync()).ToDictionary(o => o.Side);
        Assert.Equal(first[Side.Buy].ClientId, moved[Side.Buy].ClientId);
        Assert.Equal(first[Side.Sell].ClientId, moved[Side.Sell].ClientId);
        Assert.Equal(rise, moved[Side.Buy].Price - first[Side.Buy].Price);
        Assert.Equal(rise, moved[Side.Sell].Price - first[Side.Sell].Price);

        // The ask filled whole: the next move amends the bid and places a new ask.
        var taker = await host.TraderAsync(2);
        var ask = moved[Side.Sell];
        Assert.True((await taker.PlaceAsync(Command.Place(0, 2, 1, 0, Side.Buy, OrderType.Ioc, ask.Price, ask.Quantity, 1))).Accepted);
        Validium.Node.Tests.Harness.Accepted(await host.Harness.Exchange.OracleRoundAsync(Validium.Node.Tests.Harness.Round(3, 50_000)));
        await maker.StepAsync(0);
        Assert.True(maker.Counters.Rejected == 0, maker.Counters.LastRejection);
        Assert.Equal(3, maker.Amends);
        var now = (await makerClient.GetOpenOrdersAsync()).ToDictionary(o => o.Side);
        Assert.Equal(first[Side.Buy].ClientId, now[Side.Buy].ClientId);
        Assert.NotEqual(ask.ClientId, now[Side.Sell].ClientId);
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
