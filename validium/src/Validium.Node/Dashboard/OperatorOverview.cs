using Validium.Batcher;

namespace Validium.Node.Dashboard;

/// <summary>
/// Builds the <see cref="Overview"/> from the running node: books and trades from the exchange's published view,
/// the pipeline's live counters, batch summaries from the batch files with their proving times, and the last
/// committee and L1 polls. Reading it never touches the matching thread or the prover.
/// </summary>
public sealed class OperatorOverview : IAsyncDisposable
{
    private readonly OperatorDashboardOptions options;
    private readonly DashboardSources sources;
    private readonly TimeProvider time;
    private readonly BatchHistory history;
    private readonly CancellationTokenSource stop = new();
    private Task? polling;
    private int disposed;

    public OperatorOverview(OperatorDashboardOptions options, DashboardSources sources, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sources);
        if (options.Validate() is { } err) throw new ArgumentException($"dashboard options: {err}", nameof(options));
        this.options = options;
        this.sources = sources;
        this.time = time ?? TimeProvider.System;
        history = new BatchHistory(sources.BatchDirectory);
        ProvingTimes = new ProvingTimes(sources.Pipeline, () => history.Store, this.time);
        Committee = new CommitteeMonitor(options, this.time);
        L1 = new L1Monitor(options, this.time);
    }

    public ProvingTimes ProvingTimes { get; }

    public CommitteeMonitor Committee { get; }

    public L1Monitor L1 { get; }

    /// <summary>Polls the committee and L1 every <see cref="OperatorDashboardOptions.PollInterval"/> until disposed.</summary>
    public void StartPolling()
    {
        if (polling is not null) return;
        polling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(options.PollInterval, time);
            do
            {
                await PollOnceAsync(stop.Token).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        });
    }

    public Task PollOnceAsync(CancellationToken ct = default) => Task.WhenAll(Committee.PollAsync(ct), L1.PollAsync(ct));

    public Overview Build()
    {
        var exchange = sources.Exchange();
        var node = exchange is null ? new NodeSection(false, 0, null) : new NodeSection(true, exchange.LastApplied, exchange.Fault);
        var books = exchange is null ? [] : Books(exchange.View);
        return new Overview(time.GetUtcNow().ToUnixTimeMilliseconds(), node, books, Pipeline(), new CommitteeSection(Committee.Members),
            L1.Last with { PosterAlert = sources.L1Status?.Alert });
    }

    private List<InstrumentBook> Books(Exchange.ExchangeView view)
    {
        var list = new List<InstrumentBook>(view.Instruments.Length);
        foreach (var i in view.Instruments)
        {
            var depth = view.Books.FirstOrDefault(b => b.Instrument == i.Id);
            var trades = view.RecentTrades.Where(t => t.Instrument == i.Id).Reverse().Take(options.Trades)
                .Select(t => new TradeRow(t.Sequence, t.Time, t.TakerSide.ToString(), t.Price, t.Quantity, t.Taker, t.Maker)).ToList();
            list.Add(new InstrumentBook(i.Id, i.Spec.Kind.ToString(), i.MarkPrice, i.IndexPrice, i.BestBid, i.BestAsk,
                depth is null ? [] : [.. depth.Bids.Take(options.BookLevels).Select(l => new BookLevel(l.Price, l.Quantity, l.Orders))],
                depth is null ? [] : [.. depth.Asks.Take(options.BookLevels).Select(l => new BookLevel(l.Price, l.Quantity, l.Orders))],
                trades));
        }
        return list;
    }

    private PipelineSection Pipeline()
    {
        var p = sources.Pipeline();
        string? fault = p?.Completion is { IsFaulted: true } c ? c.Exception?.GetBaseException().Message : null;
        List<BatchRow> rows = [];
        string? error = ProvingTimes.LastError;
        try
        {
            long? head = L1.Head;
            foreach (var s in history.Latest(options.Batches))
            {
                var t = ProvingTimes.Get(s.Number);
                rows.Add(new BatchRow(s.Number, s.Status.ToString(), s.Reason.ToString(), s.Deposits, s.Trades, s.Withdrawals, s.Deposits + s.Trades + s.Withdrawals,
                    t?.Seconds, t?.At, L1Row(s.Number, head)));
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error = $"the batch files could not be read: {e.Message}";
        }
        return p is null
            ? new PipelineSection(false, 0, 0, null, 0, null, error, rows)
            : new PipelineSection(true, p.QueueDepth, p.Unproven, p.CurrentStage?.ToString(), p.BackPressureWaits, fault, error, rows);
    }

    private BatchL1Row? L1Row(ulong batch, long? head)
    {
        if (sources.L1Status?.Get(batch) is not { } info) return null;
        long? confirmations = info.Block is { } b && head is { } h ? Math.Max(0, h - b + 1) : null;
        return new BatchL1Row(info.Stage, info.Block, info.TransactionHash, confirmations, info.LastError, info.DataPath);
    }

    /// <summary>Stops polling; the host stops it and the container disposes it, so the second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await stop.CancelAsync().ConfigureAwait(false);
        if (polling is not null)
        {
            try
            {
                await polling.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping is how polling ends.
            }
        }
        ProvingTimes.Dispose();
        Committee.Dispose();
        L1.Dispose();
        stop.Dispose();
    }
}
