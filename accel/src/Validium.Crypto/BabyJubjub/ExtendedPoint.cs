using System.Runtime.CompilerServices;

namespace Validium.Crypto;

/// <summary>
/// Extended twisted Edwards coordinates (X : Y : Z : T) with x = X/Z, y = Y/Z, T = XY/Z (Hisil et al. 2008):
/// no inversions inside scalar multiplication. Because BabyJubjub's a is a square and d is not, the
/// addition law is complete: one formula for every pair of points, with no exceptional-case branches.
/// </summary>
internal readonly struct ExtendedPoint
{
    public readonly Fr X, Y, Z, T;

    public ExtendedPoint(Fr x, Fr y, Fr z, Fr t)
    {
        X = x; Y = y; Z = z; T = t;
    }

    public static ExtendedPoint Identity => new(Fr.Zero, Fr.One, Fr.One, Fr.Zero);

    public static ExtendedPoint FromAffine(BabyJubjubPoint p) => new(p.X, p.Y, Fr.One, p.X * p.Y);

    public BabyJubjubPoint ToAffine()
    {
        var zInv = Z.Inverse();
        return new BabyJubjubPoint(X * zInv, Y * zInv);
    }

    /// <summary>add-2008-hwcd (unified, for any a).</summary>
    public static ExtendedPoint Add(in ExtendedPoint p, in ExtendedPoint q)
    {
        var a = p.X * q.X;
        var b = p.Y * q.Y;
        var c = BabyJubjub.D * p.T * q.T;
        var d = p.Z * q.Z;
        var e = (p.X + p.Y) * (q.X + q.Y) - a - b;
        var f = d - c;
        var g = d + c;
        var h = b - BabyJubjub.A * a;
        return new ExtendedPoint(e * f, g * h, f * g, e * h);
    }

    /// <summary>dbl-2008-hwcd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ExtendedPoint Double()
    {
        var a = X.Square();
        var b = Y.Square();
        var c = Z.Square().Double();
        var d = BabyJubjub.A * a;
        var e = (X + Y).Square() - a - b;
        var g = d + b;
        var f = g - c;
        var h = d - b;
        return new ExtendedPoint(e * f, g * h, f * g, e * h);
    }

    public static ExtendedPoint ConditionalSelect(ulong mask, in ExtendedPoint ifSet, in ExtendedPoint ifClear) => new(
        Fr.ConditionalSelect(mask, ifSet.X, ifClear.X),
        Fr.ConditionalSelect(mask, ifSet.Y, ifClear.Y),
        Fr.ConditionalSelect(mask, ifSet.Z, ifClear.Z),
        Fr.ConditionalSelect(mask, ifSet.T, ifClear.T));
}
