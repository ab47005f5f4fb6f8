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
    /// <summary>The C and H queries, summed in one MSM.</summary>
    MsmCH,
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
        // C and H only ever appear summed, so they are one MSM over both queries: one bucket reduction instead of two,
        // and twice the points let Pippenger take wider windows (at 2^16 constraints one MSM of 2^17 points took ~15 %
        // less time than two of 2^16). Their points are joined while the quotient is computed.
        var joined = JoinPoints(pk.C, pk.H);
        progress?.Report(ProveStage.Qap);
        Fr[] scalarsCH;
        using (Times?.Measure("quotient")) scalarsCH = QuotientEvaluations(pk, w, progress, ct);

        var r = Fr.RandomSecure();
        var s = Fr.RandomSecure();
        progress?.Report(ProveStage.MsmA);
        var piA = Msm("msm A", pk.A, w, ct).AddMixed(pk.Alpha1).Add(pk.Delta1.ToJacobian().Multiply(r));
        progress?.Report(ProveStage.MsmB1);
        var b1 = Msm("msm B1", pk.B1, w, ct).AddMixed(pk.Beta1).Add(pk.Delta1.ToJacobian().Multiply(s));
        progress?.Report(ProveStage.MsmCH);
        var piC = Msm("msm C and H", joined, scalarsCH, ct)
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

    /// <summary>C's points then H's, in one array. C is awaited first so a bad key names the first bad section in file order.</summary>
    private static async Task<G1Affine[]> JoinPoints(Task<G1Affine[]> c, Task<G1Affine[]> h)
    {
        var cPoints = await c.ConfigureAwait(false);
        var hPoints = await h.ConfigureAwait(false);
        var joined = GC.AllocateUninitializedArray<G1Affine>(cPoints.Length + hPoints.Length);
        cPoints.CopyTo(joined, 0);
        hPoints.CopyTo(joined, cPoints.Length);
        return joined;
    }

    private static T Part<T>(Task<T> part, CancellationToken ct) => part.WaitAsync(ct).GetAwaiter().GetResult();

    private G1Jacobian Msm(string name, Task<G1Affine[]> points, ReadOnlySpan<Fr> scalars, CancellationToken ct)
    {
        var p = Part(points, ct);
        using (Times?.Measure(name)) return accel.MsmG1(p, scalars, ct);
    }

    /// <summary>
    /// The scalars of the joined C and H MSM: the private wires, then A·B − C on the odd points of the doubled domain.
    /// The quotient is written into the tail of that array (C's evaluations become it in place), and A and B stay in
    /// this frame, so only one domain-sized vector is alive during the MSMs.
    /// </summary>
    private Fr[] QuotientEvaluations(PendingProvingKey pk, ReadOnlySpan<Fr> witness, IProgress<ProveStage>? progress, CancellationToken ct)
    {
        var coefficients = Part(pk.Coefficients, ct);
        int n = pk.DomainSize;
        var priv = witness[(pk.NumPublic + 1)..];
        var scalars = GC.AllocateUninitializedArray<Fr>(priv.Length + n);
        priv.CopyTo(scalars);
        var a = new Fr[n];
        var b = new Fr[n];
        var c = scalars.AsSpan(priv.Length);
        using (Times?.Measure("A·w, B·w"))
        {
            coefficients.Accumulate(a, b, witness);
            for (int i = 0; i < n; i++) c[i] = a[i] * b[i];
        }

        progress?.Report(ProveStage.Ntt);
        var shift = Fr.RootOfUnity(pk.DomainLog + 1);
        ToOddPoints(a, shift, ct);
        ToOddPoints(b, shift, ct);
        ToOddPoints(c, shift, ct);
        for (int i = 0; i < n; i++) c[i] = a[i] * b[i] - c[i];
        return scalars;
    }

    /// <summary>Evaluations on the domain to evaluations on its odd coset of the doubled domain.</summary>
    private void ToOddPoints(Span<Fr> v, Fr shift, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var phase = Times?.Measure("intt + coset ntt");
        accel.Ntt(v, NttOptions.InverseTransform, ct);
        accel.Ntt(v, new NttOptions(false, shift), ct);
    }
}
