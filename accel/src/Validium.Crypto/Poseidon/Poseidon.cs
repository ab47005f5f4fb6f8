using System.Runtime.CompilerServices;

namespace Validium.Crypto;

/// <summary>
/// Poseidon hash with circomlib's parameters; outputs equal circomlibjs' <c>poseidon(inputs)</c>.
/// The permutation runs the sparse-partial-round form (<see cref="PoseidonOptimizedConstants"/>) on a
/// stack buffer, so hashing allocates nothing once a width's parameters are cached.
/// </summary>
public static partial class Poseidon
{
    public const int MaxInputs = PoseidonParameters.MaxWidth - 1;

    /// <summary>circomlibjs <c>poseidon(inputs)</c>: state = [0, inputs...], permute, return state[0].</summary>
    public static Fr Hash(ReadOnlySpan<Fr> inputs)
    {
        if (inputs.Length is < 1 or > MaxInputs)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"Poseidon takes 1..{MaxInputs} inputs, got {inputs.Length}");
        Span<Fr> state = stackalloc Fr[inputs.Length + 1];
        state[0] = Fr.Zero;
        inputs.CopyTo(state[1..]);
        Permute(state);
        return state[0];
    }

    public static Fr Hash(Fr a, Fr b)
    {
        Span<Fr> state = [Fr.Zero, a, b];
        Permute(state);
        return state[0];
    }

    /// <summary>The Poseidon permutation of width t = state.Length (2..17), in place.</summary>
    public static void Permute(Span<Fr> state)
    {
        int t = state.Length;
        var prm = PoseidonParameters.Get(t);
        var opt = prm.Optimized;
        var c = opt.C.AsSpan();
        var s = opt.S.AsSpan();
        var m = opt.M.AsSpan();
        var p = opt.P.AsSpan();
        int halfFull = prm.FullRounds / 2;
        int rp = prm.PartialRounds;
        Span<Fr> scratch = stackalloc Fr[t];

        for (int i = 0; i < t; i++) state[i] += c[i];
        int ci = t;
        for (int r = 0; r < halfFull - 1; r++)
        {
            SBoxAddConstants(state, c.Slice(ci, t));
            ci += t;
            Mix(state, m, scratch);
        }
        SBoxAddConstants(state, c.Slice(ci, t));
        ci += t;
        Mix(state, p, scratch);

        int stride = 2 * t - 1;
        for (int r = 0; r < rp; r++)
        {
            var row = s.Slice(r * stride, stride);
            var x0 = Pow5(state[0]) + c[ci++];
            var acc = row[0] * x0;
            for (int j = 1; j < t; j++) acc += row[j] * state[j];
            for (int k = 1; k < t; k++) state[k] += x0 * row[t + k - 1];
            state[0] = acc;
        }

        for (int r = 0; r < halfFull - 1; r++)
        {
            SBoxAddConstants(state, c.Slice(ci, t));
            ci += t;
            Mix(state, m, scratch);
        }
        for (int i = 0; i < t; i++) state[i] = Pow5(state[i]);
        Mix(state, m, scratch);
    }

    /// <summary>
    /// The textbook permutation (add constants, S-box, multiply by the MDS matrix each round), as
    /// circomlibjs' poseidon_reference.js runs it: the oracle for the optimised path.
    /// </summary>
    internal static void PermuteReference(Span<Fr> state)
    {
        var prm = PoseidonParameters.Get(state.Length);
        int t = prm.Width;
        Span<Fr> tmp = stackalloc Fr[t];
        for (int r = 0; r < prm.FullRounds + prm.PartialRounds; r++)
        {
            for (int i = 0; i < t; i++) state[i] += prm.RoundConstants[r * t + i];
            bool full = r < prm.FullRounds / 2 || r >= prm.FullRounds / 2 + prm.PartialRounds;
            for (int i = 0; i < (full ? t : 1); i++) state[i] = Pow5(state[i]);
            for (int i = 0; i < t; i++)
            {
                var acc = Fr.Zero;
                for (int j = 0; j < t; j++) acc += prm.Mds[i][j] * state[j];
                tmp[i] = acc;
            }
            tmp.CopyTo(state);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fr Pow5(Fr x)
    {
        var x2 = x.Square();
        return x2.Square() * x;
    }

    private static void SBoxAddConstants(Span<Fr> state, ReadOnlySpan<Fr> constants)
    {
        for (int i = 0; i < state.Length; i++) state[i] = Pow5(state[i]) + constants[i];
    }

    /// <summary>state'[i] = sum_j a[j * t + i] * state[j].</summary>
    private static void Mix(Span<Fr> state, ReadOnlySpan<Fr> a, Span<Fr> scratch)
    {
        int t = state.Length;
        for (int i = 0; i < t; i++)
        {
            var acc = Fr.Zero;
            for (int j = 0; j < t; j++) acc += a[j * t + i] * state[j];
            scratch[i] = acc;
        }
        scratch.CopyTo(state);
    }
}
