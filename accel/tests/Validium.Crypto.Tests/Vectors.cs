using System.Text.Json;

namespace Validium.Crypto.Tests;

/// <summary>Independent vectors written by accel/tests/vectors/gen-pairing.mjs (ffjavascript), copied next to the tests.</summary>
internal static class Vectors
{
    private static readonly Lazy<JsonElement> PairingJson = new(() => VectorFile.Load("pairing.json"));

    public static JsonElement Pairing => PairingJson.Value;

    public static string[][] StringMatrix(JsonElement e) =>
        e.EnumerateArray().Select(row => row.EnumerateArray().Select(s => s.GetString()!).ToArray()).ToArray();

    public static G1Affine G1(JsonElement e)
    {
        var c = e.EnumerateArray().Select(s => s.GetString()!).ToArray();
        return G1Affine.FromDecimal(c[0], c[1]);
    }

    public static G2Affine G2(JsonElement e) => G2Affine.FromDecimal(StringMatrix(e));
}
