using Validium.Exchange;

namespace Validium.DevNet.Tests;

/// <summary>The option entries of a devnet round: the model's marks checked against hand-computed Bachelier values, the spot slots as the node checks them.</summary>
public sealed class OptionFeedTests
{
    private const long Usd = DevNetOptions.Usd;
    private const long Now = 1_800_000_000_000;
    private const long YearMs = 31_557_600_000;

    private static readonly InstrumentSpec Call = DevNetOptions.BtcOption(InstrumentKind.Call, 50_000 * Usd, Now + YearMs);
    private static readonly InstrumentSpec Put = Call with { Kind = InstrumentKind.Put };

    private static DevNetInstrument[] Listed(InstrumentSpec call, InstrumentSpec put) =>
        [.. DevNetOptions.DefaultInstruments, new("BTC-C", call, 0), new("BTC-P", put, 0)];

    private static PricePath Path(InstrumentSpec call, InstrumentSpec put, ulong seed = 1)
    {
        var listed = Listed(call, put);
        return new PricePath(seed, [.. listed.Select(i => i.Spec)], [.. listed.Select(i => i.InitialPrice)]);
    }

    [Fact]
    public void At_the_money_a_year_out_both_marks_are_sigma_over_root_two_pi_in_whole_ticks()
    {
        // σ = 50,000 × 50 % × √1 = 25,000 USD; at the money the value is σ·φ(0) = 25,000 / √(2π) = 9,973.56 USD: 1,995 ticks of 5 USD.
        Assert.Equal(9_975 * Usd, OptionModel.Mark(Call, 50_000 * Usd, Now));
        Assert.Equal(9_975 * Usd, OptionModel.Mark(Put, 50_000 * Usd, Now));
        Assert.Equal(0.5, OptionModel.Delta(Call, 50_000 * Usd, Now), 6);
        Assert.Equal(-0.5, OptionModel.Delta(Put, 50_000 * Usd, Now), 6);
    }

    [Fact]
    public void Marks_keep_put_call_parity_never_fall_below_intrinsic_and_stay_within_a_tick_and_the_maximum()
    {
        foreach (long index in new[] { 20_000 * Usd, 45_000 * Usd, 55_000 * Usd, 90_000 * Usd })
        {
            long call = OptionModel.Mark(Call, index, Now), put = OptionModel.Mark(Put, index, Now);
            // C − P = S − K exactly in the model; each mark is rounded by at most half a tick.
            Assert.InRange(call - put - (index - Call.Strike), -Call.TickSize, Call.TickSize);
            Assert.True(call >= Math.Max(0, index - Call.Strike) && put >= Math.Max(0, Call.Strike - index));
            Assert.Equal(1.0, OptionModel.Delta(Call, index, Now) - OptionModel.Delta(Put, index, Now), 9);
        }
        // Far out of the money and at expiry the value is 0, published as one tick; deep in, capped at the maximum price.
        Assert.Equal(Call.TickSize, OptionModel.Mark(Call, 40_000 * Usd, Call.Expiry));
        Assert.Equal(10_000 * Usd, OptionModel.Mark(Put, 40_000 * Usd, Call.Expiry));
        Assert.Equal(Call.MaxPrice, OptionModel.Mark(Call with { Strike = 5 * Usd }, 400_000 * Usd, Now));
        Assert.Equal((1.0, 0.0), (OptionModel.Delta(Call, 50_001 * Usd, Call.Expiry), OptionModel.Delta(Call, 49_999 * Usd, Call.Expiry)));
    }

    [Fact]
    public void A_round_carries_each_option_mark_per_lot_then_a_spot_slot_per_option()
    {
        var path = Path(Call, Put);
        Assert.Equal(6, path.PriceCount);
        var prices = path.L1Prices(1, Now / 1000);
        // BTC-PERP and ETH-PERP as before; the options' marks are ticks × cash per tick-lot (5 USD × 0.01 BTC = 50,000 micro-USD).
        Assert.Equal([100_000UL * 500, 60_000UL * 500, 1_995UL * 50_000, 1_995UL * 50_000, 10_000UL, 10_000UL], prices);
        // Later rounds: the options follow the BTC perpetual's walk, in their own 5 USD ticks.
        for (ulong r = 2; r <= 20; r++)
        {
            var p = path.L1Prices(r, Now / 1000 + r);
            long index = path.IndexPrices(r)[0];
            Assert.Equal((ulong)(index / (5 * Usd)), p[4]);
            Assert.Equal((ulong)(OptionModel.Mark(Call, index, (Now / 1000 + (long)r) * 1000) / (5 * Usd) * 50_000), p[2]);
            Assert.Equal(index, path.IndexPrices(r)[2]);
        }
    }

    [Fact]
    public void After_an_expiry_the_spot_slot_stays_at_the_round_that_expired_the_option()
    {
        long expiry = Now + 60_000;
        var path = Path(Call with { Expiry = expiry }, Put with { Expiry = expiry }, seed: 9);
        ulong t0 = Now / 1000;
        path.L1Prices(1, t0);
        var atExpiry = path.L1Prices(2, (ulong)expiry / 1000).ToArray();
        long expiredIndex = path.IndexPrices(2)[0];
        Assert.Equal((ulong)(expiredIndex / (5 * Usd)), atExpiry[4]);
        for (ulong r = 3; r <= 30; r++)
        {
            var p = path.L1Prices(r, (ulong)expiry / 1000 + r).ToArray();
            Assert.Equal([atExpiry[4], atExpiry[5]], p[4..]);
            Assert.Equal(atExpiry[2..4], p[2..4]);
        }
        Assert.NotEqual(expiredIndex, path.IndexPrices(30)[0]);
    }

    [Fact]
    public void Options_need_a_perpetual_underlying_and_no_initial_price()
    {
        var noPerp = Assert.Throws<ArgumentException>(() => new PricePath(1, [DevNetOptions.DefaultInstruments[1].Spec, Call], [3_000 * Usd, 0]));
        Assert.Contains("needs a perpetual on its underlying 0", noPerp.Message);
        var priced = Assert.Throws<ArgumentException>(() => new PricePath(1, [DevNetOptions.DefaultInstruments[0].Spec, Call], [50_000 * Usd, 10_000 * Usd]));
        Assert.Contains("initial price must be 0", priced.Message);
        Assert.Throws<ArgumentException>(() => OptionModel.Mark(DevNetOptions.DefaultInstruments[0].Spec, 1, Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptionModel.Delta(Call, 0, Now));
    }
}
