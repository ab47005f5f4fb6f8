using System.Numerics;
using System.Runtime.CompilerServices;

namespace Validium.Crypto;

/// <summary>
/// Variable-time EdDSA-Poseidon verification with circomlibjs verifyPoseidon's acceptance rule:
/// R8 and A on the curve, 0 ≤ S &lt; l, and S·B8 = R8 + 8·h·A with h = Poseidon(R8, A, msg). Neither R8 nor A
/// must lie in the prime-order subgroup (circomlibjs does not ask it, nor does circomlib's verifier circuit).
/// Every input is public, so digits of S and h may steer branches and table addresses; signing keeps its own
/// constant-time path (<see cref="BabyJubjub.MultiplyFixedWindow"/>).
/// <para>
/// How: 8·h·A = (h mod l)·(8A) because 8A has order dividing l (the group has order 8l), so both scalars are
/// below l &lt; 2^251. One Straus loop computes S·B8 - k·(8A) with k = h mod l: width-5 NAF digits for 8A over a
/// per-call table of its odd multiples, width-8 NAF digits for B8 over a static affine table, one shared chain
/// of 251 doublings, and the result is compared with R8 projectively (X = u·Z, Y = y·Z), so no inversion runs.
/// </para>
/// </summary>
internal static class EdDsaVerifier
{
    private const int KeyWindow = 5;
    private const int BaseWindow = 8;

    /// <summary>l as limbs (2736030358979909402780800718157159386076813972158567259200215660948447373041 ≈ 2^250.6).</summary>
    internal static readonly Limbs4 L = Limbs4.FromBigInteger(BabyJubjub.SubgroupOrder);

    /// <summary>(2i + 1)·B8 for i below 2^(BaseWindow - 2), affine, in the a = -1 form.</summary>
    internal static readonly EdNiels[] BaseTable = OddMultiples(MinusOneEdwards.FromAffine(BabyJubjub.Base8), 1 << (BaseWindow - 2));

    public static bool Verify(Fr message, EdDsaSignature signature, BabyJubjubPoint publicKey)
    {
        if (!TryScalar(signature.S, out var s)) return false;
        if (!signature.R8.IsOnCurve || !publicKey.IsOnCurve) return false;
        var h = Challenge(signature.R8, publicKey, message);
        var p = MultiplyAndSubtract(s, ReduceModL(h.ToCanonical()), MinusOneEdwards.FromAffine(publicKey));
        return p.Equals(MinusOneEdwards.C * signature.R8.X, signature.R8.Y);
    }

    public static Fr Challenge(BabyJubjubPoint r8, BabyJubjubPoint a, Fr message)
    {
        Span<Fr> inputs = [r8.X, r8.Y, a.X, a.Y, message];
        return Poseidon.Hash(inputs);
    }

    /// <summary>S as limbs when 0 ≤ S &lt; l; false otherwise (the range check that stops S + l malleability).</summary>
    public static bool TryScalar(BigInteger s, out Limbs4 limbs)
    {
        limbs = default;
        if (s.Sign < 0 || s >= BabyJubjub.SubgroupOrder) return false;
        limbs = Limbs4.FromBigInteger(s);
        return true;
    }

    /// <summary>v mod l for a field element's canonical value v &lt; r: at most seven subtractions, as r &lt; 8l.</summary>
    public static Limbs4 ReduceModL(Limbs4 v)
    {
        while (!IsBelow(v, L)) v = Subtract(v, L);
        return v;
    }

    /// <summary>s·B8 - k·(8A) for s, k below 2^251, as (X : Y : Z) in the a = -1 form.</summary>
    internal static EdProjective MultiplyAndSubtract(in Limbs4 s, in Limbs4 k, in EdExtended a)
    {
        Span<sbyte> sDigits = stackalloc sbyte[256];
        Span<sbyte> kDigits = stackalloc sbyte[256];
        int top = Math.Max(Naf(s, BaseWindow, sDigits), Naf(k, KeyWindow, kDigits));

        var a8 = Times8(a);
        Span<EdCached> keyTable = stackalloc EdCached[1 << (KeyWindow - 2)];
        FillOddMultiples(a8, keyTable);

        var baseTable = BaseTable;
        var p = EdProjective.Identity;
        for (int i = top - 1; i >= 0; i--)
        {
            var r = MinusOneEdwards.Double(p);
            int dk = kDigits[i];
            if (dk != 0)
            {
                var e = r.ToExtended();
                r = dk > 0 ? MinusOneEdwards.Sub(e, keyTable[dk >> 1]) : MinusOneEdwards.Add(e, keyTable[-dk >> 1]);
            }
            int ds = sDigits[i];
            if (ds != 0)
            {
                var e = r.ToExtended();
                r = ds > 0 ? MinusOneEdwards.Add(e, baseTable[ds >> 1]) : MinusOneEdwards.Sub(e, baseTable[-ds >> 1]);
            }
            p = r.ToProjective();
        }
        return p;
    }

    private static EdExtended Times8(in EdExtended a)
    {
        var p = MinusOneEdwards.Double(a.ToProjective()).ToProjective();
        p = MinusOneEdwards.Double(p).ToProjective();
        return MinusOneEdwards.Double(p).ToExtended();
    }

    /// <summary>table[i] = (2i + 1)·p.</summary>
    private static void FillOddMultiples(in EdExtended p, Span<EdCached> table)
    {
        var twice = MinusOneEdwards.Double(p.ToProjective()).ToExtended().ToCached();
        var odd = p;
        table[0] = p.ToCached();
        for (int i = 1; i < table.Length; i++)
        {
            odd = MinusOneEdwards.Add(odd, twice).ToExtended();
            table[i] = odd.ToCached();
        }
    }

    private static EdNiels[] OddMultiples(in EdExtended p, int count)
    {
        var table = new EdNiels[count];
        var odd = p;
        var twice = MinusOneEdwards.Double(p.ToProjective()).ToExtended().ToCached();
        for (int i = 0; i < count; i++)
        {
            table[i] = EdNiels.FromProjective(odd.ToProjective());
            odd = MinusOneEdwards.Add(odd, twice).ToExtended();
        }
        return table;
    }

    /// <summary>
    /// Width-w non-adjacent form of k &lt; 2^251 (curve25519-dalek's recoding): odd digits in (-2^(w-1), 2^(w-1)),
    /// at least w - 1 zeros after each, k = Σ digits[i]·2^i. Returns one past the highest nonzero digit.
    /// </summary>
    internal static int Naf(in Limbs4 k, int w, Span<sbyte> digits)
    {
        digits.Clear();
        Span<ulong> x = [k.L0, k.L1, k.L2, k.L3, 0];
        ulong width = 1UL << w, mask = width - 1;
        ulong carry = 0;
        int top = 0;
        for (int pos = 0; pos < 256;)
        {
            int idx = pos >> 6, bit = pos & 63;
            ulong buffer = bit < 64 - w ? x[idx] >> bit : (x[idx] >> bit) | (x[idx + 1] << (64 - bit));
            ulong window = carry + (buffer & mask);
            if ((window & 1) == 0)
            {
                pos++;
                continue;
            }
            if (window < width / 2)
            {
                carry = 0;
                digits[pos] = (sbyte)window;
            }
            else
            {
                carry = 1;
                digits[pos] = (sbyte)((long)window - (long)width);
            }
            top = pos + 1;
            pos += w;
        }
        return top;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsBelow(in Limbs4 a, in Limbs4 b) =>
        a.L3 != b.L3 ? a.L3 < b.L3 : a.L2 != b.L2 ? a.L2 < b.L2 : a.L1 != b.L1 ? a.L1 < b.L1 : a.L0 < b.L0;

    private static Limbs4 Subtract(in Limbs4 a, in Limbs4 b)
    {
        UInt128 d0 = (UInt128)a.L0 - b.L0;
        UInt128 d1 = (UInt128)a.L1 - b.L1 - (ulong)(d0 >> 127);
        UInt128 d2 = (UInt128)a.L2 - b.L2 - (ulong)(d1 >> 127);
        UInt128 d3 = (UInt128)a.L3 - b.L3 - (ulong)(d2 >> 127);
        return new Limbs4((ulong)d0, (ulong)d1, (ulong)d2, (ulong)d3);
    }
}
