using Validium.Exchange;

namespace Validium.DevNet;

/// <summary>
/// A reproducible random walk of index prices, one step per oracle round: round 1 is the initial prices, each later
/// round moves every price by a uniform fraction in ±<see cref="StepPpm"/>, rounded to the instrument's tick and kept
/// within (0, MaxPrice]. The same seed gives the same path, so a restarted feeder continues it from the chain's round.
/// </summary>
public sealed class PricePath
{
    private readonly ulong seed;
    private readonly InstrumentSpec[] specs;
    private readonly List<long[]> rounds = [];

    public PricePath(ulong seed, IReadOnlyList<InstrumentSpec> specs, IReadOnlyList<long> initial, int stepPpm = 2_000)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(initial);
        if (specs.Count == 0 || specs.Count != initial.Count) throw new ArgumentException($"{specs.Count} instruments but {initial.Count} initial prices");
        if (stepPpm is < 0 or > 100_000) throw new ArgumentOutOfRangeException(nameof(stepPpm), "the step is 0..100,000 ppm (10 %)");
        for (int i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            if (s.IsOption) throw new ArgumentException($"instrument {i}: the oracle feed prices perpetuals only");
            if (initial[i] <= 0 || initial[i] > s.MaxPrice || initial[i] % s.TickSize != 0)
                throw new ArgumentException($"instrument {i}: initial price {initial[i]} must be a positive multiple of the tick {s.TickSize} up to {s.MaxPrice}");
        }
        this.seed = seed;
        this.specs = [.. specs];
        StepPpm = stepPpm;
        rounds.Add([.. initial]);
    }

    public int StepPpm { get; }

    /// <summary>Index prices (raw price units) at <paramref name="round"/> (1-based).</summary>
    public IReadOnlyList<long> IndexPrices(ulong round)
    {
        if (round == 0) throw new ArgumentOutOfRangeException(nameof(round), "rounds start at 1");
        if (round > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(round), "the path is walked in memory: at most 2^31 - 1 rounds");
        while ((ulong)rounds.Count < round) rounds.Add(Step(rounds[^1], (ulong)rounds.Count + 1));
        return rounds[(int)round - 1];
    }

    /// <summary>Prices as the oracle contract takes them: per lot, price ticks × cash per tick-lot (the circuit's unit).</summary>
    public IReadOnlyList<ulong> L1Prices(ulong round)
    {
        var index = IndexPrices(round);
        return [.. index.Select((p, i) => checked((ulong)(p / specs[i].TickSize * specs[i].CashPerTickLot)))];
    }

    private long[] Step(long[] previous, ulong round)
    {
        var next = new long[previous.Length];
        for (int i = 0; i < previous.Length; i++)
        {
            var s = specs[i];
            // A uniform draw in [-1, 1) from the seed, round and instrument alone.
            double u = (SplitMix(seed ^ (round * 0x9E3779B97F4A7C15UL) ^ ((ulong)i * 0xC2B2AE3D27D4EB4FUL)) >> 11) * (1.0 / (1UL << 53)) * 2 - 1;
            long ticks = (long)Math.Round(previous[i] * (1 + u * StepPpm / 1e6) / s.TickSize);
            next[i] = Math.Clamp(ticks, 1, s.MaxPrice / s.TickSize) * s.TickSize;
        }
        return next;
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
