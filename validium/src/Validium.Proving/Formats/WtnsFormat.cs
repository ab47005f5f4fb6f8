using Validium.Crypto;

namespace Validium.Proving.Formats;

/// <summary>A witness in circom wire order (value 0 is the constant 1).</summary>
public sealed record Wtns(Fr[] Values);

/// <summary>The .wtns binfile (magic "wtns", version 2): section 1 header (n8, prime, nWitness), section 2 canonical little-endian values.</summary>
public static class WtnsFormat
{
    private const int HeaderSection = 1, ValuesSection = 2;

    public static Wtns Read(string path) => Read(File.ReadAllBytes(path), Path.GetFileName(path));

    public static Wtns Read(byte[] data, string fileName)
    {
        var file = new BinFileReader(data, fileName, "wtns", 2);
        var h = file.Section(HeaderSection, "header");
        h.Prime(Fr.Modulus, "field");
        var n = h.U32("nWitness");
        h.End();

        var v = file.Section(ValuesSection, "values");
        v.ExpectLength(32L * n, $"{n} values × 32 bytes");
        // Checked without a message per value (making one had cost more than the check); the first bad one is named.
        var raw = v.Slice(checked((int)(32L * n)), "values").Span;
        var values = GC.AllocateUninitializedArray<Fr>((int)n);
        for (int i = 0; i < values.Length; i++)
        {
            var limbs = Limbs4.ReadLittleEndian(raw.Slice(32 * i, 32));
            if (!Mont<FrModulus>.IsCanonical(limbs)) throw v.Error($"value {i} is not below the scalar field prime");
            values[i] = Fr.FromCanonical(limbs);
        }
        return new Wtns(values);
    }

    public static byte[] Write(Wtns witness)
    {
        var file = new BinFileWriter("wtns", 2);
        var h = new SectionWriter();
        h.Prime(Fr.Modulus);
        h.U32((uint)witness.Values.Length);
        file.Add(HeaderSection, h);
        var v = new SectionWriter();
        foreach (var x in witness.Values) v.FrCanonical(x);
        file.Add(ValuesSection, v);
        return file.ToArray();
    }
}
