using System.Runtime.CompilerServices;

namespace Validium.Crypto;

/// <summary>
/// BabyJubjub in the isomorphic form -u² + y² = 1 + d'·u²·y², with u = c·x, c = √-a and d' = -d/a, for
/// variable-time verification. With a = -1 the Hisil–Wong–Carter–Dawson formulas lose their multiplications
/// by a, and precomputed points carry 2d'·T, so an addition costs four multiplications and a doubling four
/// squarings (plus three or four multiplications to leave the "completed" form, as in ref10).
/// The law stays complete: -1 is a square in Fr (r ≡ 1 mod 4), and d' is not (d is not, -a is).
/// Any choice of square root c gives an isomorphism; equality tests compare points in this form only.
/// </summary>
internal static class MinusOneEdwards
{
    /// <summary>c = √-a: u = c·x maps BabyJubjub to the a = -1 form.</summary>
    public static readonly Fr C = SquareRoot(-BabyJubjub.A);

    /// <summary>2d' = -2d/a.</summary>
    public static readonly Fr D2 = (-(BabyJubjub.D + BabyJubjub.D)) / BabyJubjub.A;

    private static Fr SquareRoot(Fr v) => v.TrySqrt(out var r) ? r : throw new InvalidOperationException("-a must be a square in Fr");

    public static EdExtended FromAffine(BabyJubjubPoint p)
    {
        var u = C * p.X;
        return new EdExtended(u, p.Y, Fr.One, u * p.Y);
    }

    /// <summary>Back to BabyJubjub's own affine coordinates (for tests and table checks; one inversion).</summary>
    public static BabyJubjubPoint ToAffine(in EdProjective p)
    {
        var zInv = p.Z.Inverse();
        return new BabyJubjubPoint(p.X * zInv / C, p.Y * zInv);
    }

    /// <summary>2p from (X : Y : Z): x = 2XY / (Y² - X²), y = (Y² + X²) / (2Z² - Y² + X²) for a = -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdCompleted Double(in EdProjective p)
    {
        var xx = p.X.Square();
        var yy = p.Y.Square();
        var zz2 = p.Z.Square().Double();
        var xy2 = (p.X + p.Y).Square();
        var sum = yy + xx;
        var diff = yy - xx;
        return new EdCompleted(xy2 - sum, sum, diff, zz2 - diff);
    }

    /// <summary>p + q (add-2008-hwcd-3, the unified formula, so q may equal p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdCompleted Add(in EdExtended p, in EdCached q)
    {
        var a = (p.Y + p.X) * q.YPlusX;
        var b = (p.Y - p.X) * q.YMinusX;
        var c = q.T2d * p.T;
        var d = (p.Z * q.Z).Double();
        return new EdCompleted(a - b, a + b, d + c, d - c);
    }

    /// <summary>p - q: q negated is (-x, y), which swaps Y + X with Y - X and negates T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdCompleted Sub(in EdExtended p, in EdCached q)
    {
        var a = (p.Y + p.X) * q.YMinusX;
        var b = (p.Y - p.X) * q.YPlusX;
        var c = q.T2d * p.T;
        var d = (p.Z * q.Z).Double();
        return new EdCompleted(a - b, a + b, d - c, d + c);
    }

    /// <summary>p + q for an affine q (Z = 1): one multiplication fewer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdCompleted Add(in EdExtended p, in EdNiels q)
    {
        var a = (p.Y + p.X) * q.YPlusX;
        var b = (p.Y - p.X) * q.YMinusX;
        var c = q.XY2d * p.T;
        var d = p.Z.Double();
        return new EdCompleted(a - b, a + b, d + c, d - c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdCompleted Sub(in EdExtended p, in EdNiels q)
    {
        var a = (p.Y + p.X) * q.YMinusX;
        var b = (p.Y - p.X) * q.YPlusX;
        var c = q.XY2d * p.T;
        var d = p.Z.Double();
        return new EdCompleted(a - b, a + b, d - c, d + c);
    }
}

/// <summary>(X : Y : Z) with u = X/Z, y = Y/Z: what a doubling needs.</summary>
internal readonly struct EdProjective(Fr x, Fr y, Fr z)
{
    public readonly Fr X = x, Y = y, Z = z;

    public static EdProjective Identity => new(Fr.Zero, Fr.One, Fr.One);

    /// <summary>Same point as the affine a = -1 point (u, y), compared without an inversion (Z is never zero).</summary>
    public bool Equals(Fr u, Fr y) => X == u * Z && Y == y * Z;
}

/// <summary>Extended (X : Y : Z : T), T = XY/Z: what an addition needs.</summary>
internal readonly struct EdExtended(Fr x, Fr y, Fr z, Fr t)
{
    public readonly Fr X = x, Y = y, Z = z, T = t;

    public static EdExtended Identity => new(Fr.Zero, Fr.One, Fr.One, Fr.Zero);

    public EdProjective ToProjective() => new(X, Y, Z);

    public EdCached ToCached() => new(Y + X, Y - X, Z, T * MinusOneEdwards.D2);

    public EdExtended Negate() => new(-X, Y, Z, -T);
}

/// <summary>
/// The "completed" result of an addition or doubling, u = X/Z and y = Y/T: left as it is until the next step says
/// whether it needs three multiplications (to projective, for a doubling) or four (to extended, for an addition).
/// </summary>
internal readonly struct EdCompleted(Fr x, Fr y, Fr z, Fr t)
{
    public readonly Fr X = x, Y = y, Z = z, T = t;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EdProjective ToProjective() => new(X * T, Y * Z, Z * T);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EdExtended ToExtended() => new(X * T, Y * Z, Z * T, X * Y);
}

/// <summary>A table point ready to be added: (Y + X, Y - X, Z, 2d'·T).</summary>
internal readonly struct EdCached(Fr yPlusX, Fr yMinusX, Fr z, Fr t2d)
{
    public readonly Fr YPlusX = yPlusX, YMinusX = yMinusX, Z = z, T2d = t2d;
}

/// <summary>An affine table point ready to be added: (y + u, y - u, 2d'·u·y).</summary>
internal readonly struct EdNiels(Fr yPlusX, Fr yMinusX, Fr xy2d)
{
    public readonly Fr YPlusX = yPlusX, YMinusX = yMinusX, XY2d = xy2d;

    public static EdNiels FromProjective(in EdProjective p)
    {
        var zInv = p.Z.Inverse();
        var u = p.X * zInv;
        var y = p.Y * zInv;
        return new EdNiels(y + u, y - u, u * y * MinusOneEdwards.D2);
    }
}
