using ILGPU;

namespace Validium.Accel.Gpu;

/// <summary>
/// Iterative radix-2 Cooley–Tukey over Fr: a bit-reversal permutation, then log n butterfly stages,
/// each its own launch (the launch boundary is the global barrier between stages).
/// </summary>
internal static class NttKernels
{
    /// <summary>dst[bitreverse(i)] = src[i] over log bits (out of place, so no thread reads a slot another writes).</summary>
    public static void BitReverse(Index1D i, ArrayView<Limbs8> src, ArrayView<Limbs8> dst, int log)
    {
        int v = i;
        int r = 0;
        for (int b = 0; b < log; b++)
        {
            r = (r << 1) | (v & 1);
            v >>= 1;
        }
        dst[r] = src[i];
    }

    /// <summary>
    /// One stage with butterflies of span half: thread k pairs j = k mod half inside group k / half and uses
    /// twiddles[j·stride] = ω^(j·n/(2·half)), where twiddles holds ω^0 .. ω^(n/2 − 1).
    /// </summary>
    public static void Butterfly(Index1D k, ArrayView<Limbs8> data, ArrayView<Limbs8> twiddles, int half, int stride)
    {
        int group = k / half;
        int j = k - group * half;
        int i0 = group * 2 * half + j;
        int i1 = i0 + half;
        var u = data[i0];
        var v = FrDevice.Mul(data[i1], twiddles[j * stride]);
        data[i0] = FrDevice.Add(u, v);
        data[i1] = FrDevice.Sub(u, v);
    }

    /// <summary>
    /// data[i] *= scale · g^i, with g^i assembled from squarings[b] = g^(2^b) over the bits of i: log n products per
    /// element on the device instead of n sequential ones on the host. Used for coset shifts and the 1/n of the inverse.
    /// </summary>
    public static void ScaleByPowers(Index1D i, ArrayView<Limbs8> data, ArrayView<Limbs8> squarings, Limbs8 scale, int log)
    {
        var f = scale;
        for (int b = 0; b < log; b++)
        {
            if (((i >> b) & 1) != 0) f = FrDevice.Mul(f, squarings[b]);
        }
        data[i] = FrDevice.Mul(data[i], f);
    }
}
