using System.Text;
using System.Text.Json;
using Validium.Crypto;
using Validium.Proving.Groth16;

namespace Validium.Proving.Formats;

/// <summary>
/// snarkjs's JSON files, written the way snarkjs (bfj, one-space indent, "\n", no final newline) writes them so the
/// output is byte-for-byte what snarkjs produces. Points are projective decimal strings with z = "1"; snarkjs writes
/// infinity as (0, 1, 0).
/// </summary>
public static class SnarkjsJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, IndentSize = 1, NewLine = "\n" };

    /// <summary>Reads verification_key.json; its vk_alphabeta_12 must be e(vk_alpha_1, vk_beta_2), or the file is refused.</summary>
    public static VerifyingKey ReadVerificationKey(string json, string fileName) => Parse(json, fileName, root =>
    {
        ExpectGroth16(root, fileName);
        var nPublic = Get(root, "nPublic", fileName);
        if (nPublic.ValueKind != JsonValueKind.Number || !nPublic.TryGetInt32(out var n) || n < 0)
            throw new FormatException($"{fileName}: nPublic must be a non-negative integer");
        var ic = Get(root, "IC", fileName);
        if (ic.ValueKind != JsonValueKind.Array || ic.GetArrayLength() != n + 1)
            throw new FormatException($"{fileName}: IC must be an array of nPublic + 1 = {n + 1} points");
        var vk = new VerifyingKey(
            G1(root, "vk_alpha_1", fileName), G2(root, "vk_beta_2", fileName), G2(root, "vk_gamma_2", fileName),
            G2(root, "vk_delta_2", fileName), ic.EnumerateArray().Select((p, i) => G1Point(p, $"IC[{i}]", fileName)).ToArray());
        if (Gt(Get(root, "vk_alphabeta_12", fileName), fileName) != Pairing.Pair(vk.Alpha1, vk.Beta2))
            throw new FormatException($"{fileName}: vk_alphabeta_12 is not e(vk_alpha_1, vk_beta_2)");
        return vk;
    });

    /// <summary>verification_key.json as snarkjs writes it, with vk_alphabeta_12 = e(α, β) precomputed for verifiers.</summary>
    public static string WriteVerificationKey(VerifyingKey vk) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("protocol", "groth16");
        w.WriteString("curve", "bn128");
        w.WriteNumber("nPublic", vk.NumPublic);
        w.WritePropertyName("vk_alpha_1");
        G1(w, vk.Alpha1);
        w.WritePropertyName("vk_beta_2");
        G2(w, vk.Beta2);
        w.WritePropertyName("vk_gamma_2");
        G2(w, vk.Gamma2);
        w.WritePropertyName("vk_delta_2");
        G2(w, vk.Delta2);
        w.WritePropertyName("vk_alphabeta_12");
        Gt(w, Pairing.Pair(vk.Alpha1, vk.Beta2));
        w.WriteStartArray("IC");
        foreach (var p in vk.IC) G1(w, p);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static Proof ReadProof(string json, string fileName) => Parse(json, fileName, root =>
    {
        ExpectGroth16(root, fileName);
        return new Proof(G1(root, "pi_a", fileName), G2(root, "pi_b", fileName), G1(root, "pi_c", fileName));
    });

    public static string WriteProof(Proof proof) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("pi_a");
        G1(w, proof.A);
        w.WritePropertyName("pi_b");
        G2(w, proof.B);
        w.WritePropertyName("pi_c");
        G1(w, proof.C);
        w.WriteString("protocol", "groth16");
        w.WriteString("curve", "bn128");
        w.WriteEndObject();
    });

    public static Fr[] ReadPublicSignals(string json, string fileName) => Parse(json, fileName, root =>
    {
        if (root.ValueKind != JsonValueKind.Array) throw new FormatException($"{fileName}: public signals must be an array of decimal strings");
        return root.EnumerateArray().Select((e, i) => Fr.Parse(Str(e, $"public signal {i}", fileName))).ToArray();
    });

    public static string WritePublicSignals(IEnumerable<Fr> signals) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var s in signals) w.WriteStringValue(s.ToString());
        w.WriteEndArray();
    });

    private static T Parse<T>(string json, string fileName, Func<JsonElement, T> read)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return read(doc.RootElement);
        }
        catch (JsonException e) { throw new FormatException($"{fileName}: not valid JSON: {e.Message}", e); }
        catch (FormatException e) when (!e.Message.StartsWith(fileName, StringComparison.Ordinal))
        {
            throw new FormatException($"{fileName}: {e.Message}", e);
        }
        catch (ArgumentException e) { throw new FormatException($"{fileName}: {e.Message}", e); }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void ExpectGroth16(JsonElement root, string fileName)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{fileName}: expected a JSON object");
        var protocol = Str(Get(root, "protocol", fileName), "protocol", fileName);
        var curve = Str(Get(root, "curve", fileName), "curve", fileName);
        if (protocol != "groth16" || curve != "bn128") throw new FormatException($"{fileName}: protocol '{protocol}' on curve '{curve}', expected groth16 on bn128");
    }

    private static JsonElement Get(JsonElement obj, string name, string fileName) =>
        obj.TryGetProperty(name, out var e) ? e : throw new FormatException($"{fileName}: '{name}' is missing");

    private static string Str(JsonElement e, string what, string fileName) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"{fileName}: {what} must be a decimal string");

    private static string[] Strings(JsonElement e, int count, string what, string fileName)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != count)
            throw new FormatException($"{fileName}: {what} must be an array of {count}");
        return e.EnumerateArray().Select(x => Str(x, what, fileName)).ToArray();
    }

    private static G1Affine G1(JsonElement obj, string name, string fileName) => G1Point(Get(obj, name, fileName), name, fileName);

    private static G1Affine G1Point(JsonElement e, string what, string fileName)
    {
        var s = Strings(e, 3, what, fileName);
        try
        {
            return s[2] switch
            {
                "1" => G1Affine.FromDecimal(s[0], s[1]),
                "0" => G1Affine.Infinity,
                _ => throw new FormatException("only affine points (z = 1) are accepted"),
            };
        }
        catch (FormatException e2) { throw new FormatException($"{fileName}: {what}: {e2.Message}", e2); }
    }

    private static G2Affine G2(JsonElement obj, string name, string fileName)
    {
        var e = Get(obj, name, fileName);
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 3) throw new FormatException($"{fileName}: {name} must be [[x_c0, x_c1], [y_c0, y_c1], [z_c0, z_c1]]");
        var rows = e.EnumerateArray().Select(r => (IReadOnlyList<string>)Strings(r, 2, name, fileName)).ToArray();
        try { return G2Affine.FromDecimal(rows); }
        catch (Exception ex) when (ex is FormatException or ArgumentException) { throw new FormatException($"{fileName}: {name}: {ex.Message}", ex); }
    }

    private static Fp2 Fp2Of(JsonElement e, string fileName)
    {
        var s = Strings(e, 2, "vk_alphabeta_12 coefficient", fileName);
        return new Fp2(Fp.Parse(s[0]), Fp.Parse(s[1]));
    }

    /// <summary>Fp12 as ffjavascript's Gt.toObject lays it out: [[c0.c0, c0.c1, c0.c2], [c1.c0, c1.c1, c1.c2]], each an Fp2 pair.</summary>
    private static Fp12 Gt(JsonElement e, string fileName)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2 || e.EnumerateArray().Any(h => h.ValueKind != JsonValueKind.Array || h.GetArrayLength() != 3))
            throw new FormatException($"{fileName}: vk_alphabeta_12 must be 2 × 3 Fp2 pairs");
        var halves = e.EnumerateArray().Select(h => h.EnumerateArray().Select(c => Fp2Of(c, fileName)).ToArray()).ToArray();
        return new Fp12(new Fp6(halves[0][0], halves[0][1], halves[0][2]), new Fp6(halves[1][0], halves[1][1], halves[1][2]));
    }

    private static void G1(Utf8JsonWriter w, G1Affine p)
    {
        w.WriteStartArray();
        if (p.IsInfinity) Values(w, "0", "1", "0");
        else Values(w, p.X.ToString(), p.Y.ToString(), "1");
        w.WriteEndArray();
    }

    private static void G2(Utf8JsonWriter w, G2Affine p)
    {
        w.WriteStartArray();
        if (p.IsInfinity) Rows(w, [Fp2.Zero, Fp2.One, Fp2.Zero]);
        else Rows(w, [p.X, p.Y, Fp2.One]);
        w.WriteEndArray();
    }

    private static void Gt(Utf8JsonWriter w, Fp12 v)
    {
        w.WriteStartArray();
        foreach (var half in new[] { v.C0, v.C1 })
        {
            w.WriteStartArray();
            Rows(w, [half.C0, half.C1, half.C2]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void Rows(Utf8JsonWriter w, Fp2[] rows)
    {
        foreach (var r in rows)
        {
            w.WriteStartArray();
            Values(w, r.C0.ToString(), r.C1.ToString());
            w.WriteEndArray();
        }
    }

    private static void Values(Utf8JsonWriter w, params string[] values)
    {
        foreach (var v in values) w.WriteStringValue(v);
    }
}
