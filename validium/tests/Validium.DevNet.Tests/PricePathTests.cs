using Validium.Exchange;

namespace Validium.DevNet.Tests;

public sealed class PricePathTests
{
    private static readonly InstrumentSpec[] Specs = [.. DevNetOptions.DefaultInstruments.Select(i => i.Spec)];
    private static readonly long[] Initial = [.. DevNetOptions.DefaultInstruments.Select(i => i.InitialPrice)];

    [Fact]
    public void Round_one_is_the_initial_prices_and_L1_prices_are_ticks_times_cash_per_tick_lot()
    {
        var path = new PricePath(7, Specs, Initial);
        Assert.Equal(Initial, path.IndexPrices(1));
        // BTC-PERP: 50,000 USD = 100,000 ticks of 0.5 USD; a lot is 0.001 BTC, so one tick on one lot is 500 micro-USD.
        Assert.Equal(100_000UL * 500, path.L1Prices(1, 1_800_000_000)[0]);
        // ETH-PERP: 3,000 USD = 60,000 ticks of 0.05 USD; a lot is 0.01 ETH: 500 micro-USD a tick-lot.
        Assert.Equal(60_000UL * 500, path.L1Prices(1, 1_800_000_000)[1]);
    }

    [Fact]
    public void The_walk_is_reproducible_stays_on_ticks_and_moves_at_most_one_step_a_round()
    {
        var a = new PricePath(3, Specs, Initial, stepPpm: 5_000);
        var b = new PricePath(3, Specs, Initial, stepPpm: 5_000);
        var other = new PricePath(4, Specs, Initial, stepPpm: 5_000);
        // Asked in another order, the same seed still gives the same path.
        var late = b.IndexPrices(200).ToArray();
        Assert.Equal(late, a.IndexPrices(200));
        Assert.NotEqual(a.IndexPrices(200), other.IndexPrices(200));
        bool moved = false;
        for (ulong r = 2; r <= 200; r++)
        {
            for (int i = 0; i < Specs.Length; i++)
            {
                long prev = a.IndexPrices(r - 1)[i], now = a.IndexPrices(r)[i];
                Assert.Equal(0, now % Specs[i].TickSize);
                Assert.InRange(now, Specs[i].TickSize, Specs[i].MaxPrice);
                // One step of 0.5 %, plus half a tick of rounding.
                Assert.True(Math.Abs(now - prev) <= prev * 0.005 + Specs[i].TickSize, $"round {r}, instrument {i}: {prev} -> {now}");
                moved |= now != prev;
            }
        }
        Assert.True(moved);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_reason()
    {
        Assert.Contains("initial prices", Assert.Throws<ArgumentException>(() => new PricePath(1, Specs, [1])).Message);
        Assert.Contains("multiple of the tick", Assert.Throws<ArgumentException>(() => new PricePath(1, Specs, [Initial[0] + 1, Initial[1]])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PricePath(1, Specs, Initial).IndexPrices(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PricePath(1, Specs, Initial, stepPpm: -1));
    }
}
