using System.Numerics;
using System.Text.Json;

namespace Validium.Crypto.Tests;

/// <summary>Checked-in outputs of the generator scripts in accel/tests/vectors (copied next to the test assembly).</summary>
internal static class VectorFile
{
    public static JsonElement Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", fileName);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static byte[] Hex(this JsonElement e) => Hex(e.GetString()!);

    public static byte[] Hex(string s) => Convert.FromHexString(s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s);

    public static BigInteger HexInteger(this JsonElement e) => new(e.Hex(), isUnsigned: true, isBigEndian: true);

    public static string Str(this JsonElement e, string property) => e.GetProperty(property).GetString()!;

    /// <summary>Rows for a [Theory]: each case's name, so failures say which vector broke.</summary>
    public static TheoryData<string> Names(string fileName, string arrayProperty)
    {
        var data = new TheoryData<string>();
        foreach (var c in Load(fileName).GetProperty(arrayProperty).EnumerateArray()) data.Add(c.Str("name"));
        return data;
    }

    public static JsonElement Case(string fileName, string arrayProperty, string name) =>
        Load(fileName).GetProperty(arrayProperty).EnumerateArray().Single(c => c.Str("name") == name);
}
