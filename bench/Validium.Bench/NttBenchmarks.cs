using BenchmarkDotNet.Attributes;
using Validium.Accel;
using Validium.Accel.Cpu;
using Validium.Crypto;

namespace Validium.Bench;

public class NttBenchmarks
{
    private Fr[] input = [];
    private Fr[] work = [];
    private readonly CpuBackend cpu = new();

    [Params(16, 20)]
    public int LogSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        input = new Fr[1 << LogSize];
        for (int i = 0; i < input.Length; i++) input[i] = Fr.Random(rng);
        work = (Fr[])input.Clone();
        cpu.Ntt(work, NttOptions.Forward);
        // Evaluation at ω^1 checked directly; then the inverse must give the input back.
        var w = Fr.RootOfUnity(LogSize);
        Fr acc = Fr.Zero, p = Fr.One;
        foreach (var c in input) { acc += c * p; p *= w; }
        if (work[1] != acc) throw new InvalidOperationException("NTT output 1 is not the polynomial at ω");
        cpu.Ntt(work, NttOptions.InverseTransform);
        if (!work.AsSpan().SequenceEqual(input)) throw new InvalidOperationException("inverse NTT does not undo the forward one");
    }

    [IterationSetup]
    public void Reset() => input.CopyTo(work, 0);

    [Benchmark]
    public void Forward() => cpu.Ntt(work, NttOptions.Forward);
}
