using Validium.Crypto;

namespace Validium.Accel.Cpu;

/// <summary>
/// Radix-2 iterative NTT over Fr, natural order in and out; stages split across threads when large. From the
/// fourth stage on (half-blocks of eight or more) the butterflies run eight lanes at a time on AVX-512.
/// </summary>
public static class Ntt
{
    private const int ParallelThreshold = 1 << 12;

    public static void Transform(Span<Fr> a, NttOptions options, int maxThreads, CancellationToken ct)
    {
        int n = a.Length;
        if (n == 0 || (n & (n - 1)) != 0) throw new ArgumentException($"NTT length must be a power of two, got {n}", nameof(a));
        int log = System.Numerics.BitOperations.Log2((uint)n);
        if (log > Fr.TwoAdicity) throw new ArgumentException($"NTT length 2^{log} exceeds Fr's 2^{Fr.TwoAdicity} roots of unity", nameof(a));
        if (options.CosetShift is { IsZero: true }) throw new ArgumentException("coset shift must be non-zero", nameof(options));

        var omega = Fr.RootOfUnity(log);
        if (options.Inverse) omega = omega.Inverse();
        var arr = a.ToArray();
        if (!options.Inverse && options.CosetShift is { } shift) ScaleByPowers(arr, Fr.One, shift, maxThreads);
        BitReverse(arr);
        var twiddles = Twiddles(omega, n / 2);
        for (int len = 2; len <= n; len <<= 1)
        {
            ct.ThrowIfCancellationRequested();
            int halfLen = len >> 1, stride = n / len;
            int blocks = n / len;
            if (FrButterflies8.IsAccelerated && halfLen < FrButterflies8.Count && blocks >= FrButterflies8.Count)
            {
                AcrossBlocks(arr, halfLen, stride, twiddles, n >= ParallelThreshold ? maxThreads : 1);
                continue;
            }
            var vectors = FrButterflies8.IsAccelerated && halfLen >= FrButterflies8.Count ? FrButterflies8.StageTwiddles(twiddles, halfLen, stride) : null;
            void Block(int b)
            {
                int start = b * len;
                if (vectors is not null)
                {
                    FrButterflies8.Run(arr.AsSpan(start, len), halfLen, vectors, 0, vectors.Length);
                    return;
                }
                for (int j = 0; j < halfLen; j++)
                {
                    var u = arr[start + j];
                    var v = arr[start + j + halfLen] * twiddles[j * stride];
                    arr[start + j] = u + v;
                    arr[start + j + halfLen] = u - v;
                }
            }
            if (n >= ParallelThreshold && maxThreads > 1 && blocks >= maxThreads)
                Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, Block);
            else if (n >= ParallelThreshold && maxThreads > 1)
                ButterfliesInParallel(arr, len, halfLen, stride, twiddles, vectors, maxThreads);
            else
                for (int b = 0; b < blocks; b++) Block(b);
        }
        // The inverse's 1/n and, for a coset, its shift^-i go in one pass.
        if (options.Inverse)
            ScaleByPowers(arr, Fr.FromUInt64((ulong)n).Inverse(), options.CosetShift is { } s ? s.Inverse() : Fr.One, maxThreads);
        arr.CopyTo(a);
    }

    /// <summary>Stages with half-blocks under eight, eight blocks per vector (see FrButterflies8.RunAcrossBlocks).</summary>
    private static void AcrossBlocks(Fr[] arr, int halfLen, int stride, Fr[] twiddles, int maxThreads)
    {
        var tw = new FieldVec8<FrModulus>.Scalar[halfLen];
        for (int j = 0; j < halfLen; j++) tw[j] = new(twiddles[j * stride].MontgomeryLimbs);
        int groups = arr.Length / (2 * halfLen * FrButterflies8.Count);
        int chunks = Math.Min(groups, Math.Max(1, maxThreads) * 4);
        int per = (groups + chunks - 1) / chunks;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxThreads) }, ch =>
            FrButterflies8.RunAcrossBlocks(arr, halfLen, tw, ch * per, Math.Min(groups, (ch + 1) * per)));
    }

    /// <summary>arr[i] *= first·step^i: eight lanes at a time in chunks across threads when the vector path runs.</summary>
    private static void ScaleByPowers(Fr[] arr, Fr first, Fr step, int maxThreads)
    {
        int n = arr.Length;
        if (!FrButterflies8.IsAccelerated || n < FrButterflies8.Count)
        {
            var p = first;
            for (int i = 0; i < n; i++)
            {
                arr[i] *= p;
                p *= step;
            }
            return;
        }
        int chunks = n >= ParallelThreshold && maxThreads > 1 ? 8 : 1;
        int per = n / chunks;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxThreads) }, ch =>
            FrButterflies8.ScaleByPowers(arr, ch * per, (ch + 1) * per, first * step.Pow((ulong)(ch * per)), step));
    }

    /// <summary>The last stages have few blocks; split their butterflies instead so both cores stay busy.</summary>
    private static void ButterfliesInParallel(Fr[] arr, int len, int halfLen, int stride, Fr[] twiddles, FieldVec8<FrModulus>[]? vectors, int maxThreads)
    {
        int chunks = maxThreads * 4;
        int per = (halfLen + chunks - 1) / chunks;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, ch =>
        {
            if (vectors is not null)
            {
                int perVectors = (vectors.Length + chunks - 1) / chunks;
                int to = Math.Min(vectors.Length, (ch + 1) * perVectors);
                for (int start = 0; start < arr.Length; start += len)
                    FrButterflies8.Run(arr.AsSpan(start, len), halfLen, vectors, Math.Min(to, ch * perVectors), to);
                return;
            }
            for (int start = 0; start < arr.Length; start += len)
            {
                int end = Math.Min(halfLen, (ch + 1) * per);
                for (int j = ch * per; j < end; j++)
                {
                    var u = arr[start + j];
                    var v = arr[start + j + halfLen] * twiddles[j * stride];
                    arr[start + j] = u + v;
                    arr[start + j + halfLen] = u - v;
                }
            }
        });
    }

    private static Fr[] Twiddles(Fr omega, int count)
    {
        var t = new Fr[Math.Max(1, count)];
        t[0] = Fr.One;
        for (int i = 1; i < count; i++) t[i] = t[i - 1] * omega;
        return t;
    }

    private static void BitReverse(Span<Fr> a)
    {
        int n = a.Length;
        int bits = System.Numerics.BitOperations.Log2((uint)n);
        for (int i = 0; i < n; i++)
        {
            int j = (int)(ReverseBits((uint)i) >> (32 - bits));
            if (bits == 0) j = 0;
            if (i < j) (a[i], a[j]) = (a[j], a[i]);
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
        v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
        v = ((v >> 4) & 0x0F0F0F0F) | ((v & 0x0F0F0F0F) << 4);
        v = ((v >> 8) & 0x00FF00FF) | ((v & 0x00FF00FF) << 8);
        return (v >> 16) | (v << 16);
    }
}
