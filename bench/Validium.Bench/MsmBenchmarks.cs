using BenchmarkDotNet.Attributes;
using Validium.Accel.Cpu;
using Validium.Accel.Inputs;
using Validium.Crypto;

namespace Validium.Bench;

/// <summary>G1 MSM on the CPU backend with every core, at the sizes the prover uses.</summary>
public class MsmBenchmarks
{
    private G1Affine[] points = [];
    private Fr[] scalars = [];
    private readonly CpuBackend cpu = new();

    [Params(12, 16, 20)]
    public int LogSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (points, scalars) = MsmInputs.Generate(1 << LogSize, 42);
        // Check a prefix against the textbook sum before timing anything.
        const int check = 64;
        var expected = G1Jacobian.Infinity;
        for (int i = 0; i < check; i++) expected = expected.Add(points[i].ToJacobian().Multiply(scalars[i]));
        if (cpu.MsmG1(points.AsSpan(0, check), scalars.AsSpan(0, check)) != expected) throw new InvalidOperationException("MSM disagrees with the definition");
    }

    [Benchmark]
    public G1Jacobian MsmG1() => cpu.MsmG1(points, scalars);
}
