using System.Net.Sockets;
using System.Net.WebSockets;
using Validium.Exchange;
using Validium.Node.Api;
using Validium.Node.Client;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests.Api;

public class StreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SubscribersGetTheBookItsChangesTheTradesAndTheirOwnFills()
    {
        await using var api = await ApiHost.StartAsync();
        var seller = await api.TraderAsync(1);
        var buyer = await api.TraderAsync(2);
        await using var stream = await buyer.ConnectStreamAsync();
        await stream.SubscribeBookAsync(0);
        await stream.SubscribeTradesAsync();
        await stream.SubscribeAccountAsync();
        Assert.Equal(("subscribed", "book"), Head(await NextAsync(stream)));
        var snapshot = TraderStream.Data<BookDto>(await NextAsync(stream));
        Assert.Empty(snapshot.Asks);
        Assert.Equal(("subscribed", "trades"), Head(await NextAsync(stream)));
        Assert.Equal(("subscribed", "account"), Head(await NextAsync(stream)));

        Assert.True((await seller.PlaceAsync(Order(1, 1, Side.Sell, 50_000, 15))).Accepted);
        var ask = TraderStream.Data<BookDto>(await NextOfAsync(stream, "book"));
        Assert.Equal([new LevelDto(50_000 * Usd, 15 * Btc.LotSize, 1)], ask.Asks);

        var take = await buyer.PlaceAsync(Order(2, 1, Side.Buy, 50_010, 10, OrderType.Ioc));
        var messages = new List<StreamMessage>();
        while (!messages.Any(m => m.Type == "account" && TraderStream.Data<AccountEventDto>(m).Fills.Count > 0) || !messages.Any(m => m.Type == "trade")
               || !messages.Any(m => m.Type == "book" && TraderStream.Data<BookDto>(m).Sequence == take.Sequence))
            messages.Add(await NextAsync(stream));
        var trade = TraderStream.Data<TradeDto>(messages.First(m => m.Type == "trade"));
        Assert.Equal((take.Sequence, 2, 1, 10 * Btc.LotSize), (trade.Sequence, trade.Taker, trade.Maker, trade.Quantity));
        var own = messages.Select(m => m.Type == "account" ? TraderStream.Data<AccountEventDto>(m) : null).First(e => e is { Fills.Count: > 0 })!;
        var fill = Assert.Single(own.Fills);
        Assert.Equal((take.Sequence, Side.Buy, false, 10 * Btc.LotSize), (fill.Sequence, fill.Side, fill.Maker, fill.Quantity));
        Assert.Equal(100_000 * Usd - 250_000, own.Account!.Collateral);
        var book = TraderStream.Data<BookDto>(messages.Last(m => m.Type == "book"));
        Assert.Equal([new LevelDto(50_000 * Usd, 5 * Btc.LotSize, 1)], book.Asks);

        // The seller's fill is not the buyer's to see: only the buyer's account channel is on this connection.
        Assert.DoesNotContain(messages, m => m.Type == "account" && TraderStream.Data<AccountEventDto>(m).Fills.Any(f => f.Maker));
    }

    [Fact]
    public async Task PrivateChannelsNeedAKeyAndBadRequestsAreAnsweredWithoutClosing()
    {
        await using var api = await ApiHost.StartAsync();
        var anonymous = new TraderClient(api.Http, 1, PrivateKey(1));
        await using var stream = await anonymous.ConnectStreamAsync();
        await stream.SubscribeAccountAsync();
        var refused = await NextAsync(stream);
        Assert.Equal("error", refused.Type);
        Assert.Contains(ApiAuth.KeyHeader, refused.Message);
        await stream.SendAsync(new StreamRequest("subscribe", "book", 9));
        Assert.Contains("no instrument 9", (await NextAsync(stream)).Message);
        await stream.SendAsync(new StreamRequest("dance", "trades"));
        Assert.Equal("error", (await NextAsync(stream)).Type);
        await stream.SendAsync(new StreamRequest("unsubscribe", "trades"));
        Assert.Contains("not subscribed", (await NextAsync(stream)).Message);
        await stream.SubscribeTradesAsync();
        Assert.Equal("subscribed", (await NextAsync(stream)).Type);

        var badKey = new ClientWebSocket();
        badKey.Options.SetRequestHeader(ApiAuth.KeyHeader, "nope");
        badKey.Options.CollectHttpResponseDetails = true;
        var uri = new Uri(new Uri(api.Address.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), "v1/stream");
        var e = await Assert.ThrowsAsync<WebSocketException>(() => badKey.ConnectAsync(uri, CancellationToken.None));
        Assert.Equal(401, (int)badKey.HttpStatusCode);
        badKey.Dispose();
        await TraderApiTests.AssertProblemAsync(await api.Http.GetAsync("v1/stream"), System.Net.HttpStatusCode.BadRequest);
        Assert.NotNull(e);
    }

    [Fact]
    public async Task AClientThatDoesNotReadIsClosedAsASlowConsumerAndTheNodeGoesOn()
    {
        await using var api = await ApiHost.StartAsync(new TraderApiOptions { StreamBuffer = 8 });
        var seller = await api.TraderAsync(1);
        var client = new TraderClient(api.Http, 2, PrivateKey(2));
        // A small receive window, so the node's socket fills after a few kilobytes and its queue backs up.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048, NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        await using var slow = await client.ConnectStreamAsync(invoker);
        // Subscribe and unsubscribe answer with three messages (subscribed, the book, unsubscribed); this client reads none.
        for (int i = 0; i < 3000; i++) await slow.SendAsync(new StreamRequest(i % 2 == 0 ? "subscribe" : "unsubscribe", "book", 0));
        using var cts = new CancellationTokenSource(Wait);
        while (await slow.ReadAsync(cts.Token) is not null)
        {
        }
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, slow.CloseStatus);
        Assert.Contains("slow consumer", slow.CloseReason);

        // The exchange never waited for it, and a new connection is served.
        Assert.True((await seller.PlaceAsync(Order(1, 1, Side.Sell, 50_000, 1))).Accepted);
        await using var fresh = await client.ConnectStreamAsync();
        await fresh.SubscribeTradesAsync();
        Assert.Equal("subscribed", (await NextAsync(fresh)).Type);
    }

    [Fact]
    public async Task AFeedTheExchangeDropsClosesTheConnectionWithTheExchangesReason()
    {
        await using var api = await ApiHost.StartAsync(subscriberCapacity: 1);
        var seller = await api.TraderAsync(1);
        var buyer = await api.TraderAsync(2);
        await using var stream = await buyer.ConnectStreamAsync();
        await stream.SubscribeTradesAsync();
        Assert.Equal("subscribed", (await NextAsync(stream)).Type);
        await api.Harness.StopAsync();
        using var cts = new CancellationTokenSource(Wait);
        while (await stream.ReadAsync(cts.Token) is not null)
        {
        }
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, stream.CloseStatus);
        Assert.Contains("the node stopped", stream.CloseReason);
        Assert.NotNull(seller);
    }

    private static (string, string?) Head(StreamMessage m) => (m.Type, m.Channel);

    private static async Task<StreamMessage> NextAsync(TraderStream stream)
    {
        using var cts = new CancellationTokenSource(Wait);
        return await stream.ReadAsync(cts.Token) ?? throw new InvalidOperationException($"the stream closed: {stream.CloseStatus} {stream.CloseReason}");
    }

    private static async Task<StreamMessage> NextOfAsync(TraderStream stream, string type)
    {
        while (true)
        {
            var m = await NextAsync(stream);
            if (m.Type == type) return m;
        }
    }
}
