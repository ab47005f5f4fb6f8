using System.Runtime.InteropServices;
using V = Validium.Crypto.FieldVec8<Validium.Crypto.FrModulus>;

namespace Validium.Crypto;

/// <summary>
/// Radix-2 NTT butterflies eight at a time for the CPU NTT. The data stay scaled by 2^-5 between gather and
/// scatter (see GatherScaled): a butterfly is linear in u and v, so only the twiddles need converting, once
/// per stage.
/// </summary>
public static class FrButterflies8
{
    public const int Count = V.Count;

    public static bool IsAccelerated => FieldVec8.IsAccelerated;

    /// <summary>twiddles[j·stride] for j = 0 .. halfLen - 1, eight per vector; halfLen is a multiple of eight.</summary>
    public static V[] StageTwiddles(ReadOnlySpan<Fr> twiddles, int halfLen, int stride)
    {
        if (halfLen % Count != 0) throw new ArgumentException($"half length {halfLen} is not a multiple of {Count}", nameof(halfLen));
        var limbs = MemoryMarshal.Cast<Fr, Limbs4>(twiddles);
        var r = new V[halfLen / Count];
        for (int g = 0; g < r.Length; g++) r[g] = V.Gather(limbs, g * Count * stride, stride);
        return r;
    }

    /// <summary>
    /// In one block of length 2·halfLen, for vectors g in [from, to): (u, v) at j = 8g .. 8g + 7 and j + halfLen
    /// become (u + w·v, u - w·v) with w the stage twiddles.
    /// </summary>
    public static void Run(Span<Fr> block, int halfLen, ReadOnlySpan<V> twiddles, int from, int to)
    {
        var limbs = MemoryMarshal.Cast<Fr, Limbs4>(block);
        for (int g = from; g < to; g++)
        {
            int j = g * Count;
            var u = V.GatherScaled(limbs, j, 1);
            var v = V.Mul(V.GatherScaled(limbs, j + halfLen, 1), twiddles[g]);
            V.Add(u, v).ScatterScaled(limbs, j, 1);
            V.Sub(u, v).ScatterScaled(limbs, j + halfLen, 1);
        }
    }

    /// <summary>
    /// The first stages, whose half-blocks are shorter than eight: lane e takes block 8g + e (a stride of one
    /// block length), and each position j in a half-block shares one broadcast twiddle, skipped when it is one.
    /// The data length must be a multiple of eight blocks.
    /// </summary>
    public static void RunAcrossBlocks(Span<Fr> data, int halfLen, ReadOnlySpan<V.Scalar> twiddles, int fromGroup, int toGroup)
    {
        var limbs = MemoryMarshal.Cast<Fr, Limbs4>(data);
        int len = 2 * halfLen;
        for (int g = fromGroup; g < toGroup; g++)
        {
            int start = g * Count * len;
            for (int j = 0; j < halfLen; j++)
            {
                var u = V.GatherScaled(limbs, start + j, len);
                var v = V.GatherScaled(limbs, start + j + halfLen, len);
                if (j > 0) v = V.Mul(v, twiddles[j]);
                V.Add(u, v).ScatterScaled(limbs, start + j, len);
                V.Sub(u, v).ScatterScaled(limbs, start + j + halfLen, len);
            }
        }
    }

    /// <summary>data[i] *= first·step^(i - start) for i in [start, end); end - start is a multiple of eight.</summary>
    public static void ScaleByPowers(Span<Fr> data, int start, int end, Fr first, Fr step)
    {
        var limbs = MemoryMarshal.Cast<Fr, Limbs4>(data);
        Span<Fr> lane = stackalloc Fr[Count];
        lane[0] = first;
        for (int e = 1; e < Count; e++) lane[e] = lane[e - 1] * step;
        var powers = FieldVec8.Load(lane);
        var stride = new V.Scalar(step.Pow(Count).MontgomeryLimbs);
        for (int i = start; i < end; i += Count)
        {
            V.Mul(V.GatherScaled(limbs, i, 1), powers).ScatterScaled(limbs, i, 1);
            powers = V.Mul(powers, stride);
        }
    }
}
