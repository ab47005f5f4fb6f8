using System.Numerics;
using System.Runtime.CompilerServices;

namespace Validium.Crypto;

// This file is the template for G2.g.cs (regenerate with gen-g2.sh): the formulas are the same over Fp2.
// Curve constants (B, generator, subgroup check, encodings) live in G1.*.cs.

/// <summary>Affine point of BN254 G1 (y² = x³ + B); (0, 0) is the point at infinity.</summary>
public readonly partial struct G1Affine : IAffinePoint<G1Affine>, IAffineCoordinates<G1Affine, Fp>
{
    public Fp X { get; }

    public Fp Y { get; }

    public static G1Affine FromCoordinates(Fp x, Fp y) => new(x, y);

    public G1Affine(Fp x, Fp y)
    {
        X = x; Y = y;
    }

    public static G1Affine Infinity => default;

    public bool IsInfinity => X.IsZero && Y.IsZero;

    public bool IsOnCurve() => IsInfinity || Y.Square() == X.Square() * X + G1Jacobian.B;

    public G1Affine Negate() => IsInfinity ? this : new G1Affine(X, -Y);

    public G1Jacobian ToJacobian() => G1Jacobian.FromAffine(this);

    public bool Equals(G1Affine o) => X == o.X && Y == o.Y;
    public override bool Equals(object? obj) => obj is G1Affine o && Equals(o);
    public override int GetHashCode() => HashCode.Combine(X, Y);
    public static bool operator ==(G1Affine a, G1Affine b) => a.Equals(b);
    public static bool operator !=(G1Affine a, G1Affine b) => !a.Equals(b);
    public override string ToString() => IsInfinity ? "G1(infinity)" : $"G1({X}, {Y})";

    public static G1Jacobian operator +(G1Affine a, G1Affine b) => a.ToJacobian().AddMixed(b);
    public static G1Affine operator *(G1Affine a, Fr k) => a.ToJacobian().Multiply(k).ToAffine();
}

/// <summary>BN254 G1 point in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is infinity.</summary>
public readonly partial struct G1Jacobian : IJacobianPoint<G1Jacobian, G1Affine>
{
    public readonly Fp X, Y, Z;

    public G1Jacobian(Fp x, Fp y, Fp z)
    {
        X = x; Y = y; Z = z;
    }

    public static G1Jacobian Infinity => new(Fp.One, Fp.One, Fp.Zero);

    public bool IsInfinity => Z.IsZero;

    public static G1Jacobian FromAffine(in G1Affine a) => a.IsInfinity ? Infinity : new G1Jacobian(a.X, a.Y, Fp.One);

    public bool IsOnCurve()
    {
        if (IsInfinity) return true;
        var z2 = Z.Square();
        var z6 = z2.Square() * z2;
        return Y.Square() == X.Square() * X + B * z6;
    }

    /// <summary>dbl-2009-l (a = 0): 2M + 5S.</summary>
    public G1Jacobian Double()
    {
        if (IsInfinity) return this;
        var a = X.Square();
        var b = Y.Square();
        var c = b.Square();
        var d = ((X + b).Square() - a - c).Double();
        var e = a.Double() + a;
        var f = e.Square();
        var x3 = f - d.Double();
        var y3 = e * (d - x3) - c.Double().Double().Double();
        var z3 = (Y * Z).Double();
        return new G1Jacobian(x3, y3, z3);
    }

    /// <summary>add-2007-bl: 11M + 5S; falls back to doubling for equal inputs.</summary>
    public G1Jacobian Add(in G1Jacobian q)
    {
        if (IsInfinity) return q;
        if (q.IsInfinity) return this;
        var z1z1 = Z.Square();
        var z2z2 = q.Z.Square();
        var u1 = X * z2z2;
        var u2 = q.X * z1z1;
        var s1 = Y * q.Z * z2z2;
        var s2 = q.Y * Z * z1z1;
        var h = u2 - u1;
        var r = (s2 - s1).Double();
        if (h.IsZero) return r.IsZero ? Double() : Infinity;
        var i = h.Double().Square();
        var j = h * i;
        var v = u1 * i;
        var x3 = r.Square() - j - v.Double();
        var y3 = r * (v - x3) - (s1 * j).Double();
        var z3 = ((Z + q.Z).Square() - z1z1 - z2z2) * h;
        return new G1Jacobian(x3, y3, z3);
    }

    /// <summary>madd-2007-bl (second operand affine): 7M + 4S.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public G1Jacobian AddMixed(in G1Affine q)
    {
        if (q.IsInfinity) return this;
        if (IsInfinity) return FromAffine(q);
        var z1z1 = Z.Square();
        var u2 = q.X * z1z1;
        var s2 = q.Y * Z * z1z1;
        var h = u2 - X;
        var r = (s2 - Y).Double();
        if (h.IsZero) return r.IsZero ? Double() : Infinity;
        var hh = h.Square();
        var i = hh.Double().Double();
        var j = h * i;
        var v = X * i;
        var x3 = r.Square() - j - v.Double();
        var y3 = r * (v - x3) - (Y * j).Double();
        var z3 = (Z + h).Square() - z1z1 - hh;
        return new G1Jacobian(x3, y3, z3);
    }

    public G1Jacobian Negate() => new(X, -Y, Z);

    public G1Jacobian Subtract(in G1Jacobian q) => Add(q.Negate());

    /// <summary>Variable-time double-and-add by a non-negative integer; callers with secrets use MSM blinding, not this.</summary>
    public G1Jacobian Multiply(Limbs4 k)
    {
        var acc = Infinity;
        for (int i = k.BitLength - 1; i >= 0; i--)
        {
            acc = acc.Double();
            if (k.Bit(i) == 1) acc = acc.Add(this);
        }
        return acc;
    }

    public G1Jacobian Multiply(Fr k) => Multiply(k.ToCanonical());

    public G1Jacobian Multiply(BigInteger k)
    {
        if (k.Sign < 0) return Negate().Multiply(-k);
        var acc = Infinity;
        var p = this;
        while (!k.IsZero)
        {
            if (!k.IsEven) acc = acc.Add(p);
            p = p.Double();
            k >>= 1;
        }
        return acc;
    }

    public G1Affine ToAffine()
    {
        if (IsInfinity) return G1Affine.Infinity;
        var zi = Z.Inverse();
        var zi2 = zi.Square();
        return new G1Affine(X * zi2, Y * zi2 * zi);
    }

    /// <summary>Converts many points with one field inversion.</summary>
    public static void BatchToAffine(ReadOnlySpan<G1Jacobian> src, Span<G1Affine> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException("destination shorter than source", nameof(dst));
        var zs = new Fp[src.Length];
        for (int i = 0; i < src.Length; i++) zs[i] = src[i].Z;
        Fp.BatchInverse(zs);
        for (int i = 0; i < src.Length; i++)
        {
            if (src[i].IsInfinity) { dst[i] = G1Affine.Infinity; continue; }
            var zi2 = zs[i].Square();
            dst[i] = new G1Affine(src[i].X * zi2, src[i].Y * zi2 * zs[i]);
        }
    }

    /// <summary>Projective equality: X1·Z2² = X2·Z1² and Y1·Z2³ = Y2·Z1³.</summary>
    public bool Equals(G1Jacobian o)
    {
        if (IsInfinity || o.IsInfinity) return IsInfinity && o.IsInfinity;
        var z1z1 = Z.Square();
        var z2z2 = o.Z.Square();
        return X * z2z2 == o.X * z1z1 && Y * z2z2 * o.Z == o.Y * z1z1 * Z;
    }

    public override bool Equals(object? obj) => obj is G1Jacobian o && Equals(o);
    public override int GetHashCode() => ToAffine().GetHashCode();
    public static bool operator ==(G1Jacobian a, G1Jacobian b) => a.Equals(b);
    public static bool operator !=(G1Jacobian a, G1Jacobian b) => !a.Equals(b);
    public override string ToString() => ToAffine().ToString();

    public static G1Jacobian operator +(G1Jacobian a, G1Jacobian b) => a.Add(b);
    public static G1Jacobian operator -(G1Jacobian a, G1Jacobian b) => a.Subtract(b);
    public static G1Jacobian operator -(G1Jacobian a) => a.Negate();
    public static G1Jacobian operator *(G1Jacobian a, Fr k) => a.Multiply(k);
}
