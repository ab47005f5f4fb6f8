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

        if (!options.Inverse && options.CosetShift is { } shift) ScaleByPowers(a, shift);
        var omega = Fr.RootOfUnity(log);
        if (options.Inverse) omega = omega.Inverse();
        BitReverse(a);
        var twiddles = Twiddles(omega, n / 2);
        var arr = a.ToArray();
        for (int len = 2; len <= n; len <<= 1)
        {
            ct.ThrowIfCancellationRequested();
            int halfLen = len >> 1, stride = n / len;
            int blocks = n / len;
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
        arr.CopyTo(a);
        if (options.Inverse)
        {
            var nInv = Fr.FromUInt64((ulong)n).Inverse();
            for (int i = 0; i < n; i++) a[i] *= nInv;
            if (options.CosetShift is { } s) ScaleByPowers(a, s.Inverse());
        }
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

    private static void ScaleByPowers(Span<Fr> a, Fr g)
    {
        var p = Fr.One;
        for (int i = 0; i < a.Length; i++)
        {
            a[i] *= p;
            p *= g;
        }
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
