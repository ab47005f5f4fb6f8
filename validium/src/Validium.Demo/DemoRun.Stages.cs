using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.DevNet;
using Validium.Exchange;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.Node;
using Validium.Node.Client;
using Validium.Node.Hosting;

namespace Validium.Demo;

public sealed partial class DemoRun
{
    private const long Usd = DevNetOptions.Usd;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    private async Task<int> FundAsync(DevNetwork net, EthClient eth, Contract validium, NodeHost node, HttpClient http, DemoTrader.Set traders, CancellationToken ct)
    {
        var m = net.Manifest;
        var nonceDir = Path.Combine(Dir, "l1-nonces");
        var faucet = await L1Funding.SenderAsync(nonceDir, eth, m.OpenKey(m.Traders.Faucet), ct).ConfigureAwait(false);
        var funding = new L1Funding(eth, m);
        foreach (var t in traders.All)
        {
            var sender = await L1Funding.SenderAsync(nonceDir, eth, t.L1Key, ct).ConfigureAwait(false);
            // The fee account only needs to exist (its leaf must be in the tree to take fees); traders get room to trade.
            ulong amount = (ulong)(t.Role == TraderRole.Fee ? 1 : 1_000_000) * Usd;
            await funding.FundAsync(faucet, sender, t.L2Public, amount, ct).ConfigureAwait(false);
            report.Line($"{t.Name}: {t.L1Key.Address} minted, approved and deposited {amount / Usd:N0} USD on L1");
        }
        var queued = (ulong)(BigInteger)(await validium.CallSingleAsync("opCount").ConfigureAwait(false))!;
        var l1 = node.Services.GetRequiredService<L1HostedService>();
        await Until(() => Task.FromResult(l1.Watcher is { } w && w.NextOperation >= queued), options.SettleTimeout,
            $"the exchange to take all {queued} L1 operations", () => $"the L1 watcher is at operation {l1.Watcher?.NextOperation}; {l1.Held ?? l1.Fault ?? "no fault reported"}", ct)
            .ConfigureAwait(false);
        foreach (var t in traders.All)
        {
            int? account = null;
            await Until(async () => (account = await TraderClient.FindAccountAsync(http, t.L2Public, ct).ConfigureAwait(false)) is not null, TimeSpan.FromSeconds(30),
                $"{t.Name}'s account (its deposit was taken from L1; see node.log if the exchange refused it)", ct: ct).ConfigureAwait(false);
            t.Account = account!.Value;
        }
        var fee = node.Services.GetRequiredService<ExchangeHostedService>().Store!.Config.FeeAccount;
        if ((ulong)traders.Fee.Account != fee)
            throw new InvalidOperationException($"the operator's key has account {traders.Fee.Account}, but the circuit pays fees to account {fee}");
        report.Line("accounts: " + string.Join(", ", traders.All.Select(t => $"{t.Name} #{t.Account}")));
        return traders.All.Count;
    }

    private async Task<TraderSwarm> TradeAsync(HttpClient http, DemoTrader.Set traders, NodeWatch watch, CancellationToken ct)
    {
        var makers = new List<MarketMakerBot>();
        var takers = new List<TakerBot>();
        // Trades are what batches prove: aim the takers at what the prover keeps up with (2 trades a batch; a quick
        // circuit proves in a second or two, the full one in several), or the batcher's back-pressure stalls intake.
        double tradesPerSecond = options.Quick ? 0.8 : 0.3;
        double rate = Math.Min(1, tradesPerSecond * Step.TotalSeconds / options.Takers);
        foreach (var t in traders.Trading)
        {
            var client = new TraderClient(http, t.Account, t.L2Private);
            await client.SignInAsync(ct).ConfigureAwait(false);
            long nonce = (await client.GetAccountAsync(ct).ConfigureAwait(false)).Nonce;
            if (t.Role == TraderRole.Maker) makers.Add(new MarketMakerBot(client, MakerConfig, nonce, log));
            else takers.Add(new TakerBot(client, new Taker(options.Seed * 1000 + t.Index, rate, maxLots: 3, optionsFirst: t.Index % 2 == 1), nonce, log));
        }
        foreach (var t in traders.Load)
        {
            var client = new TraderClient(http, t.Account, t.L2Private);
            await client.SignInAsync(ct).ConfigureAwait(false);
            loadBots.Add((new LoadBot(client, (await client.GetAccountAsync(ct).ConfigureAwait(false)).Nonce, log), client));
        }
        var swarm = new TraderSwarm(makers, takers, Step);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(options.Duration);
        double startMs = log.NowMs;
        var trading = Task.WhenAll([swarm.RunAsync(stop.Token), .. loadBots.Select(b => LoadLoop(b.Bot, b.Client, stop.Token))]);
        var sampling = SampleAsync(swarm, watch, trading, startMs);
        await report.WatchAsync(() => Progress(swarm, watch, startMs), trading).ConfigureAwait(false);
        await sampling.ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        tradingSeconds = (log.NowMs - startMs) / 1000;
        return swarm;
    }

    /// <summary>
    /// A tighter inventory limit than the default, so that a taker's option fill of a few lots (0.01 BTC each, delta
    /// about one half) takes the maker's delta past it and the hedge in the perpetual shows within a short run.
    /// </summary>
    private static readonly MarketMakerConfig MakerConfig = new() { MaxInventoryLots = 10, HedgeTargetLots = 2 };

    private double tradingSeconds;
    private readonly List<(LoadBot Bot, TraderClient Client)> loadBots = [];

    /// <summary>A load bot's loop: no pause, the first perpetual's mark re-read every hundred steps so the bid stays inside the band.</summary>
    private static async Task LoadLoop(LoadBot bot, TraderClient client, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            for (long step = 0; !ct.IsCancellationRequested; step++)
            {
                var instrument = (await client.GetInstrumentsAsync(ct).ConfigureAwait(false)).First(i => !i.Spec.IsOption && !i.Expired && i.MarkPrice > 0);
                for (int i = 0; i < 100 && !ct.IsCancellationRequested; i++)
                    await bot.StepAsync(instrument, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run's end.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"load trader (account {bot.Account}) failed: {e.Message}", e);
        }
    }

    /// <summary>Every bot's counters together: the swarm's and the load traders'.</summary>
    private SwarmTotals Totals(TraderSwarm swarm)
    {
        var t = swarm.Totals();
        return new SwarmTotals(t.Sent + loadBots.Sum(b => b.Bot.Counters.Sent), t.Accepted + loadBots.Sum(b => b.Bot.Counters.Accepted),
            t.Rejected + loadBots.Sum(b => b.Bot.Counters.Rejected));
    }

    /// <summary>One chart point a second: accepted orders per second and their median latency over that second.</summary>
    private async Task SampleAsync(TraderSwarm swarm, NodeWatch watch, Task trading, double startMs)
    {
        int seen = 0;
        double last = startMs;
        while (!trading.IsCompleted)
        {
            await Task.WhenAny(trading, Task.Delay(1000)).ConfigureAwait(false);
            var all = log.Snapshot();
            double now = log.NowMs;
            var window = all.Skip(seen).Where(e => e.Accepted).ToList();
            seen = all.Count;
            double seconds = (now - last) / 1000;
            // A last sliver of a second would turn a couple of answers into a rate spike.
            if (seconds < 0.5) continue;
            var median = OrderLog.Quantile([.. window.Select(e => e.LatencyMs)], 0.5);
            lock (samples) samples.Add(new ProgressSample((now - startMs) / 1000, window.Count / seconds, double.IsNaN(median) ? 0 : median));
            last = now;
        }
    }

    private DemoProgress Progress(TraderSwarm swarm, NodeWatch watch, double startMs)
    {
        var totals = Totals(swarm);
        ProgressSample? latest;
        lock (samples) latest = samples.Count == 0 ? null : samples[^1];
        var proven = watch.Proven();
        var proofs = watch.ProofSeconds;
        return new DemoProgress((log.NowMs - startMs) / 1000, totals.Sent, totals.Accepted, totals.Rejected, latest?.OrdersPerSecond ?? 0, latest?.LatencyMs ?? 0,
            proven.Sum(b => b.Trades.Length), watch.Cut().Count, proven.Count, watch.OnL1, proofs.Count == 0 ? null : proofs[^1]);
    }

    private async Task<IReadOnlyList<ulong>> SettleAsync(ExchangeHostedService exchange, NodeWatch watch, CancellationToken ct)
    {
        await exchange.Pipeline!.FlushAsync(ct).ConfigureAwait(false);
        var cut = watch.Cut();
        if (cut.Count == 0) throw new InvalidOperationException("the run cut no batch: no trade reached the batcher");
        await WaitOnL1Async(watch, cut[^1], ct).ConfigureAwait(false);
        report.Line($"batches {cut[0]}..{cut[^1]} confirmed on L1");
        return cut;
    }

    private Task WaitOnL1Async(NodeWatch watch, ulong batch, CancellationToken ct) =>
        Until(() => Task.FromResult(watch.LastConfirmed >= batch), options.SettleTimeout, $"batch {batch} to be confirmed on L1",
            () => $"the poster confirmed up to {watch.LastConfirmed}; batch {batch}: {Describe(watch.Status(batch))}", ct);

    private static string Describe(Settlement.BatchPostStatus? s) =>
        s is null ? "not taken by the poster yet (proving?)" : $"{s.Stage}, {s.Attempts} attempt(s){(s.LastError is null ? "" : ", last error: " + s.LastError)}";

    private async Task<WithdrawalFigures> WithdrawAsync(DevNetwork net, EthClient eth, Contract validium, ExchangeHostedService exchange, NodeWatch watch, HttpClient http,
        DemoTrader trader, CancellationToken ct)
    {
        var client = new TraderClient(http, trader.Account, trader.L2Private);
        await client.SignInAsync(ct).ConfigureAwait(false);
        var account = await client.GetAccountAsync(ct).ConfigureAwait(false);
        ulong amount = (ulong)(250 * Usd);
        var recipient = trader.L1Key.Address;
        var funding = new L1Funding(eth, net.Manifest);
        var claimableBefore = (BigInteger)(await validium.CallSingleAsync("claimable", recipient).ConfigureAwait(false))!;
        var result = await client.WithdrawAsync(account.WithdrawalNonce + 1, amount, new BigInteger(recipient.ToBytes(), isUnsigned: true, isBigEndian: true), ct).ConfigureAwait(false);
        if (!result.Accepted) throw new InvalidOperationException($"the node refused the withdrawal: {result.Code}: {result.Message}");
        report.Line($"{trader.Name} (account {trader.Account}) asked to withdraw {amount / (ulong)Usd} USD to {recipient}: journal sequence {result.Sequence}");
        await exchange.Pipeline!.FlushAsync(ct).ConfigureAwait(false);
        var batch = watch.Cut().LastOrDefault();
        await WaitOnL1Async(watch, batch, ct).ConfigureAwait(false);
        var claimable = (BigInteger)(await validium.CallSingleAsync("claimable", recipient).ConfigureAwait(false))!;
        if (claimable - claimableBefore != amount)
            throw new InvalidOperationException($"after batch {batch} the contract credits {recipient} with {claimable - claimableBefore}, not the {amount} withdrawn");
        var sender = await L1Funding.SenderAsync(Path.Combine(Dir, "l1-nonces"), eth, trader.L1Key, ct).ConfigureAwait(false);
        var before = await funding.TokenBalanceAsync(recipient).ConfigureAwait(false);
        var receipt = await validium.SendAsync(sender, "claimWithdrawal", [], ct: ct).ConfigureAwait(false);
        if (!receipt.Succeeded) throw new InvalidOperationException("claimWithdrawal reverted");
        var after = await funding.TokenBalanceAsync(recipient).ConfigureAwait(false);
        if (after - before != claimable)
            throw new InvalidOperationException($"claimWithdrawal moved {recipient}'s token balance by {after - before}, not the {claimable} it was owed");
        report.Line($"batch {batch} on L1 credited {amount / (ulong)Usd} USD; claimed: token balance {Text(before)} -> {Text(after)}");
        return new WithdrawalFigures(trader.Account, recipient.ToString(), amount, batch, Convert.ToHexString(receipt.TransactionHash), Text(before), Text(after));
    }

    private DemoSummary Summarize(TraderSwarm swarm, IReadOnlyList<ulong> settled, NodeWatch watch, Circuits.CircuitConfig circuit, WithdrawalFigures? withdrawal,
        IReadOnlyList<EscapeFigures>? escape, string chart)
    {
        var totals = Totals(swarm);
        var orders = log.Snapshot();
        var ackAt = orders.Where(o => o.Accepted).GroupBy(o => (o.Account, o.Nonce)).ToDictionary(g => g.Key, g => g.First().AtMs);
        var proofs = watch.ProofSeconds;
        var proven = watch.Proven().Where(b => b.Number <= settled[^1]).ToList();
        var batches = new List<BatchFigures>();
        var tradeToL1 = new List<double>();
        foreach (var b in proven)
        {
            var status = watch.Status(b.Number);
            int optionTrades = b.Trades.Count(t => circuit.Instruments[t.Taker.Order.Instrument].IsOption);
            int amendedTrades = b.Trades.Count(t => t.Maker.Order.Kind == CommandKind.Amend || t.Taker.Order.Kind == CommandKind.Amend);
            batches.Add(new BatchFigures(b.Number, b.Deposits.Length, b.Trades.Length, b.Withdrawals.Length, null, status?.AttestationMilliseconds, status?.GasUsed, status?.TransactionHash)
            {
                OptionTrades = optionTrades,
                AmendedTrades = amendedTrades,
            });
            if (watch.ConfirmedAt(b.Number) is not { } confirmed) continue;
            foreach (var t in b.Trades)
                if (ackAt.TryGetValue((t.Taker.Order.Account, t.Taker.Order.Nonce), out var acked)) tradeToL1.Add(confirmed - acked);
        }
        // Proof times come in proving order, which is batch order from the run's first batch.
        for (int i = 0; i < Math.Min(batches.Count, proofs.Count); i++)
            batches[i] = batches[i] with { ProofSeconds = proofs[i] };
        var trading = batches.Where(b => b.Trades > 0 && b.GasUsed is not null).ToList();
        int trades = batches.Sum(b => b.Trades);
        return new DemoSummary
        {
            Quick = options.Quick,
            Makers = options.Makers,
            Takers = options.Takers,
            LoadTraders = options.Load,
            TradingSeconds = tradingSeconds,
            OrdersSent = totals.Sent,
            OrdersAccepted = totals.Accepted,
            OrdersRejected = totals.Rejected,
            LastRejection = swarm.LastRejection() ?? loadBots.Select(b => b.Bot.Counters.LastRejection).LastOrDefault(r => r is not null),
            OrdersPerSecond = tradingSeconds > 0 ? totals.Accepted / tradingSeconds : 0,
            OrderLatencyMs = Percentiles.Of([.. orders.Select(o => o.LatencyMs)]),
            TradeToL1Ms = Percentiles.Of(tradeToL1),
            Trades = trades,
            Batches = batches,
            BatchesProven = proven.Count,
            BatchesOnL1 = batches.Count(b => b.Number <= watch.LastConfirmed),
            GasPerTrade = trading.Sum(b => b.Trades) is > 0 and var n ? trading.Sum(b => (double)b.GasUsed!.Value) / n : null,
            ProofSeconds = Percentiles.Of(proofs),
            AttestationMs = Percentiles.Of([.. batches.Where(b => b.AttestationMs is not null).Select(b => b.AttestationMs!.Value)]),
            OptionTrades = batches.Sum(b => b.OptionTrades),
            Hedges = swarm.Hedges(),
            Amends = swarm.Amends(),
            AmendedTrades = batches.Sum(b => b.AmendedTrades),
            Withdrawal = withdrawal,
            Escape = escape,
            Chart = chart,
            TotalSeconds = total.Elapsed.TotalSeconds,
        };
    }
}
