using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Validium.L1.Tests;

/// <summary>
/// A TCP proxy in front of a node, under the test's control, to make transport failures happen on cue:
/// reset every new connection, answer HTTP 503, swallow requests (time out), or forward a request but cut the
/// connection before its response (the node acted, the client never heard).
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int upstreamPort;
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> open = [];
    private int resets, unavailable, dropResponses;
    private string? dropMatch;
    private int matched;
    private int requests;

    public FaultProxy(int upstreamPort)
    {
        this.upstreamPort = upstreamPort;
        listener.Start();
        _ = AcceptLoop();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    /// <summary>The next <paramref name="count"/> requests have their connection reset instead of an answer.</summary>
    public void ResetNext(int count) => Interlocked.Exchange(ref resets, count);

    /// <summary>The next <paramref name="count"/> requests get "HTTP 503 Service Unavailable".</summary>
    public void Answer503Next(int count) => Interlocked.Exchange(ref unavailable, count);

    /// <summary>Every connection is read but never answered.</summary>
    public bool Blackhole { get; set; }

    /// <summary>The next request containing <paramref name="text"/> reaches the node, but its connection is cut before the response.</summary>
    public void DropResponseOnce(string text)
    {
        dropMatch = text;
        Interlocked.Exchange(ref dropResponses, 1);
    }

    /// <summary>Requests containing the DropResponseOnce text that passed through (dropped or not).</summary>
    public int Matched => Volatile.Read(ref matched);

    public int Connections { get; private set; }

    /// <summary>JSON-RPC bodies forwarded to the node (a body split across reads may count twice; tests use small ones).</summary>
    public int Requests => Volatile.Read(ref requests);

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        lock (open)
            foreach (var c in open) c.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            Connections++;
            lock (open) open.Add(client);
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        try
        {
            var downstream = client.GetStream();
            if (Blackhole)
            {
                var buf = new byte[65536];
                while (await downstream.ReadAsync(buf, stop.Token) > 0) { }
                return;
            }
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort, stop.Token);
            var up = upstream.GetStream();
            var request = new StringBuilder();
            var toUpstream = Pump(downstream, up, chunk =>
            {
                if (TakeOne(ref resets))
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Close();
                    return false;
                }
                if (TakeOne(ref unavailable))
                {
                    downstream.Write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8);
                    return false;
                }
                var text = Encoding.ASCII.GetString(chunk);
                if (text.Contains("\"jsonrpc\"", StringComparison.Ordinal)) Interlocked.Increment(ref requests);
                lock (request) request.Append(text);
                return true;
            });
            var toClient = Pump(up, downstream, _ =>
            {
                string seen;
                lock (request)
                {
                    seen = request.ToString();
                    request.Clear();
                }
                if (dropMatch is { } m && seen.Contains(m, StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref matched);
                    if (TakeOne(ref dropResponses)) return false;
                }
                return true;
            });
            await Task.WhenAny(toUpstream, toClient);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The test's fault or the test's end: either way this connection is over.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Copies until EOF; <paramref name="allow"/> sees each chunk first and returning false cuts the connection.</summary>
    private async Task Pump(NetworkStream from, NetworkStream to, Func<byte[], bool> allow)
    {
        var buf = new byte[65536];
        int n;
        while ((n = await from.ReadAsync(buf, stop.Token)) > 0)
        {
            if (!allow(buf[..n])) return;
            await to.WriteAsync(buf.AsMemory(0, n), stop.Token);
        }
    }

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            int v = Volatile.Read(ref counter);
            if (v <= 0) return false;
            if (Interlocked.CompareExchange(ref counter, v - 1, v) == v) return true;
        }
    }
}
