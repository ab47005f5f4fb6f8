using Validium.Crypto;

namespace Validium.Proving.Formats;

/// <summary>An .r1cs file's content: the system plus what circom adds around it (label count, wire-to-label map).</summary>
public sealed record R1csFile(R1cs System, ulong NumLabels, ulong[] WireToLabel);

/// <summary>
/// circom's .r1cs binfile (magic "r1cs", version 1): section 1 header, 2 constraints, 3 wire-to-label map.
/// Coefficients are canonical little-endian (not Montgomery, unlike the .zkey).
/// </summary>
public static class R1csFormat
{
    private const int HeaderSection = 1, ConstraintsSection = 2, WireMapSection = 3;

    public static R1csFile Read(string path) => Read(File.ReadAllBytes(path), Path.GetFileName(path));

    public static R1csFile Read(byte[] data, string fileName)
    {
        var file = new BinFileReader(data, fileName, "r1cs", 1);

        var h = file.Section(HeaderSection, "header");
        h.Prime(Fr.Modulus, "field");
        var nWires = h.U32("nWires");
        var nOut = h.U32("nPubOut");
        var nPubIn = h.U32("nPubIn");
        var nPrvIn = h.U32("nPrvIn");
        var nLabels = h.U64("nLabels");
        var nConstraints = h.U32("mConstraints");
        h.End();
        if (nWires is 0 or > int.MaxValue || 1L + nOut + nPubIn + nPrvIn > nWires)
            throw h.Error($"signal counts ({nOut} outputs, {nPubIn} public, {nPrvIn} private inputs) do not fit in {nWires} wires");

        var c = file.Section(ConstraintsSection, "constraints");
        // Each constraint needs at least three term counts, which bounds mConstraints by the section size.
        if ((long)nConstraints * 12 > c.Length) throw c.Error($"mConstraints {nConstraints} cannot fit in {c.Length} bytes");
        var constraints = new Constraint[nConstraints];
        for (int i = 0; i < constraints.Length; i++)
            constraints[i] = new Constraint(Lc(c, i, "A", nWires), Lc(c, i, "B", nWires), Lc(c, i, "C", nWires));
        c.End();

        var m = file.Section(WireMapSection, "wire-to-label map");
        m.ExpectLength(8L * nWires, $"{nWires} wires × 8 bytes");
        var map = new ulong[nWires];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = m.U64($"label of wire {i}");
            if (map[i] >= nLabels) throw m.Error($"wire {i} maps to label {map[i]} of {nLabels}");
        }

        return new R1csFile(new R1cs((int)nWires, (int)nOut, (int)nPubIn, (int)nPrvIn, constraints), nLabels, map);
    }

    private static Term[] Lc(SectionReader s, int constraint, string side, uint nWires)
    {
        var what = $"constraint {constraint} {side}";
        var terms = new Term[s.Count($"{what} term count", 36)];
        for (int k = 0; k < terms.Length; k++)
        {
            var wire = s.U32($"{what} wire");
            if (wire >= nWires) throw s.Error($"{what} refers to wire {wire} of {nWires}");
            terms[k] = new Term((int)wire, s.FrCanonical($"{what} coefficient"));
        }
        return terms;
    }

    /// <summary>Writes the system in circom's layout; without a map, wire i gets label i.</summary>
    public static byte[] Write(R1cs system, ulong[]? wireToLabel = null, ulong? numLabels = null)
    {
        var map = wireToLabel ?? Enumerable.Range(0, system.NumWires).Select(i => (ulong)i).ToArray();
        if (map.Length != system.NumWires) throw new ArgumentException($"the wire map has {map.Length} entries for {system.NumWires} wires");
        var labels = numLabels ?? (map.Length == 0 ? 0 : map.Max() + 1);

        var file = new BinFileWriter("r1cs", 1);
        var h = new SectionWriter();
        h.Prime(Fr.Modulus);
        h.U32((uint)system.NumWires);
        h.U32((uint)system.NumOutputs);
        h.U32((uint)system.NumPublicInputs);
        h.U32((uint)system.NumPrivateInputs);
        h.U64(labels);
        h.U32((uint)system.Constraints.Count);

        var c = new SectionWriter();
        foreach (var constraint in system.Constraints)
            foreach (var lc in new[] { constraint.A, constraint.B, constraint.C })
            {
                c.U32((uint)lc.Length);
                foreach (var t in lc)
                {
                    c.U32((uint)t.Wire);
                    c.FrCanonical(t.Coefficient);
                }
            }
        // circom 2.2 emits the constraints section before the header; following its order keeps
        // our output byte-identical to circom's for the same system.
        file.Add(ConstraintsSection, c);
        file.Add(HeaderSection, h);

        var m = new SectionWriter();
        foreach (var label in map) m.U64(label);
        file.Add(WireMapSection, m);
        return file.ToArray();
    }
}
