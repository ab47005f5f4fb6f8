using Validium.Exchange;

namespace Validium.Demo.Tests;

public class MarketMakerTests
{
    // A BTC perpetual in raw units: $0.50 ticks, 0.001 BTC lots, a 10% band around the mark.
    private static readonly InstrumentSpec Btc = new()
    {
        Kind = InstrumentKind.Perpetual, TickSize = 500_000, LotSize = 100_000, QuantityDecimals = 8, MinQuantity = 100_000, MaxQuantity = 100_000_000,
        MaxPrice = 1_000_000L * 1_000_000, MaxPosition = 1_000_000_000, BandPpm = 100_000, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000,
    };

    private static readonly MarketMakerConfig Config = new() { HalfSpreadTicks = 4, QuoteLots = 5, RequoteTicks = 2, SkewTicksPerLot = 1, MaxInventoryLots = 20, HedgeTargetLots = 5 };

    [Fact]
    public void Flat_maker_quotes_symmetrically_on_the_tick_grid()
    {
        // $50,000.30 rounds to $50,000.50; four $0.50 ticks either side.
        var q = MarketMaker.QuoteAround(Btc, Config, 50_000_300_000, 0);
        Assert.Equal(49_998_500_000, q.BidPrice);
        Assert.Equal(50_002_500_000, q.AskPrice);
        Assert.Equal(500_000, q.BidQuantity);
        Assert.Equal(500_000, q.AskQuantity);
    }

    [Fact]
    public void Long_inventory_leans_quotes_down()
    {
        // Three lots long: centre $1.50 lower.
        var q = MarketMaker.QuoteAround(Btc, Config, 50_000_000_000, 300_000);
        Assert.Equal(49_996_500_000, q.BidPrice);
        Assert.Equal(50_000_500_000, q.AskPrice);
    }

    [Fact]
    public void At_the_inventory_limit_only_the_reducing_side_is_quoted()
    {
        var longFull = MarketMaker.QuoteAround(Btc, Config with { SkewTicksPerLot = 0 }, 50_000_000_000, 2_000_000);
        Assert.Equal(0, longFull.BidQuantity);
        Assert.Equal(500_000, longFull.AskQuantity);
        var shortNear = MarketMaker.QuoteAround(Btc, Config with { SkewTicksPerLot = 0 }, 50_000_000_000, -1_800_000);
        Assert.Equal(500_000, shortNear.BidQuantity);
        Assert.Equal(200_000, shortNear.AskQuantity);
    }

    [Fact]
    public void Quotes_stay_inside_the_price_band()
    {
        // A huge skew would push the bid below mark − 10% = $45,000; it is held at the band's edge.
        var q = MarketMaker.QuoteAround(Btc, Config with { SkewTicksPerLot = 2_000, MaxInventoryLots = 1_000 }, 50_000_000_000, 1_000_000);
        Assert.Equal(45_000_000_000, q.BidPrice);
        Assert.Equal(45_000_500_000, q.AskPrice);
    }

    [Fact]
    public void Requotes_only_after_the_mark_moves_enough()
    {
        var q = MarketMaker.QuoteAround(Btc, Config, 50_000_000_000, 0);
        Assert.False(MarketMaker.NeedsRequote(Btc, Config, q, 50_000_999_999));
        Assert.True(MarketMaker.NeedsRequote(Btc, Config, q, 50_001_000_000));
        Assert.True(MarketMaker.NeedsRequote(Btc, Config, q, 49_999_000_000));
    }

    [Fact]
    public void Hedges_back_to_target_only_past_the_limit()
    {
        Assert.Null(MarketMaker.HedgeFor(Btc, Config, 50_000_000_000, 2_000_000));
        var sell = MarketMaker.HedgeFor(Btc, Config, 50_000_000_000, 2_300_000);
        Assert.Equal(new Hedge(Side.Sell, 1_800_000, 45_000_000_000), sell);
        var buy = MarketMaker.HedgeFor(Btc, Config, 50_000_000_000, -2_100_000);
        Assert.Equal(new Hedge(Side.Buy, 1_600_000, 55_000_000_000), buy);
    }

    [Fact]
    public void Option_positions_count_in_the_perpetual_inventory_by_their_delta()
    {
        // 0.05 BTC of calls at delta 0.6 and 0.03 BTC of puts sold at delta −0.4: +0.03 + 0.012 = 0.042 BTC = 42 lots of 0.001 BTC,
        // plus 0.005 BTC of perpetual held: 47 lots, past the 20-lot limit, so the maker sells 42 lots of the perpetual.
        var call = Btc with { Kind = InstrumentKind.Call, Strike = 50_000_000_000, Expiry = 1, LotSize = 1_000_000 };
        var put = call with { Kind = InstrumentKind.Put };
        long delta = MarketMaker.DeltaInventory(Btc, 500_000, [(call, 5_000_000, 0.6), (put, -3_000_000, -0.4)]);
        Assert.Equal(4_700_000, delta);
        Assert.Equal(new Hedge(Side.Sell, 4_200_000, 45_000_000_000), MarketMaker.HedgeFor(Btc, Config, 50_000_000_000, delta));
        Assert.Equal(0, MarketMaker.DeltaInventory(Btc, -300_000, [(call, 1_000_000, 0.3)]));
        Assert.Throws<ArgumentException>(() => MarketMaker.DeltaInventory(Btc, 0, [(call with { Underlying = 1 }, 1_000_000, 0.5)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketMaker.DeltaInventory(Btc, 0, [(call, 1_000_000, 1.5)]));
    }

    [Fact]
    public void Rejects_a_bad_mark_and_reports_bad_configs()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketMaker.QuoteAround(Btc, Config, 0, 0));
        Assert.Null(Config.Validate());
        Assert.NotNull((Config with { HalfSpreadTicks = 0 }).Validate());
        Assert.NotNull((Config with { HedgeTargetLots = 20 }).Validate());
    }
}

public class TakerTests
{
    private static readonly InstrumentSpec Spec = new() { Kind = InstrumentKind.Perpetual, TickSize = 500_000, LotSize = 100_000, QuantityDecimals = 8 };

    [Fact]
    public void Same_seed_same_orders()
    {
        var books = new[] { (0, Spec, (long?)100, (long?)110), (1, Spec, (long?)200, (long?)210) };
        var a = new Taker(7, 0.5, 3);
        var b = new Taker(7, 0.5, 3);
        for (int i = 0; i < 200; i++) Assert.Equal(a.Decide(books), b.Decide(books));
    }

    [Fact]
    public void Crosses_at_the_opposite_best_within_the_size_limit_at_about_the_rate()
    {
        var books = new[] { (3, Spec, (long?)100, (long?)110) };
        var taker = new Taker(1, 0.3, 4);
        int sent = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (taker.Decide(books) is not { } o) continue;
            sent++;
            Assert.Equal(3, o.Instrument);
            Assert.Equal(o.Side == Side.Buy ? 110 : 100, o.Price);
            Assert.InRange(o.Quantity, 100_000, 400_000);
            Assert.Equal(0, o.Quantity % 100_000);
        }
        Assert.InRange(sent, 2_700, 3_300);
    }

    [Fact]
    public void With_options_listed_a_taker_alternates_between_perpetuals_and_options()
    {
        var call = Spec with { Kind = InstrumentKind.Call, Strike = 500_000, Expiry = 1 };
        var books = new[] { (0, Spec, (long?)100, (long?)110), (1, Spec, (long?)200, (long?)210), (2, call, (long?)10, (long?)12), (3, call, (long?)20, (long?)22) };
        foreach (bool optionsFirst in new[] { false, true })
        {
            var taker = new Taker(11, 1.0, 2, optionsFirst);
            var kinds = Enumerable.Range(0, 8).Select(_ => taker.Decide(books)!.Value.Instrument >= 2).ToArray();
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (i % 2 == 0) == optionsFirst), kinds);
        }
        // Only perpetuals quoted: an options-first taker takes them.
        Assert.Equal(0, new Taker(11, 1.0, 1, optionsFirst: true).Decide([books[0]])!.Value.Instrument);
    }

    [Fact]
    public void Never_takes_an_empty_side_and_never_trades_at_rate_zero()
    {
        var oneSided = new[] { (0, Spec, (long?)null, (long?)110) };
        var taker = new Taker(3, 1.0, 2);
        for (int i = 0; i < 500; i++)
            if (taker.Decide(oneSided) is { } o) Assert.Equal(Side.Buy, o.Side);
        var idle = new Taker(3, 0.0, 2);
        Assert.All(Enumerable.Range(0, 500), _ => Assert.Null(idle.Decide(oneSided)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Taker(1, 1.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Taker(1, 0.5, 0));
    }
}
