using System.Diagnostics;
using Validium.Exchange;
using Validium.L1.Anvil;
using Validium.L1.Rpc;
using Validium.Node.Dashboard;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests.Dashboard;

public class OverviewTests
{
    private static OperatorOverview Overview(Harness h, OperatorDashboardOptions? options = null, IDashboardL1Status? l1 = null) =>
        new(options ?? new OperatorDashboardOptions(), new DashboardSources(() => h.Exchange, () => h.Pipeline, h.BatchDir, l1));

    [Fact]
    public async Task PlacedOrdersShowInTheBookAndAProvenBatchShowsWithItsProvingTime()
    {
        await using var h = await Harness.StartAsync();
        await using var overview = Overview(h, new OperatorDashboardOptions { BookLevels = 2 });
        Assert.Empty(overview.Build().Pipeline.Batches);

        await h.OpenAsync();
        Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 51_000, 5));
        Accepted(await h.PlaceSignedAsync(1, 2, Side.Sell, 52_000, 7));
        Accepted(await h.PlaceSignedAsync(1, 3, Side.Sell, 53_000, 9));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 49_000, 3));
        var o = overview.Build();
        Assert.True(o.Node.Started);
        Assert.Null(o.Node.Fault);
        var book = Assert.Single(o.Books);
        Assert.Equal("Perpetual", book.Kind);
        Assert.Equal([new BookLevel(49_000 * Usd, 3 * Btc.LotSize, 1)], book.Bids);
        // Two levels asked for: the third ask is left out.
        Assert.Equal([new BookLevel(51_000 * Usd, 5 * Btc.LotSize, 1), new BookLevel(52_000 * Usd, 7 * Btc.LotSize, 1)], book.Asks);
        Assert.Empty(book.Trades);

        var sw = Stopwatch.StartNew();
        Accepted(await h.PlaceSignedAsync(2, 2, Side.Buy, 51_000, 2, OrderType.Ioc));
        Assert.Single(await h.ReleasedAsync(1));
        var waited = sw.Elapsed.TotalSeconds;

        o = overview.Build();
        var trade = Assert.Single(Assert.Single(o.Books).Trades);
        Assert.Equal(("Buy", 51_000 * Usd, 2 * Btc.LotSize, 2, 1), (trade.TakerSide, trade.Price, trade.Quantity, trade.Taker, trade.Maker));
        Assert.Equal(new BookLevel(51_000 * Usd, 3 * Btc.LotSize, 1), Assert.Single(o.Books).Asks[0]);
        var batch = Assert.Single(o.Pipeline.Batches);
        Assert.Equal((1UL, "Proven", "Size", 3, 1, 0, 4), (batch.Number, batch.Status, batch.Reason, batch.Deposits, batch.Trades, batch.Withdrawals, batch.Operations));
        Assert.NotNull(batch.ProvingSeconds);
        Assert.InRange(batch.ProvingSeconds.Value, 1e-6, waited);
        Assert.True(o.Pipeline.Started);
        Assert.Equal(0, o.Pipeline.Unproven);
        Assert.Null(o.Pipeline.Error);
        Assert.Null(batch.L1);
    }

    [Fact]
    public async Task BatchesShowNewestFirstAndOnlyTheProofsThisNodeMadeHaveTimes()
    {
        await using var h = await Harness.StartAsync();
        await h.OpenAsync();
        Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 50_000, 15));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 50_000, 15, OrderType.Ioc));
        await h.ReleasedAsync(1);

        // A dashboard started after batch 1 was proven knows no time for it, and matches batch 2's proof to batch 2.
        await using var overview = Overview(h);
        // Each withdrawal fills the circuit's one withdrawal slot: batches 2 and 3, cut by size.
        Accepted(await h.Exchange.WithdrawAsync(Withdrawal(1, 1, 1_000, signer: 1)));
        Accepted(await h.Exchange.WithdrawAsync(Withdrawal(1, 2, 500, signer: 1)));
        await h.ReleasedAsync(2);

        var rows = overview.Build().Pipeline.Batches;
        Assert.Equal([3UL, 2UL, 1UL], rows.Select(r => r.Number));
        Assert.Equal([(0, 0, 1), (0, 0, 1), (3, 1, 0)], rows.Select(r => (r.Deposits, r.Trades, r.Withdrawals)));
        Assert.All(rows, r => Assert.Equal("Proven", r.Status));
        Assert.NotNull(rows[0].ProvingSeconds);
        Assert.NotNull(rows[1].ProvingSeconds);
        Assert.Null(rows[2].ProvingSeconds);
        Assert.Equal(2, overview.Build().Pipeline.Batches.Count(r => r.ProvingSeconds is not null));
    }

    [Fact]
    public async Task AMemberThatAnswersIsUpOneThatRefusesOrNeverAnswersIsDownWithTheReason()
    {
        var (healthy, healthyUrl) = await StubServers.HealthAsync();
        var (failing, failingUrl) = await StubServers.HealthAsync(503);
        var (silent, silentUrl) = StubServers.Silent();
        var refusing = StubServers.Refusing();
        try
        {
            await using var h = await Harness.StartAsync();
            await using var overview = Overview(h, new OperatorDashboardOptions
            {
                CommitteeMembers = [healthyUrl, refusing, silentUrl, failingUrl], MemberTimeout = TimeSpan.FromMilliseconds(300),
            });
            Assert.All(overview.Build().Committee.Members, m => Assert.Null(m.Up));

            var sw = Stopwatch.StartNew();
            await overview.PollOnceAsync();
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "members are polled with their timeout, not the HTTP client's default");
            var m = overview.Build().Committee.Members;
            Assert.Equal([healthyUrl.ToString(), refusing.ToString(), silentUrl.ToString(), failingUrl.ToString()], m.Select(x => x.Url));
            Assert.Equal([true, false, false, false], m.Select(x => x.Up));
            Assert.NotNull(m[0].LatencyMs);
            Assert.NotNull(m[0].LastUpAt);
            Assert.Null(m[0].LastError);
            Assert.Contains("refused", m[1].LastError, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("no answer within 300 ms", m[2].LastError);
            Assert.Equal("/health answered HTTP 503 Service Unavailable", m[3].LastError);
            Assert.All(m.Skip(1), x => Assert.Null(x.LastUpAt));

            // The healthy member goes away: down, keeping when it was last up.
            await healthy.StopAsync();
            await overview.PollOnceAsync();
            var gone = overview.Build().Committee.Members[0];
            Assert.False(gone.Up);
            Assert.Equal(m[0].LastUpAt, gone.LastUpAt);
            Assert.NotNull(gone.LastError);
        }
        finally
        {
            await healthy.DisposeAsync();
            await failing.DisposeAsync();
            silent.Stop();
        }
    }

    [Fact]
    public async Task AnUnreachableL1IsShownAsAnErrorNotAFailedOverview()
    {
        await using var h = await Harness.StartAsync();
        await using var overview = Overview(h, new OperatorDashboardOptions { L1Rpc = StubServers.Refusing(), MemberTimeout = TimeSpan.FromMilliseconds(300) });
        await overview.PollOnceAsync();
        var l1 = overview.Build().L1;
        Assert.True(l1.Configured);
        Assert.Null(l1.Head);
        Assert.NotNull(l1.Error);
        Assert.NotNull(l1.CheckedAt);
        Assert.False(new OperatorOverview(new OperatorDashboardOptions(), new DashboardSources(() => null, () => null, h.BatchDir)).Build().L1.Configured);
    }

    private sealed class PostedAt(long block) : IDashboardL1Status
    {
        public BatchL1Info? Get(ulong batch) => batch == 1 ? new BatchL1Info("Confirmed", block, "0xabc", null, "on-chain") : null;

        public string? Alert => "committee below threshold for batch 2 since 2026-11-24 19:50:00Z; on-chain data fallback disabled";
    }

    [SkippableFact]
    public async Task L1ShowsTheHeadTheContractsBatchNumberAndConfirmationsOfAPostedBatch()
    {
        Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);
        using var anvil = AnvilNode.Start();
        using var rpc = new JsonRpcClient(anvil.Url);
        // Code that answers every call with the word 7 stands where the Validium contract would: batchNumber() = 7.
        const string contract = "0x00000000000000000000000000000000000000a1";
        await rpc.CallAsync("anvil_setCode", [contract, "0x600760005260206000f3"]);
        await rpc.CallAsync("anvil_mine", ["0x9"]);

        await using var h = await Harness.StartAsync();
        await h.OpenAsync();
        Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 50_000, 15));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 50_000, 15, OrderType.Ioc));
        await h.ReleasedAsync(1);

        await using var overview = Overview(h, new OperatorDashboardOptions { L1Rpc = anvil.Url, ValidiumContract = contract }, new PostedAt(4));
        await overview.PollOnceAsync();
        var o = overview.Build();
        Assert.Null(o.L1.Error);
        Assert.Equal(9, o.L1.Head);
        Assert.Equal(7UL, o.L1.ContractBatch);
        var l1 = Assert.Single(o.Pipeline.Batches).L1;
        Assert.Equal(new BatchL1Row("Confirmed", 4, "0xabc", 6, null, "on-chain"), l1);
        Assert.Equal("committee below threshold for batch 2 since 2026-11-24 19:50:00Z; on-chain data fallback disabled", o.L1.PosterAlert);
    }
}
