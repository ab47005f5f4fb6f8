using Validium.Crypto;

namespace Validium.Accel.Cpu;

/// <summary>
/// One Pippenger window's buckets kept in affine form. Additions are queued and done in batches by a
/// <see cref="BatchAffineAdder{TA, TF}"/> (one shared inversion; eight lanes at a time for G1 on AVX-512).
/// A point whose bucket is already queued in the current batch, or whose abscissa equals the bucket's
/// (doubling or cancellation), goes to a Jacobian side bucket instead, so every queued addition is a
/// regular one and a skewed input (many equal digits) costs mixed additions, never extra batches.
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
    private readonly TA[] work;
    private readonly BatchAffineAdder<TA, TF> adder;
    private int count;
    private int batch = 1;

    public AffineBuckets(int buckets, int batchSize)
    {
        bucket = new TA[buckets];
        filled = new bool[buckets];
        queuedIn = new int[buckets];
        qBucket = new int[batchSize];
        qPoint = new TA[batchSize];
        work = new TA[batchSize];
        adder = new BatchAffineAdder<TA, TF>(batchSize);
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
        if (queuedIn[b] == batch || bucket[b].X == p.X)
        {
            side ??= NewSide();
            side[b] = side[b].AddMixed(p);
            return;
        }
        queuedIn[b] = batch;
        qBucket[count] = b;
        qPoint[count] = p;
        if (++count == qBucket.Length) Flush();
    }

    private TJ[] NewSide()
    {
        var s = new TJ[bucket.Length];
        s.AsSpan().Fill(TJ.Infinity);
        return s;
    }

    private void Flush()
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
    }

    /// <summary>Σ (j+1)·bucket[j] by a running sum from the top bucket down.</summary>
    public TJ Reduce()
    {
        if (count > 0) Flush();
        var running = TJ.Infinity;
        var sum = TJ.Infinity;
        for (int j = bucket.Length - 1; j >= 0; j--)
        {
            if (filled[j]) running = running.AddMixed(bucket[j]);
            if (side is not null && !side[j].IsInfinity) running = running.Add(side[j]);
            sum = sum.Add(running);
        }
        return sum;
    }
}
