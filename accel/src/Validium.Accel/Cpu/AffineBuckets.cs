using Validium.Crypto;

namespace Validium.Accel.Cpu;

/// <summary>
/// One Pippenger window's buckets kept in affine form. Additions are queued and done in batches that
/// share one field inversion (Montgomery's trick), which makes an addition cost about 6 multiplications
/// instead of the 11 of a mixed Jacobian addition. A point whose bucket is already queued in the
/// current batch goes to a Jacobian side bucket instead of waiting, so a skewed input (many equal
/// digits) costs mixed additions, never extra batches.
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
    private readonly TF[] den;
    private readonly TF[] prefix;
    private int count;
    private int batch = 1;

    public AffineBuckets(int buckets, int batchSize)
    {
        bucket = new TA[buckets];
        filled = new bool[buckets];
        queuedIn = new int[buckets];
        qBucket = new int[batchSize];
        qPoint = new TA[batchSize];
        den = new TF[batchSize];
        prefix = new TF[batchSize];
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
        if (queuedIn[b] == batch)
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

    /// <summary>Performs the queued additions: λ = (y2 - y1)/(x2 - x1), or 3x²/2y when doubling.</summary>
    private void Flush()
    {
        var acc = TF.One;
        for (int k = 0; k < count; k++)
        {
            ref readonly var a = ref bucket[qBucket[k]];
            ref readonly var p = ref qPoint[k];
            // x equal and y opposite means a + p = O: a denominator of one keeps the product invertible.
            den[k] = a.X != p.X ? p.X - a.X : a.Y == p.Y ? a.Y.Double() : TF.One;
            prefix[k] = acc;
            acc *= den[k];
        }
        var inv = acc.Inverse();
        for (int k = count - 1; k >= 0; k--)
        {
            var dInv = inv * prefix[k];
            inv *= den[k];
            int b = qBucket[k];
            ref readonly var a = ref bucket[b];
            ref readonly var p = ref qPoint[k];
            TF lambda;
            if (a.X != p.X) lambda = (p.Y - a.Y) * dInv;
            else if (a.Y == p.Y)
            {
                var xx = a.X.Square();
                lambda = (xx.Double() + xx) * dInv;
            }
            else
            {
                filled[b] = false;
                continue;
            }
            var x3 = lambda.Square() - a.X - p.X;
            var y3 = lambda * (a.X - x3) - a.Y;
            bucket[b] = TA.FromCoordinates(x3, y3);
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
