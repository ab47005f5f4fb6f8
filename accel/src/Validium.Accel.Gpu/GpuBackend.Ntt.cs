using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;
using Validium.Crypto;

namespace Validium.Accel.Gpu;

public sealed partial class GpuBackend
{
    /// <summary>Device bytes per NTT element: data, its bit-reversed copy and half a twiddle.</summary>
    private const long NttBytesPerElement = 32 * 3;

    /// <summary>ω^0 .. ω^(n/2 − 1) per (log n, inverse): computed once per size, n/2 sequential products on the host.</summary>
    private readonly ConcurrentDictionary<(int Log, bool Inverse), Limbs8[]> twiddleCache = new();

    public void Ntt(Span<Fr> values, NttOptions options, CancellationToken ct = default)
    {
        int n = values.Length;
        if (n == 0 || (n & (n - 1)) != 0) throw new ArgumentException($"NTT length must be a power of two, got {n}", nameof(values));
        int log = System.Numerics.BitOperations.Log2((uint)n);
        if (log > Fr.TwoAdicity) throw new ArgumentException($"NTT length 2^{log} exceeds Fr's 2-adicity (2^{Fr.TwoAdicity})", nameof(values));
        if (options.CosetShift is { IsZero: true }) throw new ArgumentException("coset shift must be non-zero", nameof(options));
        ct.ThrowIfCancellationRequested();
        // A single element is its own transform: shift^0 = 1 and 1/n = 1.
        if (n == 1) return;

        var twiddles = twiddleCache.GetOrAdd((log, options.Inverse), key => Twiddles(key.Log, key.Inverse));
        var data = new Limbs8[n];
        for (int i = 0; i < n; i++) data[i] = Limbs8.From(values[i]);

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var dData = accelerator.Allocate1D(data);
            using var dWork = accelerator.Allocate1D<Limbs8>(n);
            using var dTwiddles = accelerator.Allocate1D(twiddles);
            if (!options.Inverse && options.CosetShift is { } shift)
            {
                using var dPowers = accelerator.Allocate1D(Squarings(shift, log));
                Kernels.ScaleByPowers(n, dData.View, dPowers.View, Limbs8.From(Fr.One), log);
                Checkpoint(ct);
            }
            Kernels.BitReverse(n, dData.View, dWork.View, log);
            Checkpoint(ct);
            for (int s = 0; s < log; s++)
            {
                int half = 1 << s;
                Kernels.Butterfly(n / 2, dWork.View, dTwiddles.View, half, n / (2 * half));
                Checkpoint(ct);
            }
            if (options.Inverse)
            {
                var nInv = Limbs8.From(Fr.FromUInt64((ulong)n).Inverse());
                if (options.CosetShift is { } s)
                {
                    using var dPowers = accelerator.Allocate1D(Squarings(s.Inverse(), log));
                    Kernels.ScaleByPowers(n, dWork.View, dPowers.View, nInv, log);
                }
                else
                {
                    // log = 0 reads no powers: the twiddle buffer only stands in for the unused argument.
                    Kernels.ScaleByPowers(n, dWork.View, dTwiddles.View, nInv, 0);
                }
                Checkpoint(ct);
            }
            dWork.CopyToCPU(data);
        }
        for (int i = 0; i < n; i++) values[i] = data[i].ToFr();
    }

    private static Limbs8[] Twiddles(int log, bool inverse)
    {
        var w = Fr.RootOfUnity(log);
        if (inverse) w = w.Inverse();
        var t = new Limbs8[Math.Max(1, (1 << log) / 2)];
        var acc = Fr.One;
        for (int j = 0; j < t.Length; j++)
        {
            t[j] = Limbs8.From(acc);
            acc *= w;
        }
        return t;
    }

    /// <summary>g^(2^b) for b &lt; log: what <see cref="NttKernels.ScaleByPowers"/> multiplies together per set bit of i.</summary>
    private static Limbs8[] Squarings(Fr g, int log)
    {
        var s = new Limbs8[Math.Max(1, log)];
        for (int b = 0; b < log; b++)
        {
            s[b] = Limbs8.From(g);
            g = g.Square();
        }
        return s;
    }
}
