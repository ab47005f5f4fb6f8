using BenchmarkDotNet.Attributes;
using Validium.Crypto;
using V = Validium.Crypto.FieldVec8<Validium.Crypto.FrModulus>;

namespace Validium.Bench;

/// <summary>
/// Scalar Fr against the 8-lane FieldVec8, every result reported per element (per hash for Poseidon).
/// Latency rows run one dependent chain; throughput rows run four independent chains, as batched code
/// (Poseidon's full rounds, batch-affine additions) exposes them.
/// </summary>
public class VectorFieldBenchmarks
{
    private const int Chain = 256;
    private const int Hashes = 1024;
    private Fr fa, fb;
    private V va, vb;
    private Fr[] inputs = [], outputs = [];
    private const int Additions = 2048;
    private G1Affine[] pa = [], pb = [];
    private readonly BatchAffineAdder<G1Affine, Fp> adder = new(Additions);

    [GlobalSetup]
    public void Setup()
    {
        if (!FieldVec8.IsAccelerated) Console.WriteLine("// FieldVec8 runs its scalar fallback on this machine");
        var rng = new Random(5);
        fa = Fr.Random(rng);
        fb = Fr.Random(rng);
        var la = Enumerable.Range(0, 8).Select(_ => Fr.Random(rng)).ToArray();
        var lb = Enumerable.Range(0, 8).Select(_ => Fr.Random(rng)).ToArray();
        va = FieldVec8.Load(la);
        vb = FieldVec8.Load(lb);
        var check = new Fr[8];
        FieldVec8.Store(V.Mul(va, vb), check);
        for (int e = 0; e < 8; e++)
            if (check[e] != la[e] * lb[e]) throw new InvalidOperationException("FieldVec8 multiply disagrees with Fr");
        pa = Enumerable.Range(0, Additions).Select(i => (G1Affine.Generator * Fr.Random(rng))).ToArray();
        pb = Enumerable.Range(0, Additions).Select(i => (G1Affine.Generator * Fr.Random(rng))).ToArray();
        var expected = pa.Zip(pb, (p, q) => p.ToJacobian().AddMixed(q).ToAffine()).ToArray();
        var sums = (G1Affine[])pa.Clone();
        adder.AddInPlace(sums, pb);
        if (!sums.AsSpan().SequenceEqual(expected)) throw new InvalidOperationException("BatchAffineAdder disagrees with G1");
        inputs = Enumerable.Range(0, 2 * Hashes).Select(_ => Fr.Random(rng)).ToArray();
        outputs = new Fr[Hashes];
        Poseidon.HashBatch(inputs, 2, outputs);
        for (int i = 0; i < Hashes; i += 97)
            if (outputs[i] != Poseidon.Hash(inputs[2 * i], inputs[2 * i + 1])) throw new InvalidOperationException("HashBatch disagrees with Hash");
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Fr ScalarMulLatency()
    {
        var x = fa;
        for (int i = 0; i < Chain; i++) x *= fb;
        return x;
    }

    [Benchmark(OperationsPerInvoke = 4 * Chain)]
    public Fr ScalarMulThroughput()
    {
        Fr x0 = fa, x1 = fb, x2 = fa + fb, x3 = fa - fb;
        for (int i = 0; i < Chain; i++)
        {
            x0 *= fb; x1 *= fa; x2 *= fb; x3 *= fa;
        }
        return x0 + x1 + x2 + x3;
    }

    [Benchmark(OperationsPerInvoke = 8 * Chain)]
    public V VectorMulLatency()
    {
        var x = va;
        for (int i = 0; i < Chain; i++) x = V.Mul(x, vb);
        return x;
    }

    [Benchmark(OperationsPerInvoke = 4 * 8 * Chain)]
    public V VectorMulThroughput()
    {
        V x0 = va, x1 = vb, x2 = V.Add(va, vb), x3 = V.Sub(va, vb);
        for (int i = 0; i < Chain; i++)
        {
            x0 = V.Mul(x0, vb); x1 = V.Mul(x1, va); x2 = V.Mul(x2, vb); x3 = V.Mul(x3, va);
        }
        return V.Add(V.Add(x0, x1), V.Add(x2, x3));
    }

    [Benchmark(OperationsPerInvoke = 4 * 8 * Chain)]
    public V VectorSquareThroughput()
    {
        V x0 = va, x1 = vb, x2 = V.Add(va, vb), x3 = V.Sub(va, vb);
        for (int i = 0; i < Chain; i++)
        {
            x0 = V.Square(x0); x1 = V.Square(x1); x2 = V.Square(x2); x3 = V.Square(x3);
        }
        return V.Add(V.Add(x0, x1), V.Add(x2, x3));
    }

    [Benchmark(OperationsPerInvoke = 8 * Chain)]
    public V VectorAdd()
    {
        var x = va;
        for (int i = 0; i < Chain; i++) x = V.Add(x, vb);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Hashes)]
    public Fr PoseidonT3Hash()
    {
        var acc = Fr.Zero;
        for (int i = 0; i < Hashes; i++) acc += Poseidon.Hash(inputs[2 * i], inputs[2 * i + 1]);
        return acc;
    }

    [Benchmark(OperationsPerInvoke = Hashes)]
    public Fr PoseidonT3HashBatch()
    {
        Poseidon.HashBatch(inputs, 2, outputs);
        return outputs[^1];
    }

    /// <summary>One G1 addition in a batch of 2048 that share an inversion (eight lanes wide on AVX-512), as MSM buckets use it.</summary>
    [Benchmark(OperationsPerInvoke = Additions)]
    public G1Affine BatchAffineAdd()
    {
        adder.AddInPlace(pa, pb);
        return pa[^1];
    }

    /// <summary>The same additions one at a time in Jacobian coordinates (mixed addition), for comparison.</summary>
    [Benchmark(OperationsPerInvoke = Additions)]
    public G1Jacobian JacobianMixedAdd()
    {
        var acc = G1Jacobian.Generator;
        for (int i = 0; i < Additions; i++) acc = acc.AddMixed(pb[i]);
        return acc;
    }
}
