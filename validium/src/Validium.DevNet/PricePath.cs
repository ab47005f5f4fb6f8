using Validium.Exchange;

namespace Validium.DevNet;

/// <summary>
/// A reproducible random walk of index prices, one step per oracle round: round 1 is the initial prices, each later
/// round moves every perpetual's price by a uniform fraction in ±<see cref="StepPpm"/>, rounded to the instrument's tick
/// and kept within (0, MaxPrice]. The same seed gives the same path, so a restarted feeder continues it from the chain's
/// round. Options are not walked: their index is their underlying's (the first perpetual listed on it, as the node
/// takes it), their mark <see cref="OptionModel"/>'s at the round's time, and the round carries one spot slot per option
/// after the instruments' prices (CIRCUIT.md, "Options").
/// </summary>
public sealed class PricePath
{
    private readonly ulong seed;
    private readonly InstrumentSpec[] specs;
    private readonly int[] underlyingOf;
    private readonly List<long[]> rounds = [];
    private readonly Dictionary<int, long> indexAtExpiry = [];

    public PricePath(ulong seed, IReadOnlyList<InstrumentSpec> specs, IReadOnlyList<long> initial, int stepPpm = 2_000)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(initial);
        if (specs.Count == 0 || specs.Count != initial.Count) throw new ArgumentException($"{specs.Count} instruments but {initial.Count} initial prices");
        if (stepPpm is < 0 or > 100_000) throw new ArgumentOutOfRangeException(nameof(stepPpm), "the step is 0..100,000 ppm (10 %)");
        underlyingOf = new int[specs.Count];
        for (int i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            if (s.IsOption)
            {
                underlyingOf[i] = Enumerable.Range(0, specs.Count).FirstOrDefault(j => !specs[j].IsOption && specs[j].Underlying == s.Underlying, -1);
                if (underlyingOf[i] < 0) throw new ArgumentException($"instrument {i}: an option needs a perpetual on its underlying {s.Underlying} for its index");
                if (initial[i] != 0) throw new ArgumentException($"instrument {i}: an option's initial price must be 0 (its price comes from the option model), got {initial[i]}");
            }
            else
            {
                underlyingOf[i] = i;
                if (initial[i] <= 0 || initial[i] > s.MaxPrice || initial[i] % s.TickSize != 0)
                    throw new ArgumentException($"instrument {i}: initial price {initial[i]} must be a positive multiple of the tick {s.TickSize} up to {s.MaxPrice}");
            }
        }
        this.seed = seed;
        this.specs = [.. specs];
        StepPpm = stepPpm;
        rounds.Add([.. initial.Select((p, i) => specs[i].IsOption ? initial[underlyingOf[i]] : p)]);
    }

    /// <summary>Prices in an oracle round: the instruments' and one spot slot per option.</summary>
    public int PriceCount => specs.Length + specs.Count(s => s.IsOption);

    public int StepPpm { get; }

    /// <summary>Index prices (raw price units) at <paramref name="round"/> (1-based); an option's is its underlying's.</summary>
    public IReadOnlyList<long> IndexPrices(ulong round)
    {
        if (round == 0) throw new ArgumentOutOfRangeException(nameof(round), "rounds start at 1");
        if (round > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(round), "the path is walked in memory: at most 2^31 - 1 rounds");
        while ((ulong)rounds.Count < round) rounds.Add(Step(rounds[^1], (ulong)rounds.Count + 1));
        return rounds[(int)round - 1];
    }

    /// <summary>
    /// Prices as the oracle contract takes them for <paramref name="round"/> published at <paramref name="timestamp"/>
    /// (seconds): per lot, price ticks × cash per tick-lot (the circuit's unit), a perpetual's index and an option's
    /// model mark, then each option's spot slot (<see cref="OptionModel.SpotTicks"/>). The engine expires an option at the
    /// first round at or after its expiry and keeps that round's index for it; this path remembers it the first time it
    /// is asked for such a round, so one feeder publishes the node's figures through an expiry. A feeder started after an
    /// expiry does not know that round (the oracle keeps commitments only) and publishes the round's own index, which the
    /// node refuses by name.
    /// </summary>
    public IReadOnlyList<ulong> L1Prices(ulong round, ulong timestamp)
    {
        var index = IndexPrices(round);
        long nowMs = checked((long)timestamp * 1000);
        var prices = new ulong[PriceCount];
        int slot = specs.Length;
        for (int i = 0; i < specs.Length; i++)
        {
            var s = specs[i];
            if (!s.IsOption)
            {
                prices[i] = checked((ulong)(index[i] / s.TickSize * s.CashPerTickLot));
                continue;
            }
            long optionIndex = index[i];
            if (nowMs >= s.Expiry && !indexAtExpiry.TryAdd(i, optionIndex)) optionIndex = indexAtExpiry[i];
            prices[i] = checked((ulong)(OptionModel.Mark(s, optionIndex, nowMs) / s.TickSize * s.CashPerTickLot));
            prices[slot++] = (ulong)OptionModel.SpotTicks(s, optionIndex);
        }
        return prices;
    }

    private long[] Step(long[] previous, ulong round)
    {
        var next = new long[previous.Length];
        for (int i = 0; i < previous.Length; i++)
        {
            var s = specs[i];
            if (s.IsOption) continue;
            // A uniform draw in [-1, 1) from the seed, round and instrument alone.
            double u = (SplitMix(seed ^ (round * 0x9E3779B97F4A7C15UL) ^ ((ulong)i * 0xC2B2AE3D27D4EB4FUL)) >> 11) * (1.0 / (1UL << 53)) * 2 - 1;
            long ticks = (long)Math.Round(previous[i] * (1 + u * StepPpm / 1e6) / s.TickSize);
            next[i] = Math.Clamp(ticks, 1, s.MaxPrice / s.TickSize) * s.TickSize;
        }
        for (int i = 0; i < previous.Length; i++)
            if (specs[i].IsOption) next[i] = next[underlyingOf[i]];
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
