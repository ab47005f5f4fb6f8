using ILGPU;

namespace Validium.Accel.Gpu;

/// <summary>
/// Pippenger bucket method for G1. The host sorts (window, digit) → point indices with a counting sort;
/// the device then does all the curve arithmetic:
/// <list type="number">
/// <item><see cref="AccumulateBuckets"/>: one thread per (window, bucket) adds the points of its sorted segment.</item>
/// <item><see cref="ReduceBucketSegments"/>: one thread per (window, segment of buckets) computes Σ d·B_d over its
/// segment with a running sum, so a window's 2^c buckets are reduced by many threads instead of one.</item>
/// </list>
/// </summary>
internal static class MsmKernels
{
    /// <summary>buckets[b] = Σ points[pointIndex[k]] for k in [bucketStart[b], bucketStart[b+1]).</summary>
    public static void AccumulateBuckets(
        Index1D bucket, ArrayView<G1AffineLimbs> points, ArrayView<int> pointIndex, ArrayView<int> bucketStart, ArrayView<G1JacobianLimbs> buckets)
    {
        var acc = G1Device.Infinity;
        int end = bucketStart[bucket + 1];
        for (int k = bucketStart[bucket]; k < end; k++) acc = G1Device.AddMixed(acc, points[pointIndex[k]]);
        buckets[bucket] = acc;
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
