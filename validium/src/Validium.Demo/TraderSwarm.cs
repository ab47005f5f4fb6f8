namespace Validium.Demo;

/// <summary>Totals over every bot, for the progress display and the summary.</summary>
public readonly record struct SwarmTotals(long Sent, long Accepted, long Rejected);

/// <summary>
/// Runs every bot in its own loop (step, then wait <paramref name="interval"/>) until cancelled. A bot that fails
/// (the node unreachable, an answer the client cannot read) ends the run with that bot's account named, since a demo
/// that silently loses a trader reports numbers nobody can trust.
/// </summary>
public sealed class TraderSwarm(IReadOnlyList<MarketMakerBot> makers, IReadOnlyList<TakerBot> takers, TimeSpan interval, TimeProvider? time = null)
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    public SwarmTotals Totals()
    {
        var counters = makers.Select(m => m.Counters).Concat(takers.Select(t => t.Counters)).ToList();
        return new SwarmTotals(counters.Sum(c => c.Sent), counters.Sum(c => c.Accepted), counters.Sum(c => c.Rejected));
    }

    /// <summary>Hedge orders the market makers sent.</summary>
    public long Hedges() => makers.Sum(m => m.Hedges);

    /// <summary>Quotes the market makers moved with a signed amend.</summary>
    public long Amends() => makers.Sum(m => m.Amends);

    /// <summary>The latest refusal any bot saw, so a run that trades little can say why.</summary>
    public string? LastRejection() =>
        makers.Select(m => m.Counters.LastRejection).Concat(takers.Select(t => t.Counters.LastRejection)).LastOrDefault(r => r is not null);

    /// <summary>Completes when <paramref name="ct"/> is cancelled; throws if any bot failed.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        var loops = makers.Select(m => Loop($"market maker (account {m.Account})", m.StepAsync, ct))
            .Concat(takers.Select(t => Loop($"taker (account {t.Account})", t.StepAsync, ct)));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task Loop(string who, Func<long, CancellationToken, Task> step, CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await step(clock.GetUtcNow().ToUnixTimeMilliseconds(), ct).ConfigureAwait(false);
                await Task.Delay(interval, clock, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException($"{who} failed: {e.Message}", e);
            }
        }
    }
}
