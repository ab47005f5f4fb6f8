using System.Net.WebSockets;
using System.Text.Json;

namespace Validium.Node.Client;

/// <summary>
/// A /v1/stream connection: send subscribe/unsubscribe requests, read <see cref="StreamMessage"/>s. When the node
/// closes the connection, <see cref="ReadAsync"/> returns null and <see cref="CloseStatus"/>/<see cref="CloseReason"/> say why.
/// </summary>
public sealed class TraderStream(ClientWebSocket socket) : IAsyncDisposable
{
    private readonly byte[] buffer = new byte[64 * 1024];

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public string? CloseReason => socket.CloseStatusDescription;

    public Task SubscribeBookAsync(int instrument, CancellationToken ct = default) => SendAsync(new StreamRequest("subscribe", "book", instrument), ct);

    public Task SubscribeTradesAsync(CancellationToken ct = default) => SendAsync(new StreamRequest("subscribe", "trades"), ct);

    public Task SubscribeAccountAsync(CancellationToken ct = default) => SendAsync(new StreamRequest("subscribe", "account"), ct);

    public Task SendAsync(StreamRequest request, CancellationToken ct = default) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(request, TraderJson.Options), WebSocketMessageType.Text, true, ct);

    /// <summary>The next message, or null once the node closed the stream.</summary>
    public async Task<StreamMessage?> ReadAsync(CancellationToken ct = default)
    {
        int length = 0;
        while (true)
        {
            if (length == buffer.Length) throw new InvalidDataException($"a stream message over {buffer.Length} bytes");
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
                return null;
            }
            length += result.Count;
            if (result.EndOfMessage) return JsonSerializer.Deserialize<StreamMessage>(buffer.AsSpan(0, length), TraderJson.Options);
        }
    }

    /// <summary>The data of a book, trade or account message as its type.</summary>
    public static T Data<T>(StreamMessage message) =>
        message.Data is { } d ? d.Deserialize<T>(TraderJson.Options)! : throw new InvalidDataException($"a {message.Type} message without data");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Closing is a courtesy; the socket is disposed either way.
        }
        socket.Dispose();
    }
}
