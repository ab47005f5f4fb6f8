using Validium.Crypto;

namespace Validium.Accel.Gpu.Tests;

/// <summary>
/// Stand-in Poseidon instances until the circomlib tables land: pseudo-random constants from a fixed seed per arity,
/// with circomlib's round counts, and a plain permutation written straight from the definition as the oracle.
/// </summary>
public static class TestPoseidon
{
    /// <summary>circomlib's partial-round counts for t = 2..17; 8 full rounds throughout.</summary>
    private static readonly int[] PartialRounds = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];

    private static readonly Dictionary<int, PoseidonKernelParameters> Cache = [];

    public static PoseidonKernelParameters Parameters(int arity)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(arity, out var p)) return p;
            int t = arity + 1;
            var rng = new Random(1000 + arity);
            int rp = PartialRounds[arity - 1];
            var constants = Enumerable.Range(0, (8 + rp) * t).Select(_ => Fr.Random(rng)).ToArray();
            var mds = Enumerable.Range(0, t * t).Select(_ => Fr.Random(rng)).ToArray();
            return Cache[arity] = new PoseidonKernelParameters(t, 8, rp, constants, mds);
        }
    }

    public static Fr Hash(PoseidonKernelParameters p, ReadOnlySpan<Fr> inputs)
    {
        int t = p.Width;
        var state = new Fr[t];
        inputs.CopyTo(state.AsSpan(1));
        int rounds = p.FullRounds + p.PartialRounds;
        for (int r = 0; r < rounds; r++)
        {
            bool full = r < p.FullRounds / 2 || r >= p.FullRounds / 2 + p.PartialRounds;
            for (int j = 0; j < t; j++)
            {
                state[j] += p.RoundConstants[r * t + j];
                if (full || j == 0) state[j] = state[j].Pow(5);
            }
            var next = new Fr[t];
            for (int i = 0; i < t; i++)
                for (int j = 0; j < t; j++)
                    next[i] += p.Mds[i * t + j] * state[j];
            state = next;
        }
        return state[0];
    }
}
