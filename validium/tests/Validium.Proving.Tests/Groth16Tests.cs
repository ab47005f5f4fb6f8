using Validium.Accel;
using Validium.Crypto;
using Validium.Proving.Groth16;

namespace Validium.Proving.Tests;

public class Groth16Tests
{
    private static readonly Prover Cpu = new(new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }));

    /// <summary>
    /// Public out = x³ + x + 5 (the classic example) with private x, plus a public input y that must equal x + 1:
    /// wires [1, out, y, x, x², x³].
    /// </summary>
    private static R1cs Cubic()
    {
        Term T(int w, long c = 1) => new(w, c >= 0 ? Fr.FromUInt64((ulong)c) : -Fr.FromUInt64((ulong)-c));
        return new R1cs(6, 1, 1, 1,
        [
            new Constraint([T(3)], [T(3)], [T(4)], "x*x"),
            new Constraint([T(4)], [T(3)], [T(5)], "x²*x"),
            new Constraint([T(5), T(3), T(0, 5)], [T(0)], [T(1)], "out"),
            new Constraint([T(3), T(0)], [T(0)], [T(2)], "y = x + 1"),
        ]);
    }

    private static Fr[] Witness(ulong x) => [Fr.One, Fr.FromUInt64(x * x * x + x + 5), Fr.FromUInt64(x + 1), Fr.FromUInt64(x), Fr.FromUInt64(x * x), Fr.FromUInt64(x * x * x)];

    [Fact]
    public void AnHonestProofVerifies()
    {
        var r1cs = Cubic();
        var w = Witness(3);
        Assert.Equal(-1, r1cs.FirstUnsatisfied(w));
        var pk = Setup.Run(r1cs, devSeed: 7);
        Assert.Equal(8, pk.DomainSize);
        var proof = Cpu.Prove(pk, w);
        Assert.True(Verifier.Verify(pk.VerifyingKey, proof, [w[1], w[2]], out var reason), reason);
    }

    [Fact]
    public void ProofsAreFreshlyBlinded()
    {
        var pk = Setup.Run(Cubic(), devSeed: 8);
        var w = Witness(4);
        var p1 = Cpu.Prove(pk, w);
        var p2 = Cpu.Prove(pk, w);
        Assert.NotEqual(p1.A, p2.A);
        Assert.True(Verifier.Verify(pk.VerifyingKey, p2, [w[1], w[2]], out var reason), reason);
    }

    [Fact]
    public void WrongPublicInputsOrTamperedProofsFail()
    {
        var pk = Setup.Run(Cubic(), devSeed: 9);
        var w = Witness(3);
        var proof = Cpu.Prove(pk, w);
        var vk = pk.VerifyingKey;
        Assert.False(Verifier.Verify(vk, proof, [w[1] + Fr.One, w[2]], out _));
        Assert.False(Verifier.Verify(vk, proof, [w[1]], out var countReason));
        Assert.Contains("expected 2 public inputs", countReason);
        Assert.False(Verifier.Verify(vk, proof with { A = (proof.A + G1Affine.Generator).ToAffine() }, [w[1], w[2]], out _));
        Assert.False(Verifier.Verify(vk, proof with { C = proof.C.Negate() }, [w[1], w[2]], out _));
        Assert.False(Verifier.Verify(vk, proof with { B = G2Affine.Generator }, [w[1], w[2]], out _));
        Assert.False(Verifier.Verify(vk, proof with { A = new G1Affine(Fp.One, Fp.One) }, [w[1], w[2]], out var curveReason));
        Assert.Contains("not on G1", curveReason);
    }

    [Fact]
    public void AnUnsatisfyingWitnessGivesAProofThatFails()
    {
        var pk = Setup.Run(Cubic(), devSeed: 10);
        var w = Witness(3);
        w[4] += Fr.One;
        var proof = Cpu.Prove(pk, w);
        Assert.False(Verifier.Verify(pk.VerifyingKey, proof, [w[1], w[2]], out _));
    }

    /// <summary>The same proof path with G1 MSMs and NTTs on the GPU kernels (ILGPU's CPU accelerator here); G2 falls back to the CPU.</summary>
    [SkippableFact]
    public void ProvingThroughTheGpuBackendVerifies()
    {
        using var registry = new BackendRegistry();
        Skip.IfNot(Validium.Accel.Gpu.GpuBackend.TryCreate(new Validium.Accel.Gpu.GpuBackendOptions { AllowCpuEmulation = true }, null, out var gpu), "ILGPU could not create even its CPU accelerator");
        registry.Register(gpu!);
        var dispatcher = new AccelDispatcher(registry, new AccelOptions { Mode = AccelMode.Gpu, SpotCheckRate = 1 });
        var pk = Setup.Run(Cubic(), devSeed: 12);
        var w = Witness(5);
        var stages = new List<ProveStage>();
        var proof = new Prover(dispatcher).Prove(pk, w, new SyncProgress(stages));
        Assert.True(Verifier.Verify(pk.VerifyingKey, proof, [w[1], w[2]], out var reason), reason);
        Assert.Equal(Enum.GetValues<ProveStage>(), stages);
        Assert.DoesNotContain(dispatcher.RecentFallbacks, f => f.Reason == FallbackReason.SpotCheckMismatch);
        Assert.Contains(dispatcher.RecentFallbacks, f => f.Op == AccelOp.MsmG2 && f.Reason == FallbackReason.DeviceAbsent);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests want the reports in order, on the caller's thread.</summary>
    private sealed class SyncProgress(List<ProveStage> into) : IProgress<ProveStage>
    {
        public void Report(ProveStage value) => into.Add(value);
    }

    [Fact]
    public void MalformedWitnessesAreRejected()
    {
        var pk = Setup.Run(Cubic(), devSeed: 11);
        Assert.Throws<ArgumentException>(() => Cpu.Prove(pk, new Fr[5]));
        var w = Witness(3);
        w[0] = Fr.Zero;
        Assert.Throws<ArgumentException>(() => Cpu.Prove(pk, w));
    }

    /// <summary>The G2 MSM runs on a task of its own; a cancelled proof must still end in the caller's exception.</summary>
    [Fact]
    public void ACancelledProofThrowsCancellation()
    {
        var pk = Setup.Run(Cubic(), devSeed: 13);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Cpu.Prove(pk, Witness(3), null, cts.Token));
    }
}
