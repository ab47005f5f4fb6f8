using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

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
    private static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c = Bit(s < a);
        ulong r = s + carry;
        carry = c | Bit(r < s);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong w = Bit(a < b);
        ulong r = d - borrow;
        borrow = w | Bit(d < borrow);
        return r;
    }

    /// <summary>
    /// A comparison as 0 or 1. Reinterpreting the bool makes the JIT emit a flag-to-register move (setcc)
    /// rather than a branch; this is cheaper than deriving the carry from sign bits and equally branch-free.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bit(bool b) => Unsafe.BitCast<bool, byte>(b);

    /// <summary>Low word of a*b + c + carry; the high word goes to carry. Cannot overflow 128 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAdd(ulong a, ulong b, ulong c, ref ulong carry)
    {
        ulong hi, lo;
        if (Bmi2.X64.IsSupported)
        {
            // Math.BigMul's low half goes through a stack slot; a second multiply is cheaper than that round trip.
            hi = Bmi2.X64.MultiplyNoFlags(a, b);
            lo = a * b;
        }
        else hi = Math.BigMul(a, b, out lo);
        ulong c0 = 0;
        lo = AddCarry(lo, c, ref c0);
        hi += c0;
        c0 = 0;
        lo = AddCarry(lo, carry, ref c0);
        carry = hi + c0;
        return lo;
    }

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ulong bi, in Limbs4 x, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3)
    {
        var q = TP.Modulus;
        ulong a = 0, c = 0;
        t0 = MulAdd(x.L0, bi, t0, ref a);
        ulong m = t0 * TP.NegInv;
        MulAdd(m, q.L0, t0, ref c); // low word is zero by the choice of m
        t1 = MulAdd(x.L1, bi, t1, ref a);
        t0 = MulAdd(m, q.L1, t1, ref c);
        t2 = MulAdd(x.L2, bi, t2, ref a);
        t1 = MulAdd(m, q.L2, t2, ref c);
        t3 = MulAdd(x.L3, bi, t3, ref a);
        t2 = MulAdd(m, q.L3, t3, ref c);
        t3 = c + a;
    }

    /// <summary>Montgomery product a*b/R mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs4 Mul(in Limbs4 a, in Limbs4 b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        Round(b.L0, a, ref t0, ref t1, ref t2, ref t3);
        Round(b.L1, a, ref t0, ref t1, ref t2, ref t3);
        Round(b.L2, a, ref t0, ref t1, ref t2, ref t3);
        Round(b.L3, a, ref t0, ref t1, ref t2, ref t3);
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
