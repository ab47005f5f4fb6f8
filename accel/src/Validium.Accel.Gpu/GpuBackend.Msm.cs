using ILGPU;
using ILGPU.Runtime;
using Validium.Crypto;

namespace Validium.Accel.Gpu;

public sealed partial class GpuBackend
{
    /// <summary>Canonical scalars are below r &lt; 2^254.</summary>
    private const int ScalarBits = 254;

    /// <summary>
    /// Device bytes per MSM input where memory matters (n ≥ 2^10, so c ≥ 8 and at most 32 windows): the affine point
    /// plus a sorted index per window.
    /// </summary>
    private const long MsmBytesPerPoint = 64 + 4 * 32;

    public G1Jacobian MsmG1(ReadOnlySpan<G1Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default)
    {
        if (points.Length != scalars.Length)
            throw new ArgumentException($"MSM needs one scalar per point: {points.Length} points, {scalars.Length} scalars", nameof(scalars));
        ct.ThrowIfCancellationRequested();
        int n = points.Length;
        if (n == 0) return G1Jacobian.Infinity;

        int c = WindowBits(n);
        int windows = (ScalarBits + c - 1) / c;
        int bucketsPerWindow = (1 << c) - 1;
        var plan = BucketPlan.Build(points, scalars, c, windows, bucketsPerWindow);
        if (plan.PointIndex.Length == 0) return G1Jacobian.Infinity;

        var devicePoints = new G1AffineLimbs[n];
        for (int i = 0; i < n; i++) devicePoints[i] = G1AffineLimbs.From(points[i]);
        int segmentSize = Math.Min(bucketsPerWindow, 1 << ((c + 1) / 2));
        int segmentsPerWindow = (bucketsPerWindow + segmentSize - 1) / segmentSize;
        int segmentCount = windows * segmentsPerWindow;

        G1JacobianLimbs[] segmentSums;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var dPoints = accelerator.Allocate1D(devicePoints);
            using var dIndex = accelerator.Allocate1D(plan.PointIndex);
            using var dBuckets = AccumulateBuckets(dPoints, dIndex, plan.BucketStart, ct);
            using var dSegments = accelerator.Allocate1D<G1JacobianLimbs>(segmentCount);
            Kernels.ReduceBucketSegments(segmentCount, dBuckets.View, dSegments.View, bucketsPerWindow, segmentSize, segmentsPerWindow);
            Checkpoint(ct);
            segmentSums = dSegments.GetAsArray1D();
        }

        // About 254 doublings plus ⌈254/c⌉·2^(c/2) additions, independent of n: the host's reference arithmetic finishes.
        var result = G1Jacobian.Infinity;
        for (int w = windows - 1; w >= 0; w--)
        {
            for (int k = 0; k < c; k++) result = result.Double();
            for (int s = 0; s < segmentsPerWindow; s++) result = result.Add(segmentSums[w * segmentsPerWindow + s].ToHost());
        }
        return result;
    }

    /// <summary>
    /// One sum per bucket, built as a tree: runs of at most MsmPointsPerThread sorted points, then runs of partial sums,
    /// until each bucket has a single sum. Uniform scalars finish after the first level; a bucket holding most points
    /// takes log_K(n) levels instead of n sequential additions on one thread.
    /// </summary>
    private MemoryBuffer1D<G1JacobianLimbs, Stride1D.Dense> AccumulateBuckets(
        MemoryBuffer1D<G1AffineLimbs, Stride1D.Dense> dPoints, MemoryBuffer1D<int, Stride1D.Dense> dIndex, int[] bucketStart, CancellationToken ct)
    {
        var counts = new int[bucketStart.Length - 1];
        for (int b = 0; b < counts.Length; b++) counts[b] = bucketStart[b + 1] - bucketStart[b];
        var (runStart, runs) = Runs(counts, options.MsmPointsPerThread);
        var current = accelerator.Allocate1D<G1JacobianLimbs>(runStart.Length - 1);
        try
        {
            using (var dRunStart = accelerator.Allocate1D(runStart))
                Kernels.AccumulateRuns(runStart.Length - 1, dPoints.View, dIndex.View, dRunStart.View, current.View);
            Checkpoint(ct);
            while (runs.Any(r => r > 1))
            {
                (runStart, runs) = Runs(runs, options.MsmPointsPerThread);
                var next = accelerator.Allocate1D<G1JacobianLimbs>(runStart.Length - 1);
                using (var dRunStart = accelerator.Allocate1D(runStart))
                    Kernels.SumRuns(runStart.Length - 1, current.View, dRunStart.View, next.View);
                current.Dispose();
                current = next;
                Checkpoint(ct);
            }
            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Cuts consecutive groups of counts[g] entries into runs of at most runLength. Every group gets at least one
    /// (possibly empty) run so that it keeps a slot in the output; returns the run boundaries and runs per group.
    /// </summary>
    internal static (int[] RunStart, int[] RunsPerGroup) Runs(int[] counts, int runLength)
    {
        var runsPerGroup = new int[counts.Length];
        int total = 0;
        for (int g = 0; g < counts.Length; g++)
        {
            runsPerGroup[g] = Math.Max(1, (counts[g] + runLength - 1) / runLength);
            total += runsPerGroup[g];
        }
        var start = new int[total + 1];
        int r = 0, offset = 0;
        for (int g = 0; g < counts.Length; g++)
        {
            int remaining = counts[g];
            for (int j = 0; j < runsPerGroup[g]; j++)
            {
                start[r++] = offset;
                int take = Math.Min(runLength, remaining);
                offset += take;
                remaining -= take;
            }
        }
        start[total] = offset;
        return (start, runsPerGroup);
    }

    /// <summary>
    /// Window width c ≈ log2 n − 2, so the 2^c·⌈254/c⌉ bucket threads roughly match the n·⌈254/c⌉ additions they
    /// share; capped at 16 so bucket tables stay within device memory.
    /// </summary>
    internal static int WindowBits(int n) => Math.Clamp((int)Math.Log2(n) - 2, 3, 16);

    /// <summary>
    /// The (window, digit) → points table as a counting sort: BucketStart[b]..BucketStart[b+1] delimits the point
    /// indices of global bucket b = window·(2^c − 1) + digit − 1. Zero digits, zero scalars and points at infinity
    /// contribute nothing and are left out, so every device addition is useful.
    /// </summary>
    private readonly record struct BucketPlan(int[] PointIndex, int[] BucketStart)
    {
        public static BucketPlan Build(ReadOnlySpan<G1Affine> points, ReadOnlySpan<Fr> scalars, int c, int windows, int bucketsPerWindow)
        {
            int n = points.Length;
            int bucketCount = windows * bucketsPerWindow;
            var canonical = new Limbs4[n];
            var start = new int[bucketCount + 1];
            for (int i = 0; i < n; i++)
            {
                if (points[i].IsInfinity || scalars[i].IsZero) continue;
                canonical[i] = scalars[i].ToCanonical();
                for (int w = 0; w < windows; w++)
                {
                    int d = Digit(canonical[i], w * c, c);
                    if (d != 0) start[w * bucketsPerWindow + d]++;
                }
            }
            for (int b = 0; b < bucketCount; b++) start[b + 1] += start[b];
            var index = new int[start[bucketCount]];
            var cursor = start[..bucketCount];
            for (int i = 0; i < n; i++)
            {
                if (canonical[i].IsZero) continue;
                for (int w = 0; w < windows; w++)
                {
                    int d = Digit(canonical[i], w * c, c);
                    if (d != 0) index[cursor[w * bucketsPerWindow + d - 1]++] = i;
                }
            }
            return new BucketPlan(index, start);
        }

        private static int Digit(Limbs4 k, int offset, int c)
        {
            int word = offset >> 6;
            int shift = offset & 63;
            ulong v = k[word] >> shift;
            if (shift + c > 64 && word < 3) v |= k[word + 1] << (64 - shift);
            return (int)(v & ((1UL << c) - 1));
        }
    }
}
