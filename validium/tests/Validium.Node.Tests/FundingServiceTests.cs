using Validium.Circuits;
using Validium.Exchange;
using Validium.Node.Exchange;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests;

/// <summary>Funding on the circuit's schedule: the node ticks right after a round that is a funding period past the last tick.</summary>
public class FundingServiceTests
{
    /// <summary>
    /// Rounds are a minute apart and the period is two minutes, so rounds 1 and 3 tick. Round 1's tick has no holders
    /// and no premium (rate 0). Between them 2 buys 15 lots from 1 at 50,000 and 1 quotes 50,100 / 50,300, so rounds 2
    /// and 3 sample a 4,000 ppm premium, clamped to 750: at round 3's 50,200 mark (50,200,000 per lot) the step is
    /// 37,650 per lot, and 2 pays 15 × 37,650 = 564,750 to 1.
    /// </summary>
    [Fact]
    public async Task Rounds_a_period_apart_tick_funding_that_starts_their_batch_and_is_proven()
    {
        await using var h = await Harness.StartAsync(fundingSlots: true);
        await h.OpenAsync();
        Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 50_000, 15));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 50_000, 15, OrderType.Ioc));
        Accepted(await h.PlaceSignedAsync(1, 2, Side.Buy, 50_100, 5));
        Accepted(await h.PlaceSignedAsync(1, 3, Side.Sell, 50_300, 5));
        Accepted(await h.Exchange.OracleRoundAsync(Round(2, 50_000)));
        var early = await h.Exchange.FundingAsync(0);
        Assert.Equal(AckCodes.NotProvable, early.Code);
        Assert.Contains("the next tick is due 120 s later", early.Message);
        long before = h.Exchange.View.Accounts[2].Summary.Collateral;
        Accepted(await h.Exchange.OracleRoundAsync(Round(3, 50_000)));
        Assert.Equal(-15 * 37_650, h.Exchange.View.Accounts[2].Summary.Collateral - before);
        await h.Exchange.WaitFedAsync(h.Exchange.LastApplied);
        await h.Pipeline.FlushAsync();

        // Batch 1: round 1's tick first, then the deposits and the trade (which fills the trade slot); batch 2: round 3's tick.
        var records = await h.ReleasedAsync(2);
        foreach (var r in records) AssertVerifies(r, fundingSlots: true);
        Assert.Equal((0, 0L), (Assert.Single(records[0].Funding.Ticks).Instrument, records[0].Funding.Ticks[0].RatePpm));
        Assert.Empty(records[0].Funding.Payments);
        Assert.Single(records[0].Trades);
        var tick = Assert.Single(records[1].Funding.Ticks);
        Assert.Equal((750L, 37_650L), (tick.RatePpm, tick.Index));
        Assert.Equal([1UL, 2UL], records[1].Funding.Payments.Select(p => p.Account).Order());
        Assert.Equal(BatchEncoding.FundingDataWord(0, 750, 50_200_000), records[1].DataWords[1]);
    }

    /// <summary>Three holders and two settlement slots: the due tick waits, visibly, and goes once a holder has left.</summary>
    [Fact]
    public async Task A_due_tick_with_more_holders_than_slots_waits_and_is_counted_until_they_fit()
    {
        await using var h = await Harness.StartAsync(fundingSlots: true);
        await h.OpenAsync();
        Accepted(await h.Exchange.DepositAsync(new L1Deposit(3, PublicKey(3), 100_000 * Usd, Address(3))));
        Accepted(await h.PlaceSignedAsync(1, 1, Side.Sell, 50_000, 15));
        Accepted(await h.PlaceSignedAsync(2, 1, Side.Buy, 50_000, 10, OrderType.Ioc));
        Accepted(await h.PlaceSignedAsync(3, 1, Side.Buy, 50_000, 5, OrderType.Ioc));
        Accepted(await h.Exchange.OracleRoundAsync(Round(2, 50_000)));
        Assert.Equal(0, h.Exchange.HeldFundingTicks);
        Accepted(await h.Exchange.OracleRoundAsync(Round(3, 50_000)));
        Assert.Equal(1, h.Exchange.HeldFundingTicks);
        var refused = await h.Exchange.FundingAsync(0);
        Assert.Contains("3 holders, more than the batch circuit's 2 funding settlement slots", refused.Message);

        // 3 sells its 5 lots to 1's bid: two holders are left, and the next round ticks.
        Accepted(await h.PlaceSignedAsync(1, 2, Side.Buy, 50_000, 5));
        Accepted(await h.PlaceSignedAsync(3, 2, Side.Sell, 50_000, 5, OrderType.Ioc));
        Accepted(await h.Exchange.OracleRoundAsync(Round(4, 50_000)));
        Assert.Equal(0, h.Exchange.HeldFundingTicks);
    }

    [Fact]
    public async Task An_operators_funding_command_is_refused_by_a_circuit_without_funding_slots()
    {
        await using var h = await Harness.StartAsync();
        await h.OpenAsync();
        var refused = await h.Exchange.FundingAsync(0);
        Assert.Equal(AckCodes.NotProvable, refused.Code);
        Assert.Contains("no funding slots", refused.Message);
    }
}
