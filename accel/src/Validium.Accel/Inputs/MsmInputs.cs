using System.Text.Json;
using Validium.Crypto;

namespace Validium.Accel.Inputs;

/// <summary>
/// MSM inputs as people and peer tools exchange them: JSON arrays of decimal strings, points as
/// ["x","y"] pairs (snarkjs's convention), or generated from a seed for benchmarks.
/// </summary>
public static class MsmInputs
{
    public static G1Affine[] ReadPoints(string json, string source)
    {
        using var doc = Parse(json, source);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException($"{source}: expected a JSON array of [\"x\",\"y\"] points");
        var result = new G1Affine[doc.RootElement.GetArrayLength()];
        int i = 0;
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() < 2)
                throw new FormatException($"{source}: point {i} must be an array [\"x\",\"y\"]");
            string x = Str(e[0], source, i), y = Str(e[1], source, i);
            if (!Fp.TryParse(x, out var fx) || !Fp.TryParse(y, out var fy))
                throw new FormatException($"{source}: point {i} has a coordinate that is not a decimal below the base-field modulus");
            // A third coordinate (snarkjs writes projective ["x","y","1"]) must be 1 or, for infinity, 0.
            if (e.GetArrayLength() == 3)
            {
                var z = Str(e[2], source, i);
                if (z == "0") { result[i++] = G1Affine.Infinity; continue; }
                if (z != "1") throw new FormatException($"{source}: point {i} has z = {z}; only affine points (z = 1) are accepted");
            }
            var p = new G1Affine(fx, fy);
            if (!p.IsOnCurve()) throw new FormatException($"{source}: point {i} ({x}, {y}) is not on BN254 G1");
            result[i++] = p;
        }
        return result;
    }

    public static Fr[] ReadScalars(string json, string source)
    {
        using var doc = Parse(json, source);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException($"{source}: expected a JSON array of decimal strings");
        var result = new Fr[doc.RootElement.GetArrayLength()];
        int i = 0;
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var s = Str(e, source, i);
            if (!Fr.TryParse(s, out result[i])) throw new FormatException($"{source}: scalar {i} '{s}' is not a decimal below the scalar-field modulus");
            i++;
        }
        return result;
    }

    /// <summary>Deterministic inputs: scalars uniform in Fr, points a + i·b for random multiples a, b of the generator.</summary>
    public static (G1Affine[] Points, Fr[] Scalars) Generate(int n, int seed)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), "size must not be negative");
        var rng = new Random(seed);
        var scalars = new Fr[n];
        for (int i = 0; i < n; i++) scalars[i] = Fr.Random(rng);
        var start = G1Jacobian.Generator.Multiply(Fr.Random(rng));
        var step = G1Affine.Generator * Fr.Random(rng);
        var points = new G1Affine[n];
        const int block = 1 << 14;
        var jac = new G1Jacobian[Math.Min(block, Math.Max(1, n))];
        for (int off = 0; off < n; off += block)
        {
            int len = Math.Min(block, n - off);
            for (int i = 0; i < len; i++) { jac[i] = start; start = start.AddMixed(step); }
            G1Jacobian.BatchToAffine(jac.AsSpan(0, len), points.AsSpan(off, len));
        }
        return (points, scalars);
    }

    private static JsonDocument Parse(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON: {ex.Message}", ex);
        }
    }

    private static string Str(JsonElement e, string source, int i) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number => e.GetRawText(),
        _ => throw new FormatException($"{source}: entry {i} must be a decimal string"),
    };
}
