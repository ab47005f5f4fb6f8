using System.Numerics;

namespace Validium.Crypto;

/// <summary>
/// BabyJubjub: the twisted Edwards curve a*x^2 + y^2 = 1 + d*x^2*y^2 over the BN254 scalar field (EIP-2494),
/// with circomlibjs' generator, Base8 and packing format.
/// </summary>
public static class BabyJubjub
{
    public static readonly Fr A = 168700;
    public static readonly Fr D = 168696;

    /// <summary>Number of points on the curve: 8 * SubgroupOrder.</summary>
    public static readonly BigInteger Order = BigInteger.Parse("21888242871839275222246405745257275088614511777268538073601725287587578984328");

    /// <summary>l, the prime order of the subgroup Base8 generates (circomlibjs' subOrder).</summary>
    public static readonly BigInteger SubgroupOrder = Order >> 3;

    /// <summary>Generator of the whole group (order 8l).</summary>
    public static readonly BabyJubjubPoint Generator = new(
        Fr.Parse("995203441582195749578291179787384436505546430278305826713579947235728471134"),
        Fr.Parse("5472060717959818805561601436314318772137091100104008585924551046643952123905"));

    /// <summary>8 * Generator: generates the prime-order subgroup; EdDSA keys and nonces are multiples of it.</summary>
    public static readonly BabyJubjubPoint Base8 = new(
        Fr.Parse("5299619240641551281634865583518297030282874472190772894086521144482721001553"),
        Fr.Parse("16950150798460657717958625567821834550301663161624707787222815936182638968203"));

    private static readonly BigInteger HalfModulus = (Fr.Modulus - 1) / 2;
    private const int WindowBits = 4;

    public static bool IsOnCurve(BabyJubjubPoint p)
    {
        var x2 = p.X.Square();
        var y2 = p.Y.Square();
        return A * x2 + y2 == Fr.One + D * x2 * y2;
    }

    /// <summary>
    /// Order dividing 8 (8·p is the identity; for p on the curve 8·p lies in the prime-order subgroup, so x = 0
    /// there means the identity): the keys circomlib's EdDSAPoseidonVerifier refuses. Three projective doublings.
    /// </summary>
    public static bool IsSmallOrder(BabyJubjubPoint p) => ExtendedPoint.FromAffine(p).Double().Double().Double().X.IsZero;

    /// <summary>On the curve and of order dividing l (what keys and signature points must satisfy).</summary>
    public static bool IsInSubgroup(BabyJubjubPoint p) => IsOnCurve(p) && Multiply(p, SubgroupOrder).IsIdentity;

    public static BabyJubjubPoint Add(BabyJubjubPoint p, BabyJubjubPoint q)
    {
        RequireOnCurve(p, nameof(p));
        RequireOnCurve(q, nameof(q));
        return ExtendedPoint.Add(ExtendedPoint.FromAffine(p), ExtendedPoint.FromAffine(q)).ToAffine();
    }

    public static BabyJubjubPoint Negate(BabyJubjubPoint p) => new(-p.X, p.Y);

    /// <summary>
    /// k * p for any integer k (negative ones too). Every curve point's order divides <see cref="Order"/>, so k is
    /// reduced modulo it first; the multiplication itself runs the same steps for every k of that size.
    /// </summary>
    public static BabyJubjubPoint Multiply(BabyJubjubPoint p, BigInteger k)
    {
        RequireOnCurve(p, nameof(p));
        k %= Order;
        if (k.Sign < 0) k += Order;
        return MultiplyFixedWindow(ExtendedPoint.FromAffine(p), Limbs4.FromBigInteger(k)).ToAffine();
    }

    public static BabyJubjubPoint MultiplyBase8(BigInteger k) => Multiply(Base8, k);

    /// <summary>
    /// Fixed 4-bit windows over all 256 bits of k: 252 doublings and 64 additions whatever k is, and each
    /// table entry is picked by scanning the whole table with masks, so the digits of a secret k steer
    /// neither a branch nor a memory address.
    /// </summary>
    internal static ExtendedPoint MultiplyFixedWindow(in ExtendedPoint p, in Limbs4 k)
    {
        const int tableSize = 1 << WindowBits;
        Span<ExtendedPoint> table = stackalloc ExtendedPoint[tableSize];
        table[0] = ExtendedPoint.Identity;
        for (int i = 1; i < tableSize; i++) table[i] = ExtendedPoint.Add(table[i - 1], p);

        var acc = ExtendedPoint.Identity;
        for (int w = 256 / WindowBits - 1; w >= 0; w--)
        {
            for (int i = 0; i < WindowBits; i++) acc = acc.Double();
            int bit = w * WindowBits;
            int digit = (int)((k[bit >> 6] >> (bit & 63)) & (tableSize - 1));
            var entry = ExtendedPoint.Identity;
            for (int i = 0; i < tableSize; i++)
            {
                // All ones exactly when i == digit: (i ^ digit) - 1 is negative only for zero.
                ulong mask = (ulong)((long)(i ^ digit) - 1 >> 63);
                entry = ExtendedPoint.ConditionalSelect(mask, table[i], entry);
            }
            acc = ExtendedPoint.Add(acc, entry);
        }
        return acc;
    }

    /// <summary>
    /// circomlibjs packPoint: y as 32 little-endian bytes, with the top bit of the last byte set when
    /// x is "negative" (above (p-1)/2).
    /// </summary>
    public static byte[] Pack(BabyJubjubPoint p)
    {
        var buffer = new byte[32];
        Pack(p, buffer);
        return buffer;
    }

    public static void Pack(BabyJubjubPoint p, Span<byte> destination)
    {
        p.Y.ToCanonical().WriteLittleEndian(destination);
        if (p.X.ToBigInteger() > HalfModulus) destination[31] |= 0x80;
    }

    /// <summary>
    /// circomlibjs unpackPoint: recovers x from y and the sign bit. Like circomlibjs it refuses encodings
    /// whose x would be zero (the identity and (0, -1)); unlike it, it also refuses a y at or above the
    /// modulus instead of reducing it, so every point has exactly one accepted encoding.
    /// </summary>
    public static bool TryUnpack(ReadOnlySpan<byte> packed, out BabyJubjubPoint point)
    {
        point = default;
        if (packed.Length != 32) return false;
        Span<byte> yBytes = stackalloc byte[32];
        packed.CopyTo(yBytes);
        bool negative = (yBytes[31] & 0x80) != 0;
        yBytes[31] &= 0x7f;
        var yLimbs = Limbs4.ReadLittleEndian(yBytes);
        if (!Mont<FrModulus>.IsCanonical(yLimbs)) return false;
        var y = Fr.FromCanonical(yLimbs);
        var y2 = y.Square();
        var x2 = (Fr.One - y2) / (A - D * y2);
        if (x2.IsZero || !x2.TrySqrt(out var x)) return false;
        if (x.ToBigInteger() > HalfModulus) x = -x;
        if (negative) x = -x;
        point = new BabyJubjubPoint(x, y);
        return true;
    }

    public static BabyJubjubPoint Unpack(ReadOnlySpan<byte> packed) =>
        TryUnpack(packed, out var p) ? p : throw new FormatException("not a packed BabyJubjub point");

    private static void RequireOnCurve(BabyJubjubPoint p, string name)
    {
        if (!IsOnCurve(p)) throw new ArgumentException("point is not on BabyJubjub", name);
    }
}
