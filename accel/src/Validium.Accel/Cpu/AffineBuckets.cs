using Validium.Crypto;

namespace Validium.Accel.Cpu;

/// <summary>
/// One Pippenger window's buckets kept in affine form. Additions are queued and done in batches by a
/// <see cref="BatchAffineAdder{TA, TF}"/> (one shared inversion; eight lanes at a time for G1 on AVX-512).
/// A point whose bucket is already queued in the current batch waits in a deferred list for the next batch
/// (a Jacobian addition costs about four queued ones, and a few percent to an eighth of the points, as the batch
/// grows against the bucket count, meet a queued bucket); once that
/// list is full the batch runs early if it holds enough points, and otherwise the point goes to a Jacobian side
/// bucket, so a skewed input (many equal digits) costs mixed additions, never extra batches.
/// A point whose abscissa equals its bucket's (a doubling, or a cancellation to infinity) is queued like any other:
/// the batch adder sends such pairs down its scalar path, which handles both, and looking for them here would read
/// the bucket itself, a cache miss per point (it had cost about 15% of a 2^18 G1 MSM's CPU time).
/// The final Σ (j+1)·bucket[j] is batched too: the buckets are cut into segments whose running sums advance
/// together, one batched affine addition per step for all segments, so the reduction costs a few Jacobian
/// additions per segment instead of two per bucket (which had taken about a third of a 2^18 MSM).
/// </summary>
internal sealed class AffineBuckets<TJ, TA, TF>
    where TJ : unmanaged, IJacobianPoint<TJ, TA>
    where TA : unmanaged, IAffinePoint<TA>, IAffineCoordinates<TA, TF>
    where TF : unmanaged, IField<TF>
{
    private readonly TA[] bucket;
    private readonly bool[] filled;
    private readonly int[] queuedIn;
    private TJ[]? side;
    private readonly int[] qBucket;
    private readonly TA[] qPoint;
    private readonly int[] dBucket;
    private readonly TA[] dPoint;
    private int deferred;
    private readonly TA[] work;
    private readonly BatchAffineAdder<TA, TF> adder;
    private int count;
    private int batch = 1;

    /// <summary>
    /// Segments in the batched reduction: more share each inversion better but leave more Jacobian work to
    /// combine them (three additions each); 512 balances the two for windows of 2^15 buckets.
    /// </summary>
    private const int MaxSegments = 512;

    /// <summary>
    /// The smallest batch worth an inversion of its own rather than Jacobian side additions (each costs about
    /// four queued ones): below it, as with many points on one hot bucket, the points go to the side buckets.
    /// </summary>
    private const int MinEarlyFlush = 32;

    public AffineBuckets(int buckets, int batchSize)
    {
        bucket = new TA[buckets];
        filled = new bool[buckets];
        queuedIn = new int[buckets];
        qBucket = new int[batchSize];
        qPoint = new TA[batchSize];
        dBucket = new int[batchSize];
        dPoint = new TA[batchSize];
        adder = new BatchAffineAdder<TA, TF>(Math.Max(batchSize, Math.Min(buckets, MaxSegments)));
        work = new TA[adder.Capacity];
    }

    /// <summary>bucket[b] += p; p must not be the point at infinity.</summary>
    public void Add(int b, in TA p)
    {
        if (!filled[b])
        {
            bucket[b] = p;
            filled[b] = true;
            return;
        }
        // A window with few buckets (the top one, when the scalar's 254 bits leave it only a few) fills the
        // deferred list long before the batch; running the batch early keeps those points affine.
        if (queuedIn[b] == batch && deferred == dBucket.Length && count >= MinEarlyFlush) Flush();
        if (queuedIn[b] == batch && deferred < dBucket.Length)
        {
            dBucket[deferred] = b;
            dPoint[deferred++] = p;
            return;
        }
        if (queuedIn[b] == batch)
        {
            AddToSide(b, p);
            return;
        }
        Enqueue(b, p);
        if (count == qBucket.Length) Flush();
    }

    private void Enqueue(int b, in TA p)
    {
        queuedIn[b] = batch;
        qBucket[count] = b;
        qPoint[count++] = p;
    }

    private void AddToSide(int b, in TA p)
    {
        side ??= NewSide();
        side[b] = side[b].AddMixed(p);
    }

    private TJ[] NewSide()
    {
        var s = new TJ[bucket.Length];
        s.AsSpan().Fill(TJ.Infinity);
        return s;
    }

    /// <summary>Runs the queued batch, then moves deferred points into the next one; repeats while that fills it.</summary>
    private void Flush()
    {
        do
        {
            for (int k = 0; k < count; k++) work[k] = bucket[qBucket[k]];
            adder.AddInPlace(work.AsSpan(0, count), qPoint.AsSpan(0, count));
            for (int k = 0; k < count; k++)
            {
                bucket[qBucket[k]] = work[k];
                filled[qBucket[k]] = !work[k].IsInfinity;
            }
            count = 0;
            batch++;
            int kept = 0;
            for (int i = 0; i < deferred; i++)
            {
                int b = dBucket[i];
                if (!filled[b])
                {
                    bucket[b] = dPoint[i];
                    filled[b] = true;
                }
                else if (queuedIn[b] == batch || count == qBucket.Length)
                {
                    dBucket[kept] = b;
                    dPoint[kept++] = dPoint[i];
                }
                else Enqueue(b, dPoint[i]);
            }
            deferred = kept;
        }
        while (count == qBucket.Length);
    }

    /// <summary>
    /// Σ (j+1)·bucket[j]. Segment t holds buckets t·m .. t·m + m - 1; stepping i from m - 1 down, every segment
    /// adds its bucket t·m + i to its running sum R_t and R_t to its sum S_t, so S_t = Σ (i+1)·bucket[t·m + i].
    /// The whole is Σ_t S_t + m·Σ_t t·R_t, the last sum again by a running sum, over the segments.
    /// The buckets are empty again afterwards, ready for the next window.
    /// </summary>
    public TJ Reduce()
    {
        // A flush can leave points deferred behind one bucket (a skewed input); they go to the side buckets
        // rather than costing a batch each.
        if (count > 0 || deferred > 0) Flush();
        for (int i = 0; i < deferred; i++) AddToSide(dBucket[i], dPoint[i]);
        deferred = 0;
        if (count > 0) Flush();
        if (side is not null) MergeSide();
        int segments = Math.Min(bucket.Length, MaxSegments), m = bucket.Length / segments;
        var running = new TA[segments];
        var sums = new TA[segments];
        var step = new TA[segments];
        for (int i = m - 1; i >= 0; i--)
        {
            for (int t = 0; t < segments; t++) step[t] = bucket[t * m + i];
            adder.AddInPlace(running, step);
            adder.AddInPlace(sums, running);
        }
        var total = TJ.Infinity;
        var outer = TJ.Infinity;
        var weighted = TJ.Infinity;
        for (int t = segments - 1; t >= 0; t--)
        {
            total = total.AddMixed(sums[t]);
            if (t == 0) break;
            outer = outer.AddMixed(running[t]);
            weighted = weighted.Add(outer);
        }
        for (int k = m; k > 1; k >>= 1) weighted = weighted.Double();
        // Unfilled buckets must read as infinity, the default value, as in a fresh array (the segment sums above read
        // every bucket); queuedIn needs no clearing, since its entries all name batches before the current one.
        Array.Clear(bucket);
        Array.Clear(filled);
        return total.Add(weighted);
    }

    /// <summary>Adds the Jacobian side buckets into the affine ones: one shared inversion to make them affine, one batched addition.</summary>
    private void MergeSide()
    {
        var occupied = new List<int>();
        for (int j = 0; j < side!.Length; j++)
            if (!side[j].IsInfinity) occupied.Add(j);
        var affine = new TJ[occupied.Count];
        for (int k = 0; k < affine.Length; k++) affine[k] = side[occupied[k]];
        var points = new TA[affine.Length];
        TJ.BatchToAffine(affine, points);
        for (int start = 0; start < points.Length; start += adder.Capacity)
        {
            int len = Math.Min(adder.Capacity, points.Length - start);
            for (int k = 0; k < len; k++) work[k] = bucket[occupied[start + k]];
            adder.AddInPlace(work.AsSpan(0, len), points.AsSpan(start, len));
            for (int k = 0; k < len; k++) bucket[occupied[start + k]] = work[k];
        }
        side = null;
    }
}
