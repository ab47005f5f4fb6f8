using System.Runtime.CompilerServices;

namespace Validium.Crypto;

/// <summary>
/// Field inversion by the binary extended Euclidean algorithm: about 3 µs where Fermat's a^(p-2) takes 21 µs,
/// but its running time depends on the value. Only for values whose timing reveals nothing worth hiding or
/// where the caller accepts it: the batch-affine additions of MSM (as snarkjs's ffjavascript, arkworks and
/// gnark do), never signing.
/// </summary>
public static class VartimeInverse<TP> where TP : struct, IModulus
{
    /// <summary>R³ mod p: Montgomery-multiplying (aR)⁻¹ by it gives a⁻¹R.</summary>
    private static readonly Limbs4 R3 = Mont<TP>.Mul(TP.R2, TP.R2);

    /// <summary>Montgomery-form inverse of a Montgomery-form value below p; zero maps to zero.</summary>
    public static Limbs4 Invert(in Limbs4 aMont)
    {
        if (aMont.IsZero) return aMont;
        var p = TP.Modulus;
        // Invariants: x1·a ≡ u and x2·a ≡ v (mod p); gcd(u, v) = 1 throughout, so one of them reaches 1.
        U u = new(aMont), v = new(p), x1 = new(new Limbs4(1, 0, 0, 0)), x2 = default, pp = new(p);
        while (!u.IsOne && !v.IsOne)
        {
            while (u.IsEven)
            {
                u.ShiftRight1();
                x1.HalveMod(pp);
            }
            while (v.IsEven)
            {
                v.ShiftRight1();
                x2.HalveMod(pp);
            }
            if (u.AtLeast(v))
            {
                u.Sub(v);
                x1.SubMod(x2, pp);
            }
            else
            {
                v.Sub(u);
                x2.SubMod(x1, pp);
            }
        }
        var inv = u.IsOne ? x1 : x2;
        return Mont<TP>.Mul(inv.ToLimbs(), R3);
    }

    /// <summary>A mutable 256-bit value; p &lt; 2^254, so x + p never overflows for x &lt; p.</summary>
    private struct U(Limbs4 v)
    {
        private ulong a0 = v.L0, a1 = v.L1, a2 = v.L2, a3 = v.L3;

        public readonly bool IsEven => (a0 & 1) == 0;
        public readonly bool IsOne => a0 == 1 && (a1 | a2 | a3) == 0;
        public readonly Limbs4 ToLimbs() => new(a0, a1, a2, a3);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ShiftRight1()
        {
            a0 = (a0 >> 1) | (a1 << 63);
            a1 = (a1 >> 1) | (a2 << 63);
            a2 = (a2 >> 1) | (a3 << 63);
            a3 >>= 1;
        }

        public readonly bool AtLeast(in U o) =>
            a3 != o.a3 ? a3 > o.a3 : a2 != o.a2 ? a2 > o.a2 : a1 != o.a1 ? a1 > o.a1 : a0 >= o.a0;

        /// <summary>this -= o; returns the borrow out.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Sub(in U o)
        {
            ulong b = 0;
            a0 = Mont<TP>.SubBorrow(a0, o.a0, ref b);
            a1 = Mont<TP>.SubBorrow(a1, o.a1, ref b);
            a2 = Mont<TP>.SubBorrow(a2, o.a2, ref b);
            a3 = Mont<TP>.SubBorrow(a3, o.a3, ref b);
            return b;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Add(in U o)
        {
            ulong c = 0;
            a0 = Mont<TP>.AddCarry(a0, o.a0, ref c);
            a1 = Mont<TP>.AddCarry(a1, o.a1, ref c);
            a2 = Mont<TP>.AddCarry(a2, o.a2, ref c);
            a3 = Mont<TP>.AddCarry(a3, o.a3, ref c);
        }

        /// <summary>this = this/2 mod p for this &lt; p: odd values get p added first, which keeps the sum below 2^255.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void HalveMod(in U p)
        {
            if (!IsEven) Add(p);
            ShiftRight1();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void SubMod(in U o, in U p)
        {
            if (Sub(o) != 0) Add(p);
        }
    }
}
