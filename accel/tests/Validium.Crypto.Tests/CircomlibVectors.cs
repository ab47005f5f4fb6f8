using System.Text.Json;

namespace Validium.Crypto.Tests;

/// <summary>circomlib.json, written by accel/tests/vectors/gen-circomlib.mjs from circomlibjs itself.</summary>
internal static class CircomlibVectors
{
    private static readonly Lazy<JsonElement> Root = new(() => VectorFile.Load("circomlib.json"));

    public static JsonElement Get(string section) => Root.Value.GetProperty(section);

    /// <summary>Indices into a section, for [MemberData] so each vector reports as its own case.</summary>
    public static TheoryData<int> Indices(string section)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Get(section).GetArrayLength(); i++) data.Add(i);
        return data;
    }

    public static JsonElement Item(string section, int index) => Get(section)[index];

    public static Fr Fr(this JsonElement e, string name) => Validium.Crypto.Fr.Parse(e.Str(name));

    public static byte[] Hex(this JsonElement e, string name) => Convert.FromHexString(e.Str(name));
}
