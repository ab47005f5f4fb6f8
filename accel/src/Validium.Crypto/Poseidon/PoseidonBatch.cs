using System.Runtime.InteropServices;
using V = Validium.Crypto.FieldVec8<Validium.Crypto.FrModulus>;

namespace Validium.Crypto;

public static partial class Poseidon
{
    /// <summary>
    /// outputs[i] = Hash(inputs[i·arity .. (i+1)·arity]) for every i: eight hashes run side by side through
    /// <see cref="FieldVec8{TP}"/>, each lane following the sparse-partial-round permutation of <see cref="Permute"/>.
    /// A final group of fewer than eight is padded with zero inputs whose hashes are discarded.
    /// </summary>
    public static void HashBatch(ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs)
    {
        if (arity is < 1 or > MaxInputs)
            throw new ArgumentOutOfRangeException(nameof(arity), $"Poseidon takes 1..{MaxInputs} inputs, got {arity}");
        if (inputs.Length != outputs.Length * arity)
            throw new ArgumentException($"{inputs.Length} inputs do not make {outputs.Length} hashes of {arity}", nameof(inputs));

        var consts = BatchConstants.Get(arity + 1);
        var src = MemoryMarshal.Cast<Fr, Limbs4>(inputs);
        var dst = MemoryMarshal.Cast<Fr, Limbs4>(outputs);
        int full = outputs.Length / V.Count * V.Count;
        for (int i = 0; i < full; i += V.Count)
            PermuteBatch(consts, src.Slice(i * arity, V.Count * arity), arity, dst.Slice(i, V.Count));

        int rest = outputs.Length - full;
        if (rest == 0) return;
        Span<Limbs4> padIn = stackalloc Limbs4[V.Count * arity];
        Span<Limbs4> padOut = stackalloc Limbs4[V.Count];
        padIn.Clear();
        src[(full * arity)..].CopyTo(padIn);
        PermuteBatch(consts, padIn, arity, padOut);
        padOut[..rest].CopyTo(dst[full..]);
    }

    /// <summary>Hashes the eight consecutive input groups of src into dst[0..8].</summary>
    private static void PermuteBatch(BatchConstants k, ReadOnlySpan<Limbs4> src, int arity, Span<Limbs4> dst)
    {
        int t = arity + 1;
        Span<V> state = stackalloc V[t];
        Span<V> scratch = stackalloc V[t];
        state[0] = default; // zero on both paths: every limb zero
        for (int j = 1; j < t; j++) state[j] = V.Gather(src, j - 1, arity);

        var c = k.C.AsSpan();
        var s = k.S.AsSpan();
        int halfFull = k.FullRounds / 2;

        for (int i = 0; i < t; i++) state[i] = V.Add(state[i], c[i]);
        int ci = t;
        for (int r = 0; r < halfFull - 1; r++)
        {
            SBoxAddConstants(state, c.Slice(ci, t));
            ci += t;
            Mix(state, k.M, scratch);
        }
        SBoxAddConstants(state, c.Slice(ci, t));
        ci += t;
        Mix(state, k.P, scratch);

        int stride = 2 * t - 1;
        for (int r = 0; r < k.PartialRounds; r++)
        {
            var row = s.Slice(r * stride, stride);
            var x0 = V.Add(Pow5(state[0]), c[ci++]);
            state[0] = x0;
            var acc = Dot(state, row, 0, 1);
            for (int j = 1; j < t; j++) state[j] = V.Add(state[j], V.Mul(x0, row[t + j - 1]));
            state[0] = acc;
        }

        for (int r = 0; r < halfFull - 1; r++)
        {
            SBoxAddConstants(state, c.Slice(ci, t));
            ci += t;
            Mix(state, k.M, scratch);
        }
        for (int i = 0; i < t; i++) state[i] = Pow5(state[i]);
        Mix(state, k.M, scratch);
        state[0].Store(dst);
    }

    private static V Pow5(in V x)
    {
        var x2 = V.Square(x);
        return V.Mul(V.Square(x2), x);
    }

    private static void SBoxAddConstants(Span<V> state, ReadOnlySpan<V.Scalar> constants)
    {
        for (int i = 0; i < state.Length; i++) state[i] = V.Add(Pow5(state[i]), constants[i]);
    }

    /// <summary>state'[i] = sum_j a[j * t + i] * state[j], as the scalar Mix.</summary>
    private static void Mix(Span<V> state, ReadOnlySpan<V.Scalar> a, Span<V> scratch)
    {
        int t = state.Length;
        for (int i = 0; i < t; i++) scratch[i] = Dot(state, a, i, t);
        scratch.CopyTo(state);
    }

    /// <summary>sum_j x[j] * c[start + j * stride], reduced once per <see cref="V.MaxWideTerms"/> terms.</summary>
    private static V Dot(ReadOnlySpan<V> x, ReadOnlySpan<V.Scalar> c, int start, int stride)
    {
        var sum = default(V);
        for (int j0 = 0; j0 < x.Length; j0 += V.MaxWideTerms)
        {
            var w = default(V.Wide);
            int end = Math.Min(x.Length, j0 + V.MaxWideTerms);
            for (int j = j0; j < end; j++) V.MulAdd(ref w, x[j], c[start + j * stride]);
            sum = j0 == 0 ? V.Reduce(w) : V.Add(sum, V.Reduce(w));
        }
        return sum;
    }

    /// <summary>A width's optimised constants, converted once to the broadcast form the 8-lane rounds read.</summary>
    private sealed class BatchConstants
    {
        private static readonly BatchConstants?[] Cache = new BatchConstants?[PoseidonParameters.MaxWidth + 1];

        public required V.Scalar[] C { get; init; }
        public required V.Scalar[] S { get; init; }
        public required V.Scalar[] M { get; init; }
        public required V.Scalar[] P { get; init; }
        public required int FullRounds { get; init; }
        public required int PartialRounds { get; init; }

        public static BatchConstants Get(int t)
        {
            var cached = Volatile.Read(ref Cache[t]);
            if (cached is not null) return cached;
            var prm = PoseidonParameters.Get(t);
            var opt = prm.Optimized;
            static V.Scalar[] Convert(IEnumerable<Fr> xs) => [.. xs.Select(x => new V.Scalar(x.MontgomeryLimbs))];
            var made = new BatchConstants
            {
                C = Convert(opt.C), S = Convert(opt.S), M = Convert(opt.M), P = Convert(opt.P),
                FullRounds = prm.FullRounds, PartialRounds = prm.PartialRounds,
            };
            // Racing threads build equal tables; whichever lands first is kept.
            return Interlocked.CompareExchange(ref Cache[t], made, null) ?? made;
        }
    }
}
