using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Validium.Crypto;

/// <summary>
/// circomlib's Poseidon instance for one width t (t - 1 inputs plus one capacity element):
/// x^5 S-box, 8 full rounds, circomlib's partial-round counts, and round constants and MDS matrix
/// derived with the paper's Grain LFSR exactly as generate_parameters_grain.sage does
/// (field=1, sbox=0, n=254, t, R_F, R_P). Instances are built on first use and cached.
/// </summary>
public sealed class PoseidonParameters
{
    public const int MinWidth = 2;
    public const int MaxWidth = 17;
    private const int FieldBits = 254;
    private const int CircomFullRounds = 8;

    // Index t - 2; circomlib took these from the paper's round-number script, rounded up.
    private static readonly int[] CircomPartialRounds = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];

    // Indexed by t; an array rather than a dictionary because Permute looks this up on every call.
    private static readonly Lazy<PoseidonParameters>[] Cache =
        [.. Enumerable.Range(0, MaxWidth + 1).Select(t => new Lazy<PoseidonParameters>(() => Generate(t)))];

    public int Width { get; }
    public int FullRounds { get; }
    public int PartialRounds { get; }

    /// <summary>(FullRounds + PartialRounds) * Width constants; round r adds RoundConstants[r * Width + i] to element i.</summary>
    public ImmutableArray<Fr> RoundConstants { get; }

    /// <summary>Mds[i][j]: the linear layer computes state'[i] = sum_j Mds[i][j] * state[j].</summary>
    public ImmutableArray<ImmutableArray<Fr>> Mds { get; }

    /// <summary>The equivalent sparse-partial-round form the fast path runs (circomlibjs' poseidon_constants_opt).</summary>
    public PoseidonOptimizedConstants Optimized { get; }

    private PoseidonParameters(int width, Fr[] roundConstants, Fr[][] mds)
    {
        Width = width;
        FullRounds = CircomFullRounds;
        PartialRounds = CircomPartialRounds[width - 2];
        RoundConstants = ImmutableCollectionsMarshal.AsImmutableArray(roundConstants);
        Mds = [.. mds.Select(row => ImmutableCollectionsMarshal.AsImmutableArray(row))];
        Optimized = PoseidonOptimizedConstants.Derive(width, FullRounds, PartialRounds, roundConstants, mds);
    }

    public static PoseidonParameters Get(int width)
    {
        if (width is < MinWidth or > MaxWidth)
            throw new ArgumentOutOfRangeException(nameof(width), $"circomlib's Poseidon exists for widths {MinWidth}..{MaxWidth}");
        return Cache[width].Value;
    }

    private static PoseidonParameters Generate(int t)
    {
        int rp = CircomPartialRounds[t - 2];
        var grain = new Grain(field: 1, sbox: 0, FieldBits, t, CircomFullRounds, rp);
        var constants = new Fr[(CircomFullRounds + rp) * t];
        for (int i = 0; i < constants.Length; i++) constants[i] = grain.NextFieldElementRejecting(FieldBits);
        return new PoseidonParameters(t, constants, CauchyMds(grain, t));
    }

    /// <summary>
    /// The sage script's create_mds_p: 2t distinct draws x_0..x_{t-1}, y_0..y_{t-1} and M_ij = 1/(x_i + y_j),
    /// redrawn while any x_i + y_j is zero. The script then runs its secure-MDS algorithms and redraws on
    /// failure; circomlib's matrices are all the first candidate (the tests check every width against
    /// circomlibjs), so those checks are not repeated here.
    /// </summary>
    private static Fr[][] CauchyMds(Grain grain, int t)
    {
        while (true)
        {
            var draws = new Fr[2 * t];
            do
            {
                for (int i = 0; i < draws.Length; i++) draws[i] = grain.NextFieldElementReduced(FieldBits);
            }
            while (draws.Distinct().Count() != draws.Length);

            var m = new Fr[t][];
            bool ok = true;
            for (int i = 0; i < t && ok; i++)
            {
                m[i] = new Fr[t];
                for (int j = 0; j < t && ok; j++)
                {
                    var sum = draws[i] + draws[t + j];
                    ok = !sum.IsZero;
                    if (ok) m[i][j] = sum.Inverse();
                }
            }
            if (ok) return m;
        }
    }
}
