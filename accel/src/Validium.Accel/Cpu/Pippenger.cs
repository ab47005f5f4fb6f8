using System.Runtime.CompilerServices;
using Validium.Crypto;

namespace Validium.Accel.Cpu;

/// <summary>
/// Multi-scalar multiplication by Pippenger's bucket method with signed-digit windows, generic over the
/// group so G1 and G2 share it. Windows are independent, so threads take whole windows.
/// </summary>
public static class Pippenger
{
    /// <summary>Scalars are below r &lt; 2^254; windows must cover one bit more so the top carry fits.</summary>
    private const int ScalarBits = 255;

    /// <summary>
    /// Cost model for the wall-clock time: each window costs one bucket addition per point plus the running-sum
    /// reduction of its 2^(c-1) buckets (two additions each), and threads take whole windows, so the busiest
    /// thread runs ⌈windows/threads⌉ of them. Weighting the Jacobian reduction additions by their real cost
    /// picked smaller windows, whose small affine batches then paid more for their inversions (measured slower).
    /// </summary>
    public static int ChooseWindow(int n, int threads = 1)
    {
        int best = 1;
        double bestCost = double.MaxValue;
        for (int c = 1; c <= 22; c++)
        {
            int windows = (ScalarBits + c - 1) / c;
            int perThread = (windows + Math.Max(1, threads) - 1) / Math.Max(1, threads);
            double cost = perThread * (n + (1L << c));
            if (cost < bestCost) { bestCost = cost; best = c; }
        }
        return best;
    }

    /// <summary>Below this window size buckets are few and hot; queued affine additions would conflict too often.</summary>
    private const int MinAffineWindow = 8;

    public static unsafe TJ Msm<TJ, TA, TF>(ReadOnlySpan<TA> points, ReadOnlySpan<Fr> scalars, int maxThreads, CancellationToken ct, int window = 0)
        where TJ : unmanaged, IJacobianPoint<TJ, TA>
        where TA : unmanaged, IAffinePoint<TA>, IAffineCoordinates<TA, TF>
        where TF : unmanaged, IField<TF>
    {
        if (points.Length != scalars.Length)
            throw new ArgumentException($"MSM needs one scalar per point: {points.Length} points, {scalars.Length} scalars");
        int n = points.Length;
        int live = 0;
        for (int i = 0; i < n; i++)
            if (!scalars[i].IsZero && !points[i].IsInfinity) live++;
        if (live == 0) return TJ.Infinity;
        if (live < n) return MsmOfLive<TJ, TA, TF>(points, scalars, live, maxThreads, ct, window);
        int threads = Math.Max(1, maxThreads);
        int c = window > 0 ? window : ChooseWindow(n, threads);
        if (c is < 1 or > 24) throw new ArgumentOutOfRangeException(nameof(window), "window must be 1..24 bits");
        int windows = (ScalarBits + c - 1) / c;
        var digits = GC.AllocateUninitializedArray<int>(checked(n * windows)); // every entry is written by RecodeAll
        RecodeAll(scalars, c, windows, digits, maxThreads);
        ct.ThrowIfCancellationRequested();

        var partial = new TJ[windows];
        fixed (TA* pts = points)
        {
            nint ptr = (nint)pts;
            threads = Math.Min(threads, windows);
            if (threads == 1 || n < 64)
            {
                for (int w = 0; w < windows; w++) partial[w] = Window<TJ, TA, TF>((TA*)ptr, n, digits, windows, w, c, ct);
            }
            else
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = ct };
                Parallel.For(0, windows, options, w => partial[w] = Window<TJ, TA, TF>((TA*)ptr, n, digits, windows, w, c, ct));
            }
        }

        var acc = partial[windows - 1];
        for (int w = windows - 2; w >= 0; w--)
        {
            for (int i = 0; i < c; i++) acc = acc.Double();
            acc = acc.Add(partial[w]);
        }
        return acc;
    }

    /// <summary>
    /// Pairs with a zero scalar or an infinite point add nothing, yet would be recoded and would push the
    /// window choice up; a Groth16 key's B query is about a third infinity (wires absent from B).
    /// </summary>
    private static TJ MsmOfLive<TJ, TA, TF>(ReadOnlySpan<TA> points, ReadOnlySpan<Fr> scalars, int live, int maxThreads, CancellationToken ct, int window)
        where TJ : unmanaged, IJacobianPoint<TJ, TA>
        where TA : unmanaged, IAffinePoint<TA>, IAffineCoordinates<TA, TF>
        where TF : unmanaged, IField<TF>
    {
        var p = GC.AllocateUninitializedArray<TA>(live);
        var k = GC.AllocateUninitializedArray<Fr>(live);
        for (int i = 0, j = 0; i < points.Length; i++)
        {
            if (scalars[i].IsZero || points[i].IsInfinity) continue;
            p[j] = points[i];
            k[j++] = scalars[i];
        }
        return Msm<TJ, TA, TF>(p, k, maxThreads, ct, window);
    }

    /// <summary>
    /// Splits each scalar into signed c-bit digits in [-2^(c-1), 2^(c-1)): a digit at or above half the
    /// window borrows from the next window, so only 2^(c-1) buckets are needed. The top window never
    /// borrows; ScalarBits guarantees it stays at or below 2^(c-1).
    /// </summary>
    private static void RecodeAll(ReadOnlySpan<Fr> scalars, int c, int windows, int[] digits, int maxThreads)
    {
        int n = scalars.Length;
        var canonical = GC.AllocateUninitializedArray<Limbs4>(n);
        for (int i = 0; i < n; i++) canonical[i] = scalars[i].ToCanonical();
        int chunk = Math.Max(4096, n / Math.Max(1, maxThreads * 4));
        Parallel.For(0, (n + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxThreads) }, b =>
        {
            int end = Math.Min(n, (b + 1) * chunk);
            for (int i = b * chunk; i < end; i++) Recode(canonical[i], c, windows, n, i, digits);
        });
    }

    /// <summary>Digits are stored window-major (digits[w·n + i]) so each window's pass reads them sequentially.</summary>
    private static void Recode(in Limbs4 k, int c, int windows, int n, int i, int[] digits)
    {
        int half = 1 << (c - 1);
        int carry = 0;
        for (int w = 0; w < windows; w++)
        {
            int d = (int)ExtractBits(k, w * c, c) + carry;
            if (d >= half && w != windows - 1)
            {
                d -= 1 << c;
                carry = 1;
            }
            else carry = 0;
            digits[(long)w * n + i] = d;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ExtractBits(in Limbs4 k, int start, int count)
    {
        if (start >= 256) return 0;
        int limb = start >> 6, shift = start & 63;
        ulong v = k[limb] >> shift;
        if (shift + count > 64 && limb < 3) v |= k[limb + 1] << (64 - shift);
        return v & ((1UL << count) - 1);
    }

    private static unsafe TJ Window<TJ, TA, TF>(TA* points, int n, int[] digits, int windows, int w, int c, CancellationToken ct)
        where TJ : unmanaged, IJacobianPoint<TJ, TA>
        where TA : unmanaged, IAffinePoint<TA>, IAffineCoordinates<TA, TF>
        where TF : unmanaged, IField<TF>
    {
        int buckets = 1 << (c - 1);
        if (c >= MinAffineWindow)
        {
            var affine = new AffineBuckets<TJ, TA, TF>(buckets, Math.Clamp(buckets / 16, 64, 2048));
            for (int i = 0; i < n; i++)
            {
                if ((i & 0xffff) == 0) ct.ThrowIfCancellationRequested();
                int d = digits[(long)w * n + i];
                if (d == 0 || points[i].IsInfinity) continue;
                if (d > 0) affine.Add(d - 1, points[i]);
                else affine.Add(-d - 1, points[i].Negate());
            }
            return affine.Reduce();
        }
        var bucket = new TJ[buckets];
        bucket.AsSpan().Fill(TJ.Infinity);
        for (int i = 0; i < n; i++)
        {
            if ((i & 0xffff) == 0) ct.ThrowIfCancellationRequested();
            int d = digits[(long)w * n + i];
            if (d > 0) bucket[d - 1] = bucket[d - 1].AddMixed(points[i]);
            else if (d < 0) bucket[-d - 1] = bucket[-d - 1].AddMixed(points[i].Negate());
        }
        // Σ j·bucket[j-1] as a running sum from the top: each bucket is added as many times as its index.
        var running = TJ.Infinity;
        var sum = TJ.Infinity;
        for (int j = buckets - 1; j >= 0; j--)
        {
            running = running.Add(bucket[j]);
            sum = sum.Add(running);
        }
        return sum;
    }
}
