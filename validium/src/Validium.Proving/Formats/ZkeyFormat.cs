using Validium.Crypto;
using Validium.Proving.Groth16;

namespace Validium.Proving.Formats;

/// <summary>
/// The .zkey binfile (magic "zkey", version 1) for Groth16: 1 protocol id, 2 header, 3 IC, 4 coefficients, 5 A,
/// 6 B1, 7 B2, 8 C, 9 H, 10 contributions. Points and header elements are Montgomery little-endian.
/// </summary>
public static class ZkeyFormat
{
    private const uint Groth16ProtocolId = 1;
    internal const int CoefficientSize = 12 + 32;

    public static ProvingKey Read(string path) => Open(path).Wait();

    public static ProvingKey Read(byte[] data, string fileName) => Open(BinSource.Of(data), fileName, null).Wait();

    /// <summary>
    /// Reads the header now and the rest on a background thread, in the order a prover needs it (coefficients, B2,
    /// A, B1, C, H), each part a task of the returned key; every section's presence and size is checked before this
    /// returns, so a truncated or mismatched file fails here. The file stays open until the last part is read.
    /// </summary>
    public static PendingProvingKey Open(string path, PhaseTimes? times = null)
    {
        var source = BinSource.Open(path);
        try
        {
            return Open(source, Path.GetFileName(path), times);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static PendingProvingKey Open(BinSource source, string fileName, PhaseTimes? times)
    {
        var header = times?.Measure("zkey header");
        var file = new BinFileReader(source, fileName, "zkey", 1);

        var p = file.Section(1, "protocol");
        var protocol = p.U32("protocol id");
        p.End();
        if (protocol != Groth16ProtocolId) throw p.Error($"protocol id {protocol} is not Groth16 ({Groth16ProtocolId})");

        var h = file.Section(2, "groth16 header");
        h.Prime(Fp.Modulus, "base field (q)");
        h.Prime(Fr.Modulus, "scalar field (r)");
        var nVars = h.U32("nVars");
        var nPublic = h.U32("nPublic");
        var domainSize = h.U32("domainSize");
        if (nVars is 0 or > int.MaxValue || nPublic >= nVars) throw h.Error($"nPublic {nPublic} does not fit in nVars {nVars}");
        if (domainSize == 0 || (domainSize & (domainSize - 1)) != 0 || domainSize > 1u << 28)
            throw h.Error($"domainSize {domainSize} is not a power of two up to 2^28");
        var alpha1 = h.G1("alpha1");
        var beta1 = h.G1("beta1");
        var beta2 = h.G2("beta2");
        var gamma2 = h.G2("gamma2");
        var delta1 = h.G1("delta1");
        var delta2 = h.G2("delta2");
        h.End();

        var ic = file.G1Section(3, "IC", nPublic + 1L);
        var a = file.Points(5, "A", nVars, 64, "G1");
        var b1 = file.Points(6, "B1", nVars, 64, "G1");
        var b2 = file.Points(7, "B2", nVars, 128, "G2");
        var c = file.Points(8, "C", (long)nVars - nPublic - 1, 64, "G1");
        var hq = file.Points(9, "H", domainSize, 64, "G1");
        header?.Dispose();

        var coefficients = new Part<QapMatrix>();
        var parts = (A: new Part<G1Affine[]>(), B1: new Part<G1Affine[]>(), B2: new Part<G2Affine[]>(), C: new Part<G1Affine[]>(), H: new Part<G1Affine[]>());
        var contributions = new Part<byte[]?>();
        void Fill<T>(Part<T> part, string name, Func<T> read)
        {
            using var phase = times?.Measure($"zkey {name}");
            try
            {
                part.SetResult(read());
            }
            catch (Exception e)
            {
                part.SetException(e);
            }
        }
        Task.Factory.StartNew(() =>
        {
            using var _ = source;
            Fill(coefficients, "coefficients", () =>
            {
                var cs = file.Section(4, "coefficients");
                var count = cs.Count("coefficient count", CoefficientSize);
                cs.ExpectLength(4 + (long)count * CoefficientSize, $"{count} coefficients");
                return ZkeyCoefficients.Decode(cs, cs.Slice(count * CoefficientSize, "coefficients"), count, nVars, domainSize);
            });
            Fill(parts.B2, "B2", () => file.G2Points(b2));
            Fill(parts.A, "A", () => file.G1Points(a));
            Fill(parts.B1, "B1", () => file.G1Points(b1));
            Fill(parts.C, "C", () => file.G1Points(c));
            Fill(parts.H, "H", () => file.G1Points(hq));
            Fill(contributions, "contributions", () => file.Section(10, "contributions").Rest());
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        return new PendingProvingKey((int)nVars, (int)nPublic, (int)domainSize, alpha1, beta1, beta2, gamma2, delta1, delta2, ic,
            coefficients.Task, parts.A.Task, parts.B1.Task, parts.B2.Task, parts.C.Task, parts.H.Task, contributions.Task);
    }

    /// <summary>Continuations run on the pool, never inline on the reading thread, so one part's consumer cannot hold up the next part.</summary>
    private sealed class Part<T>() : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The inverse of <see cref="ZkeyCoefficients"/>' decoding: c is written as c·R² (see there).</summary>
    private static Fr ToDoubleMontgomery(Fr c) => Fr.FromCanonical(c.MontgomeryLimbs);

    /// <summary>Writes sections in the order snarkjs's own writer (zkey_utils.writeZKey) uses, 1 to 10.</summary>
    public static byte[] Write(ProvingKey key)
    {
        if (key.IC.Length != key.NumPublic + 1 || key.A.Length != key.NumVars || key.B1.Length != key.NumVars || key.B2.Length != key.NumVars
            || key.C.Length != key.NumVars - key.NumPublic - 1 || key.H.Length != key.DomainSize)
            throw new ArgumentException("the point arrays do not match NVars, NPublic and DomainSize");

        var file = new BinFileWriter("zkey", 1);
        var p = new SectionWriter();
        p.U32(Groth16ProtocolId);
        file.Add(1, p);

        var h = new SectionWriter();
        h.Prime(Fp.Modulus);
        h.Prime(Fr.Modulus);
        h.U32((uint)key.NumVars);
        h.U32((uint)key.NumPublic);
        h.U32((uint)key.DomainSize);
        h.G1(key.Alpha1);
        h.G1(key.Beta1);
        h.G2(key.Beta2);
        h.G2(key.Gamma2);
        h.G1(key.Delta1);
        h.G2(key.Delta2);
        file.Add(2, h);

        file.Add(3, G1s(key.IC));

        var cs = new SectionWriter();
        cs.U32((uint)key.Coefficients.Count);
        foreach (var c in key.Coefficients)
        {
            cs.U32((uint)c.Matrix);
            cs.U32((uint)c.Constraint);
            cs.U32((uint)c.Signal);
            cs.FrMontgomery(ToDoubleMontgomery(c.Value));
        }
        file.Add(4, cs);

        file.Add(5, G1s(key.A));
        file.Add(6, G1s(key.B1));
        var b2 = new SectionWriter();
        foreach (var q in key.B2) b2.G2(q);
        file.Add(7, b2);
        file.Add(8, G1s(key.C));
        file.Add(9, G1s(key.H));
        var contributions = new SectionWriter();
        contributions.Raw(key.Contributions ?? []);
        file.Add(10, contributions);
        return file.ToArray();
    }

    private static SectionWriter G1s(G1Affine[] points)
    {
        var s = new SectionWriter();
        foreach (var q in points) s.G1(q);
        return s;
    }
}
