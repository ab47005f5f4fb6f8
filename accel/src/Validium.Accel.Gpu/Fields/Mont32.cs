using System.Runtime.CompilerServices;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Validium.Accel.Gpu;

/// <summary>
/// Montgomery arithmetic on eight 32-bit words with 64-bit products, usable inside ILGPU kernels on every
/// accelerator (no Math.BigMul, no UInt128, no arrays). Every step is written out so the words stay in
/// registers on a GPU: indexing a local array would spill to local memory.
/// Both BN254 moduli have a top word below (2^32-1)/2 - 1, so the "no-carry" CIOS variant applies
/// (the running sum never needs a ninth word), the same argument Validium.Crypto's Mont makes for 64-bit words.
/// Each x·y + s + c below is at most (2^32-1)^2 + 2(2^32-1) = 2^64-1, so no sum overflows.
/// </summary>
internal static class Mont32
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Add(Limbs8 a, Limbs8 b, Limbs8 p)
    {
        // 2p < 2^256 for both moduli, so the sum fits in eight words before the conditional subtraction.
        ulong c = (ulong)a.L0 + b.L0; uint s0 = (uint)c; c >>= 32;
        c += (ulong)a.L1 + b.L1; uint s1 = (uint)c; c >>= 32;
        c += (ulong)a.L2 + b.L2; uint s2 = (uint)c; c >>= 32;
        c += (ulong)a.L3 + b.L3; uint s3 = (uint)c; c >>= 32;
        c += (ulong)a.L4 + b.L4; uint s4 = (uint)c; c >>= 32;
        c += (ulong)a.L5 + b.L5; uint s5 = (uint)c; c >>= 32;
        c += (ulong)a.L6 + b.L6; uint s6 = (uint)c; c >>= 32;
        c += (ulong)a.L7 + b.L7; uint s7 = (uint)c;
        return ReduceOnce(new Limbs8(s0, s1, s2, s3, s4, s5, s6, s7), p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Sub(Limbs8 a, Limbs8 b, Limbs8 p)
    {
        // A wrapped 64-bit difference of 32-bit words has its top bit set: that bit is the borrow.
        ulong d = (ulong)a.L0 - b.L0; uint r0 = (uint)d; ulong br = d >> 63;
        d = (ulong)a.L1 - b.L1 - br; uint r1 = (uint)d; br = d >> 63;
        d = (ulong)a.L2 - b.L2 - br; uint r2 = (uint)d; br = d >> 63;
        d = (ulong)a.L3 - b.L3 - br; uint r3 = (uint)d; br = d >> 63;
        d = (ulong)a.L4 - b.L4 - br; uint r4 = (uint)d; br = d >> 63;
        d = (ulong)a.L5 - b.L5 - br; uint r5 = (uint)d; br = d >> 63;
        d = (ulong)a.L6 - b.L6 - br; uint r6 = (uint)d; br = d >> 63;
        d = (ulong)a.L7 - b.L7 - br; uint r7 = (uint)d; br = d >> 63;
        uint m = 0u - (uint)br; // add p back only when the subtraction wrapped
        ulong c = (ulong)r0 + (p.L0 & m); r0 = (uint)c; c >>= 32;
        c += (ulong)r1 + (p.L1 & m); r1 = (uint)c; c >>= 32;
        c += (ulong)r2 + (p.L2 & m); r2 = (uint)c; c >>= 32;
        c += (ulong)r3 + (p.L3 & m); r3 = (uint)c; c >>= 32;
        c += (ulong)r4 + (p.L4 & m); r4 = (uint)c; c >>= 32;
        c += (ulong)r5 + (p.L5 & m); r5 = (uint)c; c >>= 32;
        c += (ulong)r6 + (p.L6 & m); r6 = (uint)c; c >>= 32;
        c += (ulong)r7 + (p.L7 & m); r7 = (uint)c;
        return new Limbs8(r0, r1, r2, r3, r4, r5, r6, r7);
    }

    /// <summary>Montgomery product a·b·2^-256 mod p for a, b below p; n0 = -p^-1 mod 2^32.</summary>
    public static Limbs8 Mul(Limbs8 a, Limbs8 b, Limbs8 p, uint n0)
    {
        var t = Round(a, b.L0, default, p, n0);
        t = Round(a, b.L1, t, p, n0);
        t = Round(a, b.L2, t, p, n0);
        t = Round(a, b.L3, t, p, n0);
        t = Round(a, b.L4, t, p, n0);
        t = Round(a, b.L5, t, p, n0);
        t = Round(a, b.L6, t, p, n0);
        t = Round(a, b.L7, t, p, n0);
        return ReduceOnce(t, p);
    }

    /// <summary>One CIOS round: t = (t + x·bi + m·p) / 2^32 with m chosen to clear the low word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Limbs8 Round(Limbs8 x, uint bi, Limbs8 t, Limbs8 p, uint n0)
    {
        ulong s = MulAddWide(x.L0, bi, t.L0);
        uint u = (uint)s; ulong a = s >> 32;
        uint m = u * n0;
        ulong c = MulAddWide(m, p.L0, u) >> 32; // the low word is zero by the choice of m

        s = MulAddWide(x.L1, bi, (ulong)t.L1 + a); u = (uint)s; a = s >> 32;
        s = MulAddWide(m, p.L1, (ulong)u + c); uint r0 = (uint)s; c = s >> 32;
        s = MulAddWide(x.L2, bi, (ulong)t.L2 + a); u = (uint)s; a = s >> 32;
        s = MulAddWide(m, p.L2, (ulong)u + c); uint r1 = (uint)s; c = s >> 32;
        s = MulAddWide(x.L3, bi, (ulong)t.L3 + a); u = (uint)s; a = s >> 32;
        s = MulAddWide(m, p.L3, (ulong)u + c); uint r2 = (uint)s; c = s >> 32;
        s = MulAddWide(x.L4, bi, (ulong)t.L4 + a); u = (uint)s; a = s >> 32;
        s = MulAddWide(m, p.L4, (ulong)u + c); uint r3 = (uint)s; c = s >> 32;
        s = MulAddWide(x.L5, bi, (ulong)t.L5 + a); u = (uint)s; a = s >> 32;
        s = MulAddWide(m, p.L5, (ulong)u + c); uint r4 = (uint)s; c = s >> 32;
        s = MulAddWide(x.L6, bi, (ulong)t.L6 + a); u = (uint)s; a = s >> 32;
        s = MulAddWide(m, p.L6, (ulong)u + c); uint r5 = (uint)s; c = s >> 32;
        s = MulAddWide(x.L7, bi, (ulong)t.L7 + a); u = (uint)s; a = s >> 32;
        s = MulAddWide(m, p.L7, (ulong)u + c); uint r6 = (uint)s; c = s >> 32;
        uint r7 = (uint)(c + a);
        return new Limbs8(r0, r1, r2, r3, r4, r5, r6, r7);
    }

    /// <summary>
    /// (ulong)a·b + c. On CUDA this is one mad.wide.u32: ILGPU would otherwise widen both operands and emit a 64-bit
    /// multiply, which the GPU runs as several 32-bit ones. The branch folds away per backend at kernel compile time;
    /// the inline PTX must stay behind it because the CPU accelerator cannot execute CudaAsm.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAddWide(uint a, uint b, ulong c)
    {
        if (Accelerator.CurrentType == AcceleratorType.Cuda)
        {
            CudaAsm.Emit("mad.wide.u32 %0, %1, %2, %3;", out ulong r, a, b, c);
            return r;
        }
        return (ulong)a * b + c;
    }

    /// <summary>t - p when t ≥ p, else t; t must be below 2p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Limbs8 ReduceOnce(Limbs8 t, Limbs8 p)
    {
        ulong d = (ulong)t.L0 - p.L0; uint d0 = (uint)d; ulong br = d >> 63;
        d = (ulong)t.L1 - p.L1 - br; uint d1 = (uint)d; br = d >> 63;
        d = (ulong)t.L2 - p.L2 - br; uint d2 = (uint)d; br = d >> 63;
        d = (ulong)t.L3 - p.L3 - br; uint d3 = (uint)d; br = d >> 63;
        d = (ulong)t.L4 - p.L4 - br; uint d4 = (uint)d; br = d >> 63;
        d = (ulong)t.L5 - p.L5 - br; uint d5 = (uint)d; br = d >> 63;
        d = (ulong)t.L6 - p.L6 - br; uint d6 = (uint)d; br = d >> 63;
        d = (ulong)t.L7 - p.L7 - br; uint d7 = (uint)d; br = d >> 63;
        uint keep = 0u - (uint)br; // all ones when t < p
        return new Limbs8(
            (t.L0 & keep) | (d0 & ~keep), (t.L1 & keep) | (d1 & ~keep), (t.L2 & keep) | (d2 & ~keep), (t.L3 & keep) | (d3 & ~keep),
            (t.L4 & keep) | (d4 & ~keep), (t.L5 & keep) | (d5 & ~keep), (t.L6 & keep) | (d6 & ~keep), (t.L7 & keep) | (d7 & ~keep));
    }
}
