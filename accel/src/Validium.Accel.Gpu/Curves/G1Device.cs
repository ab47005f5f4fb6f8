using System.Runtime.InteropServices;
using Validium.Crypto;

namespace Validium.Accel.Gpu;

/// <summary>Affine G1 point in device layout (Montgomery Fp words); (0, 0) is infinity, as in Validium.Crypto.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct G1AffineLimbs
{
    public readonly Limbs8 X, Y;

    public G1AffineLimbs(Limbs8 x, Limbs8 y)
    {
        X = x; Y = y;
    }

    public bool IsInfinity => X.IsZero && Y.IsZero;

    public static G1AffineLimbs From(G1Affine p) => new(Limbs8.From(p.X), Limbs8.From(p.Y));
}

/// <summary>Jacobian G1 point in device layout; Z = 0 is infinity.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct G1JacobianLimbs
{
    public readonly Limbs8 X, Y, Z;

    public G1JacobianLimbs(Limbs8 x, Limbs8 y, Limbs8 z)
    {
        X = x; Y = y; Z = z;
    }

    public bool IsInfinity => Z.IsZero;

    public G1Jacobian ToHost() => IsInfinity ? G1Jacobian.Infinity : new G1Jacobian(X.ToFp(), Y.ToFp(), Z.ToFp());
}

/// <summary>
/// G1 group law on the device: the formulas of Validium.Crypto's G1Jacobian (dbl-2009-l, add-2007-bl,
/// madd-2007-bl), including their special cases, because MSM buckets routinely see P + P and P + (−P).
/// </summary>
internal static class G1Device
{
    public static G1JacobianLimbs Infinity => new(FpDevice.One, FpDevice.One, default);

    public static G1JacobianLimbs Double(G1JacobianLimbs p)
    {
        if (p.IsInfinity) return p;
        var a = FpDevice.Square(p.X);
        var b = FpDevice.Square(p.Y);
        var c = FpDevice.Square(b);
        var xb = FpDevice.Add(p.X, b);
        var d = FpDevice.Double(FpDevice.Sub(FpDevice.Sub(FpDevice.Square(xb), a), c));
        var e = FpDevice.Add(FpDevice.Double(a), a);
        var f = FpDevice.Square(e);
        var x3 = FpDevice.Sub(f, FpDevice.Double(d));
        var c8 = FpDevice.Double(FpDevice.Double(FpDevice.Double(c)));
        var y3 = FpDevice.Sub(FpDevice.Mul(e, FpDevice.Sub(d, x3)), c8);
        var z3 = FpDevice.Double(FpDevice.Mul(p.Y, p.Z));
        return new G1JacobianLimbs(x3, y3, z3);
    }

    public static G1JacobianLimbs Add(G1JacobianLimbs p, G1JacobianLimbs q)
    {
        if (p.IsInfinity) return q;
        if (q.IsInfinity) return p;
        var z1z1 = FpDevice.Square(p.Z);
        var z2z2 = FpDevice.Square(q.Z);
        var u1 = FpDevice.Mul(p.X, z2z2);
        var u2 = FpDevice.Mul(q.X, z1z1);
        var s1 = FpDevice.Mul(FpDevice.Mul(p.Y, q.Z), z2z2);
        var s2 = FpDevice.Mul(FpDevice.Mul(q.Y, p.Z), z1z1);
        var h = FpDevice.Sub(u2, u1);
        var r = FpDevice.Double(FpDevice.Sub(s2, s1));
        if (h.IsZero) return r.IsZero ? Double(p) : Infinity;
        var i = FpDevice.Square(FpDevice.Double(h));
        var j = FpDevice.Mul(h, i);
        var v = FpDevice.Mul(u1, i);
        var x3 = FpDevice.Sub(FpDevice.Sub(FpDevice.Square(r), j), FpDevice.Double(v));
        var y3 = FpDevice.Sub(FpDevice.Mul(r, FpDevice.Sub(v, x3)), FpDevice.Double(FpDevice.Mul(s1, j)));
        var zs = FpDevice.Square(FpDevice.Add(p.Z, q.Z));
        var z3 = FpDevice.Mul(FpDevice.Sub(FpDevice.Sub(zs, z1z1), z2z2), h);
        return new G1JacobianLimbs(x3, y3, z3);
    }

    public static G1JacobianLimbs AddMixed(G1JacobianLimbs p, G1AffineLimbs q)
    {
        if (q.IsInfinity) return p;
        if (p.IsInfinity) return new G1JacobianLimbs(q.X, q.Y, FpDevice.One);
        var z1z1 = FpDevice.Square(p.Z);
        var u2 = FpDevice.Mul(q.X, z1z1);
        var s2 = FpDevice.Mul(FpDevice.Mul(q.Y, p.Z), z1z1);
        var h = FpDevice.Sub(u2, p.X);
        var r = FpDevice.Double(FpDevice.Sub(s2, p.Y));
        if (h.IsZero) return r.IsZero ? Double(p) : Infinity;
        var hh = FpDevice.Square(h);
        var i = FpDevice.Double(FpDevice.Double(hh));
        var j = FpDevice.Mul(h, i);
        var v = FpDevice.Mul(p.X, i);
        var x3 = FpDevice.Sub(FpDevice.Sub(FpDevice.Square(r), j), FpDevice.Double(v));
        var y3 = FpDevice.Sub(FpDevice.Mul(r, FpDevice.Sub(v, x3)), FpDevice.Double(FpDevice.Mul(p.Y, j)));
        var z3 = FpDevice.Sub(FpDevice.Sub(FpDevice.Square(FpDevice.Add(p.Z, h)), z1z1), hh);
        return new G1JacobianLimbs(x3, y3, z3);
    }

    /// <summary>k·p for a small non-negative k (a bucket index), by double-and-add from the top bit.</summary>
    public static G1JacobianLimbs MultiplySmall(G1JacobianLimbs p, int k)
    {
        var acc = Infinity;
        for (int bit = 30; bit >= 0; bit--)
        {
            acc = Double(acc);
            if (((k >> bit) & 1) != 0) acc = Add(acc, p);
        }
        return acc;
    }
}
