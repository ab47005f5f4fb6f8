using Validium.Crypto;

namespace Validium.Accel.Cpu;

/// <summary>
/// Multi-scalar multiplication by Pippenger's bucket method with signed-digit windows, generic over the
/// group so G1 and G2 share it. Every scalar is first split by the GLV endomorphism (k·P = k1·P + k2·φ(P) with
/// |k1|, |k2| &lt; 2^127), so the windows cover 128 bits over twice the points: the same bucket additions per
/// window and half the windows, hence half the bucket reductions. Windows are independent, so threads take
/// whole windows.
/// </summary>
public static class Pippenger
{
    /// <summary>The halves are below 2^127; windows must cover one bit more so the top carry fits.</summary>
    private const int ScalarBits = Glv.HalfBits + 1;

    /// <summary>
    /// Cost model for the wall-clock time of an MSM of n pairs (2n points after the split): each window costs one
    /// bucket addition per point plus the running-sum reduction of its 2^(c-1) buckets (two additions each), and
    /// threads take whole windows, so the busiest thread runs ⌈windows/threads⌉ of them. Weighting the Jacobian
    /// reduction additions by their real cost picked smaller windows, whose small affine batches then paid more
    /// for their inversions (measured slower).
    /// </summary>
    public static int ChooseWindow(int n, int threads = 1)
    {
        int best = 1;
        double bestCost = double.MaxValue;
        for (int c = 1; c <= 22; c++)
        {
            int windows = (ScalarBits + c - 1) / c;
            int perThread = (windows + Math.Max(1, threads) - 1) / Math.Max(1, threads);
            double cost = perThread * (2.0 * n + (1L << c));
            if (cost < bestCost) { bestCost = cost; best = c; }
        }
        return best;
    }

    /// <summary>Below this window size buckets are few and hot; queued affine additions would conflict too often.</summary>
    private const int MinAffineWindow = 8;

    /// <summary>
    /// Queued additions per shared inversion. A quarter of the buckets, but at most 1024 (or a sixteenth of the
    /// buckets for the 2^15-2^16-bucket windows of 2^18-point MSMs, as tuned there): at 2^16 points (4096 buckets) a
    /// batch of 1024 spent ~3 % less CPU on the whole proof than 256, the inversion being shared by four times as many
    /// additions while about an eighth of the points now wait a batch for their bucket; 2048 gained nothing more.
    /// </summary>
    private static int BatchSize(int buckets) => Math.Clamp(buckets / 4, 64, Math.Max(1024, buckets / 16));

    public static unsafe TJ Msm<TJ, TA, TF>(ReadOnlySpan<TA> points, ReadOnlySpan<Fr> scalars, int maxThreads, CancellationToken ct, int window = 0)
        where TJ : unmanaged, IJacobianPoint<TJ, TA>
        where TA : unmanaged, IAffinePoint<TA>, IAffineCoordinates<TA, TF>, IGlvEndomorphism<TA>
        where TF : unmanaged, IField<TF>
    {
        if (points.Length != scalars.Length)
            throw new ArgumentException($"MSM needs one scalar per point: {points.Length} points, {scalars.Length} scalars");
        if (window is < 0 or > 24) throw new ArgumentOutOfRangeException(nameof(window), "window must be 1..24 bits");
        int threads = Math.Max(1, maxThreads);
        var (split, halves) = Split(points, scalars, threads);
        if (split.Length == 0) return TJ.Infinity;
        ct.ThrowIfCancellationRequested();
        int n = split.Length;
        int c = window > 0 ? window : ChooseWindow(n / 2, threads);
        int windows = (ScalarBits + c - 1) / c;
        var digits = GC.AllocateUninitializedArray<int>(checked(n * windows)); // every entry is written by RecodeAll
        RecodeAll(halves, c, windows, digits, threads);
        ct.ThrowIfCancellationRequested();

        var partial = new TJ[windows];
        fixed (TA* pts = split)
        {
            nint ptr = (nint)pts;
            threads = n < 64 ? 1 : Math.Min(threads, windows);
            // Each thread takes windows one at a time and keeps one set of buckets for all of them: fresh ones per
            // window cost their allocation, zeroing and first-touch page faults every time (~0.8 MB a G1 window at 2^16).
            int next = -1;
            void Worker()
            {
                var affine = c >= MinAffineWindow ? new AffineBuckets<TJ, TA, TF>(1 << (c - 1), BatchSize(1 << (c - 1))) : null;
                for (int w = Interlocked.Increment(ref next); w < windows; w = Interlocked.Increment(ref next))
                    partial[w] = Window<TJ, TA, TF>((TA*)ptr, n, digits, windows, w, c, affine, ct);
            }
            if (threads == 1) Worker();
            else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = ct }, _ => Worker());
        }

        var acc = partial[windows - 1];
        for (int w = windows - 2; w >= 0; w--)
        {
            for (int i = 0; i < c; i++) acc = acc.Double();
            acc = acc.Add(partial[w]);
        }
        return acc;
    }

    private const int SplitChunk = 4096;

    /// <summary>
    /// Points 2j and 2j + 1 are ±P and ±φ(P) for the j-th pair with a nonzero scalar and a finite point, signed so
    /// that their scalars, the halves' magnitudes, are non-negative. Pairs that add nothing are dropped first: they
    /// would be recoded and push the window choice up, and a Groth16 key's B query is about a third infinity.
    /// </summary>
    private static unsafe (TA[] Points, UInt128[] Halves) Split<TA>(ReadOnlySpan<TA> points, ReadOnlySpan<Fr> scalars, int threads)
        where TA : unmanaged, IAffinePoint<TA>, IGlvEndomorphism<TA>
    {
        var live = new int[points.Length];
        int n = 0;
        for (int i = 0; i < points.Length; i++)
            if (!scalars[i].IsZero && !points[i].IsInfinity) live[n++] = i;
        var split = GC.AllocateUninitializedArray<TA>(2 * n);
        var halves = GC.AllocateUninitializedArray<UInt128>(2 * n);
        fixed (TA* pp = points)
        fixed (Fr* kp = scalars)
        {
            // The spans cannot enter the lambda; they stay pinned for its whole run.
            nint pAt = (nint)pp, kAt = (nint)kp;
            Parallel.For(0, (n + SplitChunk - 1) / SplitChunk, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
            {
                for (int j = b * SplitChunk, end = Math.Min(n, (b + 1) * SplitChunk); j < end; j++)
                {
                    var point = ((TA*)pAt)[live[j]];
                    var (k1, negative1, k2, negative2) = Glv.Decompose(((Fr*)kAt)[live[j]].ToCanonical());
                    var phi = point.Endomorphism();
                    split[2 * j] = negative1 ? point.Negate() : point;
                    split[2 * j + 1] = negative2 ? phi.Negate() : phi;
                    halves[2 * j] = k1;
                    halves[2 * j + 1] = k2;
                }
            });
        }
        return (split, halves);
    }

    /// <summary>
    /// Splits each half into signed c-bit digits in [-2^(c-1), 2^(c-1)): a digit at or above half the
    /// window borrows from the next window, so only 2^(c-1) buckets are needed. The top window never
    /// borrows; ScalarBits guarantees it stays at or below 2^(c-1).
    /// </summary>
    private static void RecodeAll(UInt128[] halves, int c, int windows, int[] digits, int threads)
    {
        int n = halves.Length;
        int chunk = Math.Max(4096, n / (threads * 4));
        Parallel.For(0, (n + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            int end = Math.Min(n, (b + 1) * chunk);
            for (int i = b * chunk; i < end; i++) Recode(halves[i], c, windows, n, i, digits);
        });
    }

    /// <summary>Digits are stored window-major (digits[w·n + i]) so each window's pass reads them sequentially.</summary>
    private static void Recode(UInt128 k, int c, int windows, int n, int i, int[] digits)
    {
        int half = 1 << (c - 1);
        int mask = (1 << c) - 1;
        int carry = 0;
        for (int w = 0; w < windows; w++)
        {
            int d = (int)(k & (UInt128)mask) + carry;
            k >>= c;
            if (d >= half && w != windows - 1)
            {
                d -= 1 << c;
                carry = 1;
            }
            else carry = 0;
            digits[(long)w * n + i] = d;
        }
    }

    /// <summary>One window's Σ digit·point; <paramref name="affine"/> (empty, for windows of at least MinAffineWindow bits) holds its buckets.</summary>
    private static unsafe TJ Window<TJ, TA, TF>(TA* points, int n, int[] digits, int windows, int w, int c, AffineBuckets<TJ, TA, TF>? affine, CancellationToken ct)
        where TJ : unmanaged, IJacobianPoint<TJ, TA>
        where TA : unmanaged, IAffinePoint<TA>, IAffineCoordinates<TA, TF>
        where TF : unmanaged, IField<TF>
    {
        int buckets = 1 << (c - 1);
        if (affine is not null)
        {
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
