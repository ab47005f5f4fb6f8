using System.Text.Json;
using Validium.Accel.Cpu;
using Validium.Crypto;

namespace Validium.Accel.Tests;

/// <summary>Pippenger against ffjavascript's G1.multiExpAffine (accel/tests/vectors/ffjavascript.json), every window size.</summary>
public class FfjavascriptMsmTests
{
    private static JsonElement Vectors()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "ffjavascript.json")));
        return doc.RootElement.GetProperty("g1MultiExp").Clone();
    }

    public static TheoryData<string> Cases()
    {
        var d = new TheoryData<string>();
        foreach (var c in Vectors().EnumerateArray()) d.Add(c.GetProperty("name").GetString()!);
        return d;
    }

    private static G1Affine Point(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? G1Affine.Infinity : G1Affine.FromDecimal(e[0].GetString()!, e[1].GetString()!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFfjavascriptForEveryWindow(string name)
    {
        var c = Vectors().EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        var points = c.GetProperty("points").EnumerateArray().Select(Point).ToArray();
        var scalars = c.GetProperty("scalars").EnumerateArray().Select(s => Fr.Parse(s.GetString()!)).ToArray();
        var expected = Point(c.GetProperty("result"));
        foreach (int window in new[] { 0, 1, 4, 8, 13 })
            Assert.Equal(expected, Pippenger.Msm<G1Jacobian, G1Affine, Fp>(points, scalars, 2, default, window).ToAffine());
    }
}
