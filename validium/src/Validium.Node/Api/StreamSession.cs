using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Validium.Node.Client;
using Validium.Node.Exchange;

namespace Validium.Node.Api;

/// <summary>
/// One /v1/stream connection. Every message to the client goes through one bounded queue drained by one sender;
/// a subscription's feed is moved into it without waiting, so a client that does not read fills its own queue and is
/// closed (1008, "slow consumer") while the engine and other clients go on. A feed the exchange itself drops (it fell
/// behind there) closes the connection with the exchange's reason.
/// </summary>
internal sealed class StreamSession
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
    private readonly WebSocket socket;
    private readonly ExchangeService exchange;
    private readonly TraderApiOptions options;
    private readonly int? account;
    private readonly Channel<byte[]> outgoing;
    private readonly Dictionary<string, (IDisposable Subscription, CancellationTokenSource Stop)> subscriptions = [];
    private readonly CancellationTokenSource lifetime = new();
    private readonly Lock closeGate = new();
    private WebSocketCloseStatus closeStatus = WebSocketCloseStatus.NormalClosure;
    private string closeReason = "closed";
    private readonly TaskCompletionSource closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool closing;

    private StreamSession(WebSocket socket, ExchangeService exchange, TraderApiOptions options, int? account)
    {
        this.socket = socket;
        this.exchange = exchange;
        this.options = options;
        this.account = account;
        outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.StreamBuffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public static async Task<IResult> RunAsync(HttpContext ctx, TraderApiOptions options)
    {
        if (!ctx.WebSockets.IsWebSocketRequest) return Problems.Invalid("connection", "this endpoint takes WebSocket requests only");
        if (TraderApi.Exchange(ctx, out var exchange) is { } down) return down;
        int? account = null;
        // A key is optional (public channels need none), but a key that is sent must be live.
        if (TraderApi.ApiKey(ctx) is not null)
        {
            if (TraderApi.Authenticate(ctx, out int id) is { } refused) return refused;
            account = id;
        }
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var session = new StreamSession(socket, exchange, options, account);
        await session.RunAsync(ctx.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }

    private async Task RunAsync(CancellationToken aborted)
    {
        using var onAbort = aborted.Register(() => Close(WebSocketCloseStatus.EndpointUnavailable, "the server is stopping"));
        var send = SendLoopAsync();
        var receive = ReceiveLoopAsync();
        await Task.WhenAny(send, receive, closeRequested.Task).ConfigureAwait(false);
        Close(WebSocketCloseStatus.NormalClosure, "closed");
        // The close frame goes out once the sender gets to it; a client that neither reads nor answers is cut off.
        var both = Task.WhenAll(send, receive);
        if (await Task.WhenAny(both, Task.Delay(CloseTimeout, CancellationToken.None)).ConfigureAwait(false) != both) socket.Abort();
        await both.ConfigureAwait(false);
        lifetime.Cancel();
        foreach (var (subscription, stop) in subscriptions.Values)
        {
            stop.Cancel();
            subscription.Dispose();
        }
    }

    /// <summary>Asks the sender to stop after what it is sending now and close with this status; the first reason wins.</summary>
    private void Close(WebSocketCloseStatus status, string reason)
    {
        lock (closeGate)
        {
            if (closing) return;
            closing = true;
            closeStatus = status;
            // A close frame's reason is at most 123 UTF-8 bytes.
            closeReason = reason.Length > 120 ? reason[..120] : reason;
        }
        outgoing.Writer.TryComplete();
        closeRequested.TrySetResult();
    }

    private void Enqueue(object message)
    {
        if (Volatile.Read(ref closing)) return;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, TraderJson.Options);
        if (!outgoing.Writer.TryWrite(bytes))
            Close(WebSocketCloseStatus.PolicyViolation, $"slow consumer: {options.StreamBuffer} messages waiting to be sent");
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (await outgoing.Reader.WaitToReadAsync(lifetime.Token).ConfigureAwait(false))
            {
                while (!Volatile.Read(ref closing) && outgoing.Reader.TryRead(out var message))
                    await socket.SendAsync(message, WebSocketMessageType.Text, true, lifetime.Token).ConfigureAwait(false);
                if (Volatile.Read(ref closing)) break;
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(closeStatus, closeReason, lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away; the receive side ends too.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[options.MaxStreamMessageBytes];
        try
        {
            // After our close frame (CloseSent) the client may still be sending; read until its close answers ours.
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Close(WebSocketCloseStatus.MessageTooBig, $"messages are at most {buffer.Length} bytes");
                        return;
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), lifetime.Token).ConfigureAwait(false);
                    length += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close) return;
                if (result.MessageType == WebSocketMessageType.Binary) Enqueue(Error(null, null, "messages are JSON text"));
                else Handle(buffer.AsSpan(0, length));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended under the read.
        }
    }

    private void Handle(ReadOnlySpan<byte> json)
    {
        StreamRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<StreamRequest>(json, TraderJson.Options);
        }
        catch (JsonException)
        {
            Enqueue(Error(null, null, "not a JSON stream request: {\"op\":\"subscribe|unsubscribe\",\"channel\":\"book|trades|account\",\"instrument\":N}"));
            return;
        }
        if (request is null || request.Op is null || request.Channel is null)
        {
            Enqueue(Error(null, null, "op and channel are required"));
            return;
        }
        string channel = request.Channel;
        string? name = channel switch
        {
            "book" when request.Instrument is { } i => $"book:{i}",
            "trades" => "trades",
            "account" => "account",
            _ => null,
        };
        if (name is null)
        {
            Enqueue(Error(channel, request.Instrument, channel == "book" ? "book needs an instrument" : $"no channel '{channel}' (book, trades, account)"));
            return;
        }
        switch (request.Op)
        {
            case "subscribe":
                Subscribe(name, channel, request.Instrument);
                break;
            case "unsubscribe":
                if (!subscriptions.Remove(name, out var s))
                {
                    Enqueue(Error(channel, request.Instrument, $"not subscribed to {name}"));
                    return;
                }
                s.Stop.Cancel();
                s.Subscription.Dispose();
                Enqueue(new StreamMessage("unsubscribed", channel, request.Instrument, null, null));
                break;
            default:
                Enqueue(Error(channel, request.Instrument, $"no op '{request.Op}' (subscribe, unsubscribe)"));
                break;
        }
    }

    private void Subscribe(string name, string channel, int? instrument)
    {
        if (subscriptions.ContainsKey(name))
        {
            Enqueue(Error(channel, instrument, $"already subscribed to {name}"));
            return;
        }
        if (subscriptions.Count >= options.MaxSubscriptions)
        {
            Enqueue(Error(channel, instrument, $"at most {options.MaxSubscriptions} subscriptions per connection"));
            return;
        }
        var view = exchange.View;
        var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
        switch (channel)
        {
            case "book":
                int i = instrument!.Value;
                if (i < 0 || i >= view.Books.Length)
                {
                    Enqueue(Error(channel, instrument, $"no instrument {i}"));
                    return;
                }
                var book = exchange.SubscribeBook(i);
                subscriptions[name] = (book, stop);
                Enqueue(new StreamMessage("subscribed", channel, instrument, null, null));
                // The current book first; updates already in the feed that are not newer than it are skipped.
                var snapshot = exchange.View.Books[i];
                Enqueue(Data("book", channel, i, Dto.Book(snapshot)));
                _ = Pump(book, stop.Token, b => b.Sequence > snapshot.Sequence ? Data("book", channel, i, Dto.Book(b)) : null);
                break;
            case "trades":
                var trades = exchange.SubscribeTrades();
                subscriptions[name] = (trades, stop);
                Enqueue(new StreamMessage("subscribed", channel, null, null, null));
                _ = Pump(trades, stop.Token, t => Data("trade", channel, t.Instrument, Dto.Trade(t)));
                break;
            default:
                if (account is not { } id)
                {
                    Enqueue(Error(channel, null, $"the account channel needs an API key in the {ApiAuth.KeyHeader} header of the connection"));
                    return;
                }
                var updates = exchange.SubscribeAccount(id);
                subscriptions[name] = (updates, stop);
                Enqueue(new StreamMessage("subscribed", channel, null, null, null));
                _ = Pump(updates, stop.Token, u => Data("account", channel, null, Dto.AccountEvent(u)));
                break;
        }
    }

    private async Task Pump<T>(Subscription<T> subscription, CancellationToken ct, Func<T, StreamMessage?> message)
    {
        try
        {
            await foreach (var item in subscription.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                if (message(item) is { } m) Enqueue(m);
        }
        catch (SubscriptionDroppedException e)
        {
            Close(WebSocketCloseStatus.PolicyViolation, e.Message);
        }
        catch (OperationCanceledException)
        {
            // Unsubscribed or the connection ended.
        }
    }

    private static StreamMessage Data<T>(string type, string channel, int? instrument, T data) =>
        new(type, channel, instrument, JsonSerializer.SerializeToElement(data, TraderJson.Options), null);

    private static StreamMessage Error(string? channel, int? instrument, string message) => new("error", channel, instrument, null, message);
}
