using System.Numerics;
using BenchmarkDotNet.Attributes;
using Validium.Crypto;

namespace Validium.Bench;

/// <summary>Latency of one field multiplication and one group addition, measured on dependent chains.</summary>
[MemoryDiagnoser]
public class FieldBenchmarks
{
    private const int Chain = 1000;
    private Fr fa, fb;
    private Fp pa, pb;
    private G1Jacobian ja, jb;
    private G1Affine aff;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        fa = Fr.Random(rng);
        fb = Fr.Random(rng);
        pa = Fp.FromBigInteger(Fr.Random(rng).ToBigInteger());
        pb = Fp.FromBigInteger(Fr.Random(rng).ToBigInteger());
        if ((fa * fb).ToBigInteger() != fa.ToBigInteger() * fb.ToBigInteger() % Fr.Modulus) throw new InvalidOperationException("Fr multiply is wrong");
        if ((pa * pb).ToBigInteger() != pa.ToBigInteger() * pb.ToBigInteger() % Fp.Modulus) throw new InvalidOperationException("Fp multiply is wrong");
        ja = G1Jacobian.Generator.Multiply(new BigInteger(12345));
        jb = G1Jacobian.Generator.Multiply(new BigInteger(67890));
        aff = jb.ToAffine();
        if (ja.Add(jb) != G1Jacobian.Generator.Multiply(new BigInteger(12345 + 67890))) throw new InvalidOperationException("G1 add is wrong");
        if (ja.AddMixed(aff) != ja.Add(jb)) throw new InvalidOperationException("G1 mixed add is wrong");
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Fr FrMultiply()
    {
        var x = fa;
        for (int i = 0; i < Chain; i++) x *= fb;
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Fp FpMultiply()
    {
        var x = pa;
        for (int i = 0; i < Chain; i++) x *= pb;
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public G1Jacobian G1Add()
    {
        var x = ja;
        for (int i = 0; i < Chain; i++) x = x.Add(jb);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public G1Jacobian G1AddMixed()
    {
        var x = ja;
        for (int i = 0; i < Chain; i++) x = x.AddMixed(aff);
        return x;
    }
}
