using System.Runtime.CompilerServices;

namespace Validium.Crypto;

/// <summary>
/// Branch-free Montgomery arithmetic on four 64-bit limbs, shared by every 4-limb field.
/// Both BN254 moduli have a top limb below (2^64-1)/2 - 1, which lets <see cref="Mul"/> use the
/// "no-carry" CIOS variant (one carry word fewer per round), as gnark-crypto does.
/// Every function is constant-time in its operands: carries and selections are bit arithmetic.
/// </summary>
public static class Mont<TP> where TP : struct, IModulus
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b + carry;
        carry = ((a & b) | ((a | b) & ~s)) >> 63;
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SubBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b - borrow;
        borrow = ((~a & b) | (~(a ^ b) & d)) >> 63;
        return d;
    }

    /// <summary>
    /// High word of a 64×64 product. Math.BigMul returns the low word through memory on x64, and that
    /// store/reload sits on the multiply's critical path; a second plain multiply for the low word is cheaper.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulHigh(ulong a, ulong b) =>
        System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported ? System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);

    /// <summary>a - p if a >= p, else a; a must be below 2p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Limbs4 Reduce(ulong t0, ulong t1, ulong t2, ulong t3)
    {
        var q = TP.Modulus;
        ulong b = 0;
        ulong d0 = SubBorrow(t0, q.L0, ref b);
        ulong d1 = SubBorrow(t1, q.L1, ref b);
        ulong d2 = SubBorrow(t2, q.L2, ref b);
        ulong d3 = SubBorrow(t3, q.L3, ref b);
        ulong keep = 0 - b; // all ones when t < p
        return new Limbs4((t0 & keep) | (d0 & ~keep), (t1 & keep) | (d1 & ~keep), (t2 & keep) | (d2 & ~keep), (t3 & keep) | (d3 & ~keep));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs4 Add(in Limbs4 a, in Limbs4 b)
    {
        // 2p < 2^256 for both BN254 moduli, so the sum never leaves four limbs.
        ulong c = 0;
        ulong s0 = AddCarry(a.L0, b.L0, ref c);
        ulong s1 = AddCarry(a.L1, b.L1, ref c);
        ulong s2 = AddCarry(a.L2, b.L2, ref c);
        ulong s3 = AddCarry(a.L3, b.L3, ref c);
        return Reduce(s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs4 Sub(in Limbs4 a, in Limbs4 b)
    {
        var q = TP.Modulus;
        ulong br = 0;
        ulong d0 = SubBorrow(a.L0, b.L0, ref br);
        ulong d1 = SubBorrow(a.L1, b.L1, ref br);
        ulong d2 = SubBorrow(a.L2, b.L2, ref br);
        ulong d3 = SubBorrow(a.L3, b.L3, ref br);
        ulong m = 0 - br; // add p back only when the subtraction wrapped
        ulong c = 0;
        d0 = AddCarry(d0, q.L0 & m, ref c);
        d1 = AddCarry(d1, q.L1 & m, ref c);
        d2 = AddCarry(d2, q.L2 & m, ref c);
        d3 = AddCarry(d3, q.L3 & m, ref c);
        return new Limbs4(d0, d1, d2, d3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs4 Neg(in Limbs4 a)
    {
        var q = TP.Modulus;
        ulong nz = 0 - (((a.L0 | a.L1 | a.L2 | a.L3) | (0 - (a.L0 | a.L1 | a.L2 | a.L3))) >> 63);
        ulong br = 0;
        ulong d0 = SubBorrow(q.L0, a.L0, ref br);
        ulong d1 = SubBorrow(q.L1, a.L1, ref br);
        ulong d2 = SubBorrow(q.L2, a.L2, ref br);
        ulong d3 = SubBorrow(q.L3, a.L3, ref br);
        return new Limbs4(d0 & nz, d1 & nz, d2 & nz, d3 & nz);
    }

    /// <summary>
    /// Montgomery product a*b/R mod p. Written out with the carries spelled out rather than helper calls:
    /// the JIT's inlining budget runs out on sixty-odd nested helpers, and every helper left as a call
    /// spills the accumulator to memory (a tenfold slowdown, measured). Unrolled: the four-iteration loop
    /// measured about 15% slower with or without the reordering below. Each low product is taken before its
    /// high word because in the other order the JIT fuses m·qk into one MULX whose low half makes a round
    /// trip through the stack.
    /// </summary>
    public static Limbs4 Mul(in Limbs4 a, in Limbs4 b)
    {
        var q = TP.Modulus;
        ulong inv = TP.NegInv;
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3;
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        ulong bi, m, hi, lo, s, carryA, carryC;

        bi = b.L0;
        // (A, t0) = t0 + a0·bi
        lo = a0 * bi; hi = MulHigh(a0, bi); s = lo + t0; hi += s < lo ? 1UL : 0UL; t0 = s; carryA = hi;
        m = t0 * inv;
        // C = high(t0 + m·q0): the low word m·q0 is -t0 mod 2^64, so the addition carries exactly when t0 != 0
        carryC = MulHigh(m, q.L0) + (t0 != 0 ? 1UL : 0UL);
        // (A, tk) = tk + ak·bi + A ; (C, tk-1) = tk + m·qk + C
        lo = a1 * bi; hi = MulHigh(a1, bi); s = lo + t1; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t1 = lo; carryA = hi;
        lo = m * q.L1; hi = MulHigh(m, q.L1); s = lo + t1; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t0 = lo; carryC = hi;
        lo = a2 * bi; hi = MulHigh(a2, bi); s = lo + t2; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t2 = lo; carryA = hi;
        lo = m * q.L2; hi = MulHigh(m, q.L2); s = lo + t2; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t1 = lo; carryC = hi;
        lo = a3 * bi; hi = MulHigh(a3, bi); s = lo + t3; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t3 = lo; carryA = hi;
        lo = m * q.L3; hi = MulHigh(m, q.L3); s = lo + t3; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t2 = lo; carryC = hi;
        t3 = carryA + carryC;

        bi = b.L1;
        lo = a0 * bi; hi = MulHigh(a0, bi); s = lo + t0; hi += s < lo ? 1UL : 0UL; t0 = s; carryA = hi;
        m = t0 * inv;
        carryC = MulHigh(m, q.L0) + (t0 != 0 ? 1UL : 0UL);
        lo = a1 * bi; hi = MulHigh(a1, bi); s = lo + t1; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t1 = lo; carryA = hi;
        lo = m * q.L1; hi = MulHigh(m, q.L1); s = lo + t1; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t0 = lo; carryC = hi;
        lo = a2 * bi; hi = MulHigh(a2, bi); s = lo + t2; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t2 = lo; carryA = hi;
        lo = m * q.L2; hi = MulHigh(m, q.L2); s = lo + t2; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t1 = lo; carryC = hi;
        lo = a3 * bi; hi = MulHigh(a3, bi); s = lo + t3; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t3 = lo; carryA = hi;
        lo = m * q.L3; hi = MulHigh(m, q.L3); s = lo + t3; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t2 = lo; carryC = hi;
        t3 = carryA + carryC;

        bi = b.L2;
        lo = a0 * bi; hi = MulHigh(a0, bi); s = lo + t0; hi += s < lo ? 1UL : 0UL; t0 = s; carryA = hi;
        m = t0 * inv;
        carryC = MulHigh(m, q.L0) + (t0 != 0 ? 1UL : 0UL);
        lo = a1 * bi; hi = MulHigh(a1, bi); s = lo + t1; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t1 = lo; carryA = hi;
        lo = m * q.L1; hi = MulHigh(m, q.L1); s = lo + t1; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t0 = lo; carryC = hi;
        lo = a2 * bi; hi = MulHigh(a2, bi); s = lo + t2; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t2 = lo; carryA = hi;
        lo = m * q.L2; hi = MulHigh(m, q.L2); s = lo + t2; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t1 = lo; carryC = hi;
        lo = a3 * bi; hi = MulHigh(a3, bi); s = lo + t3; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t3 = lo; carryA = hi;
        lo = m * q.L3; hi = MulHigh(m, q.L3); s = lo + t3; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t2 = lo; carryC = hi;
        t3 = carryA + carryC;

        bi = b.L3;
        lo = a0 * bi; hi = MulHigh(a0, bi); s = lo + t0; hi += s < lo ? 1UL : 0UL; t0 = s; carryA = hi;
        m = t0 * inv;
        carryC = MulHigh(m, q.L0) + (t0 != 0 ? 1UL : 0UL);
        lo = a1 * bi; hi = MulHigh(a1, bi); s = lo + t1; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t1 = lo; carryA = hi;
        lo = m * q.L1; hi = MulHigh(m, q.L1); s = lo + t1; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t0 = lo; carryC = hi;
        lo = a2 * bi; hi = MulHigh(a2, bi); s = lo + t2; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t2 = lo; carryA = hi;
        lo = m * q.L2; hi = MulHigh(m, q.L2); s = lo + t2; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t1 = lo; carryC = hi;
        lo = a3 * bi; hi = MulHigh(a3, bi); s = lo + t3; hi += s < lo ? 1UL : 0UL; lo = s + carryA; hi += lo < s ? 1UL : 0UL; t3 = lo; carryA = hi;
        lo = m * q.L3; hi = MulHigh(m, q.L3); s = lo + t3; hi += s < lo ? 1UL : 0UL; lo = s + carryC; hi += lo < s ? 1UL : 0UL; t2 = lo; carryC = hi;
        t3 = carryA + carryC;
        return Reduce(t0, t1, t2, t3);
    }

    public static Limbs4 ToMontgomery(in Limbs4 canonical) => Mul(canonical, TP.R2);

    public static Limbs4 FromMontgomery(in Limbs4 mont) => Mul(mont, new Limbs4(1, 0, 0, 0));

    /// <summary>Canonical value strictly below the modulus (variable time: only for validating public input).</summary>
    public static bool IsCanonical(in Limbs4 v)
    {
        var q = TP.Modulus;
        ulong b = 0;
        SubBorrow(v.L0, q.L0, ref b);
        SubBorrow(v.L1, q.L1, ref b);
        SubBorrow(v.L2, q.L2, ref b);
        SubBorrow(v.L3, q.L3, ref b);
        return b == 1;
    }

    /// <summary>base^e for a public exponent e (the exponent's bits steer the loop, the base's never do).</summary>
    public static Limbs4 Pow(in Limbs4 baseMont, in Limbs4 e)
    {
        var r = TP.One;
        for (int i = e.BitLength - 1; i >= 0; i--)
        {
            r = Mul(r, r);
            if (e.Bit(i) == 1) r = Mul(r, baseMont);
        }
        return r;
    }

    /// <summary>Inverse by Fermat (a^(p-2)); zero maps to zero.</summary>
    public static Limbs4 Inverse(in Limbs4 a)
    {
        var q = TP.Modulus;
        ulong b = 0;
        var e = new Limbs4(SubBorrow(q.L0, 2, ref b), SubBorrow(q.L1, 0, ref b), SubBorrow(q.L2, 0, ref b), SubBorrow(q.L3, 0, ref b));
        return Pow(a, e);
    }
}
