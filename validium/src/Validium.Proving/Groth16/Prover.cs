using Validium.Accel;
using Validium.Crypto;

namespace Validium.Proving.Groth16;

/// <summary>Stages a long proof reports through <see cref="IProgress{T}"/>.</summary>
public enum ProveStage
{
    Qap,
    Ntt,
    MsmA,
    MsmB1,
    MsmC,
    MsmH,
    /// <summary>Waiting for the G2 MSM, which runs beside every other stage from the start.</summary>
    MsmB2,
    Done,
}

/// <summary>
/// Groth16 prover with snarkjs's QAP technique: A·w and B·w on the domain, C = their product, each moved to
/// the odd points of the doubled domain by an inverse NTT and a coset NTT, then the H query takes
/// A·B - C there. Every MSM and NTT goes through the accelerator dispatcher; blinding is fresh per proof.
/// </summary>
public sealed class Prover(AccelDispatcher accel)
{
    /// <summary>Where to record each phase's start and end (for `vld groth16 prove --timings`); none by default.</summary>
    public PhaseTimes? Times { get; init; }

    public Proof Prove(ProvingKey pk, ReadOnlySpan<Fr> witness, IProgress<ProveStage>? progress = null, CancellationToken ct = default) =>
        Prove(PendingProvingKey.Ready(pk), witness, progress, ct);

    /// <summary>
    /// Proves with a key that may still be being read: each stage waits for the part it needs (the quotient for the
    /// coefficients, the G2 MSM for B2, each G1 MSM for its points), and a part that failed to read fails the proof
    /// with its own error.
    /// </summary>
    public Proof Prove(PendingProvingKey pk, ReadOnlySpan<Fr> witness, IProgress<ProveStage>? progress = null, CancellationToken ct = default)
    {
        if (witness.Length != pk.NumVars) throw new ArgumentException($"the witness has {witness.Length} values, the key expects {pk.NumVars}");
        if (!witness[0].IsOne) throw new ArgumentException("wire 0 of a witness must be the constant 1");
        // The G2 task needs the witness beyond this call's span, so it gets its own copy (32 bytes a wire).
        var w = witness.ToArray();

        // The G2 MSM needs only the witness and B2, so it runs beside everything else: the QAP, the NTTs' serial passes
        // and each G1 MSM's recoding and final sums leave a core idle, which it fills. It waits for B2 without holding
        // a thread.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var g2 = Task.Run(async () =>
        {
            var b2 = await pk.B2.WaitAsync(stop.Token).ConfigureAwait(false);
            using (Times?.Measure("msm B2 (G2)")) return accel.MsmG2(b2, w, stop.Token);
        }, stop.Token);
        try
        {
            return ProveBesideG2(pk, w, g2, progress, ct);
        }
        finally
        {
            if (!g2.IsCompleted)
            {
                // Failing or cancelled: nothing of the proof may keep running once Prove returns.
                stop.Cancel();
                Task.WhenAny(g2).GetAwaiter().GetResult();
            }
        }
    }

    private Proof ProveBesideG2(PendingProvingKey pk, Fr[] w, Task<G2Jacobian> g2, IProgress<ProveStage>? progress, CancellationToken ct)
    {
        progress?.Report(ProveStage.Qap);
        Fr[] h;
        using (Times?.Measure("quotient")) h = QuotientEvaluations(pk, w, progress, ct);

        var r = Fr.RandomSecure();
        var s = Fr.RandomSecure();
        progress?.Report(ProveStage.MsmA);
        var piA = Msm("msm A", pk.A, w, ct).AddMixed(pk.Alpha1).Add(pk.Delta1.ToJacobian().Multiply(r));
        progress?.Report(ProveStage.MsmB1);
        var b1 = Msm("msm B1", pk.B1, w, ct).AddMixed(pk.Beta1).Add(pk.Delta1.ToJacobian().Multiply(s));
        progress?.Report(ProveStage.MsmC);
        var piC = Msm("msm C", pk.C, w.AsSpan(pk.NumPublic + 1), ct);
        progress?.Report(ProveStage.MsmH);
        piC = piC.Add(Msm("msm H", pk.H, h, ct))
            .Add(piA.Multiply(s))
            .Add(b1.Multiply(r))
            .Add(pk.Delta1.ToJacobian().Multiply(-(r * s)));
        progress?.Report(ProveStage.MsmB2);
        G2Jacobian b2;
        using (Times?.Measure("wait for B2")) b2 = g2.GetAwaiter().GetResult();
        var piB = b2.AddMixed(pk.Beta2).Add(pk.Delta2.ToJacobian().Multiply(s));
        progress?.Report(ProveStage.Done);
        return new Proof(piA.ToAffine(), piB.ToAffine(), piC.ToAffine());
    }

    private static T Part<T>(Task<T> part, CancellationToken ct) => part.WaitAsync(ct).GetAwaiter().GetResult();

    private G1Jacobian Msm(string name, Task<G1Affine[]> points, ReadOnlySpan<Fr> scalars, CancellationToken ct)
    {
        var p = Part(points, ct);
        using (Times?.Measure(name)) return accel.MsmG1(p, scalars, ct);
    }

    private G1Jacobian Msm(string name, ReadOnlySpan<G1Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct)
    {
        using (Times?.Measure(name)) return accel.MsmG1(points, scalars, ct);
    }

    /// <summary>
    /// A·B − C on the odd points of the doubled domain. Written into C's array, and A and B stay in this frame, so
    /// only one domain-sized vector is alive during the MSMs.
    /// </summary>
    private Fr[] QuotientEvaluations(PendingProvingKey pk, ReadOnlySpan<Fr> witness, IProgress<ProveStage>? progress, CancellationToken ct)
    {
        var coefficients = Part(pk.Coefficients, ct);
        int n = pk.DomainSize;
        var a = new Fr[n];
        var b = new Fr[n];
        var c = new Fr[n];
        using (Times?.Measure("A·w, B·w"))
        {
            coefficients.Accumulate(a, b, witness);
            for (int i = 0; i < n; i++) c[i] = a[i] * b[i];
        }

        progress?.Report(ProveStage.Ntt);
        var shift = Fr.RootOfUnity(pk.DomainLog + 1);
        foreach (var v in new[] { a, b, c })
        {
            ct.ThrowIfCancellationRequested();
            using var phase = Times?.Measure("intt + coset ntt");
            accel.Ntt(v, NttOptions.InverseTransform, ct);
            accel.Ntt(v, new NttOptions(false, shift), ct);
        }
        for (int i = 0; i < n; i++) c[i] = a[i] * b[i] - c[i];
        return c;
    }
}
