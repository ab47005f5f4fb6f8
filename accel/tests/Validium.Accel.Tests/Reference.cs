using Validium.Crypto;

namespace Validium.Accel.Tests;

/// <summary>Textbook definitions computed with Validium.Crypto only: the oracle the backends are held to.</summary>
internal static class Reference
{
    public static G1Jacobian Msm(ReadOnlySpan<G1Affine> points, ReadOnlySpan<Fr> scalars)
    {
        var acc = G1Jacobian.Infinity;
        for (int i = 0; i < points.Length; i++) acc = acc.Add(points[i].ToJacobian().Multiply(scalars[i]));
        return acc;
    }

    public static G2Jacobian Msm(ReadOnlySpan<G2Affine> points, ReadOnlySpan<Fr> scalars)
    {
        var acc = G2Jacobian.Infinity;
        for (int i = 0; i < points.Length; i++) acc = acc.Add(points[i].ToJacobian().Multiply(scalars[i]));
        return acc;
    }

    /// <summary>y_k = Σ_i x_i·(shift·ω^k)^i, quadratic time.</summary>
    public static Fr[] Dft(ReadOnlySpan<Fr> x, Fr shift)
    {
        int n = x.Length;
        var w = Fr.RootOfUnity(System.Numerics.BitOperations.Log2((uint)n));
        var y = new Fr[n];
        var wk = shift;
        for (int k = 0; k < n; k++)
        {
            var acc = Fr.Zero;
            var p = Fr.One;
            for (int i = 0; i < n; i++)
            {
                acc += x[i] * p;
                p *= wk;
            }
            y[k] = acc;
            wk *= w;
        }
        return y;
    }
}

/// <summary>Seeded inputs; every test that uses them puts the seed in its failure message.</summary>
internal sealed class Inputs(int seed)
{
    private readonly Random rng = new(seed);

    public int Seed => seed;

    public Fr Scalar() => Fr.Random(rng);

    public Fr[] Scalars(int n) => Enumerable.Range(0, n).Select(_ => Scalar()).ToArray();

    /// <summary>Random multiples of the generator, made cheaply as a + i·b.</summary>
    public G1Affine[] G1Points(int n)
    {
        var p = G1Jacobian.Generator.Multiply(Scalar());
        var step = G1Jacobian.Generator.Multiply(Scalar());
        var jac = new G1Jacobian[n];
        for (int i = 0; i < n; i++) { jac[i] = p; p = p.Add(step); }
        var aff = new G1Affine[n];
        G1Jacobian.BatchToAffine(jac, aff);
        return aff;
    }

    public G2Affine[] G2Points(int n)
    {
        var p = G2Jacobian.Generator.Multiply(Scalar());
        var step = G2Jacobian.Generator.Multiply(Scalar());
        var jac = new G2Jacobian[n];
        for (int i = 0; i < n; i++) { jac[i] = p; p = p.Add(step); }
        var aff = new G2Affine[n];
        G2Jacobian.BatchToAffine(jac, aff);
        return aff;
    }
}
