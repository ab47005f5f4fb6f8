using System.Diagnostics;

namespace Validium.Node.Dashboard;

/// <summary>
/// Polls each committee member's <c>/health</c> with a short timeout, all members at once, and keeps the last
/// answer: up on a 2xx, down with the reason otherwise (refused, timed out, HTTP status).
/// </summary>
public sealed class CommitteeMonitor : IDisposable
{
    private readonly OperatorDashboardOptions options;
    private readonly TimeProvider time;
    private readonly HttpClient http;
    private readonly MemberHealth[] last;

    public CommitteeMonitor(OperatorDashboardOptions options, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        this.options = options;
        this.time = time ?? TimeProvider.System;
        http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = options.MemberTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        last = [.. options.CommitteeMembers.Select(m => new MemberHealth(m.ToString(), null, null, null, null, null))];
    }

    public IReadOnlyList<MemberHealth> Members
    {
        get
        {
            lock (last) return [.. last];
        }
    }

    public Task PollAsync(CancellationToken ct) => Task.WhenAll(options.CommitteeMembers.Select((m, i) => PollAsync(i, m, ct)));

    private async Task PollAsync(int index, Uri member, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        bool up = false;
        string? error = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.MemberTimeout);
        try
        {
            using var response = await http.GetAsync(new Uri(member, "health"), HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            up = response.IsSuccessStatusCode;
            if (!up) error = $"/health answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"no answer within {options.MemberTimeout.TotalMilliseconds:0} ms";
        }
        catch (HttpRequestException e)
        {
            error = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else goes wrong with one member is that member's state, not the end of polling.
            error = e.Message;
        }
        double latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (last)
        {
            var before = last[index];
            last[index] = new MemberHealth(before.Url, up, up ? latency : null, error ?? before.LastError, now, up ? now : before.LastUpAt);
        }
    }

    public void Dispose() => http.Dispose();
}
