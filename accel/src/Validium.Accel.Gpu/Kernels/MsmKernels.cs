using ILGPU;

namespace Validium.Accel.Gpu;

/// <summary>
/// Pippenger bucket method for G1. The host sorts (window, digit) → point indices with a counting sort;
/// the device then does all the curve arithmetic:
/// <list type="number">
/// <item><see cref="AccumulateRuns"/>: one thread per run of at most K sorted entries of one bucket adds those points;
/// <see cref="SumRuns"/> then folds each bucket's partial sums K at a time until one remains. Splitting keeps a bucket
/// that holds most of the input (a Groth16 witness is full of 0s and 1s) from serialising on one thread.</item>
/// <item><see cref="ReduceBucketSegments"/>: one thread per (window, segment of buckets) computes Σ d·B_d over its
/// segment with a running sum, so a window's 2^c buckets are reduced by many threads instead of one.</item>
/// </list>
/// </summary>
internal static class MsmKernels
{
    /// <summary>sums[r] = Σ points[pointIndex[k]] for k in [runStart[r], runStart[r+1]); an empty run gives infinity.</summary>
    public static void AccumulateRuns(
        Index1D run, ArrayView<G1AffineLimbs> points, ArrayView<int> pointIndex, ArrayView<int> runStart, ArrayView<G1JacobianLimbs> sums)
    {
        var acc = G1Device.Infinity;
        int end = runStart[run + 1];
        for (int k = runStart[run]; k < end; k++) acc = G1Device.AddMixed(acc, points[pointIndex[k]]);
        sums[run] = acc;
    }

    /// <summary>sums[r] = Σ partials[k] for k in [runStart[r], runStart[r+1]).</summary>
    public static void SumRuns(Index1D run, ArrayView<G1JacobianLimbs> partials, ArrayView<int> runStart, ArrayView<G1JacobianLimbs> sums)
    {
        var acc = G1Device.Infinity;
        int end = runStart[run + 1];
        for (int k = runStart[run]; k < end; k++) acc = G1Device.Add(acc, partials[k]);
        sums[run] = acc;
    }

    /// <summary>
    /// Thread (w, s) owns digits lo..hi (lo = s·segmentSize + 1) of window w, where bucket d of window w is
    /// buckets[w·bucketsPerWindow + d − 1]. Summing the running sum from hi down gives Σ (d − lo + 1)·B_d;
    /// adding (lo − 1)·Σ B_d turns it into the segment's share of Σ d·B_d.
    /// </summary>
    public static void ReduceBucketSegments(
        Index1D index, ArrayView<G1JacobianLimbs> buckets, ArrayView<G1JacobianLimbs> segmentSums, int bucketsPerWindow, int segmentSize, int segmentsPerWindow)
    {
        int window = index / segmentsPerWindow;
        int segment = index - window * segmentsPerWindow;
        int lo = segment * segmentSize + 1;
        int hi = lo + segmentSize - 1;
        if (hi > bucketsPerWindow) hi = bucketsPerWindow;
        int baseIndex = window * bucketsPerWindow - 1;
        var running = G1Device.Infinity;
        var acc = G1Device.Infinity;
        for (int d = hi; d >= lo; d--)
        {
            running = G1Device.Add(running, buckets[baseIndex + d]);
            acc = G1Device.Add(acc, running);
        }
        segmentSums[index] = G1Device.Add(acc, G1Device.MultiplySmall(running, lo - 1));
    }
}
