using System.Globalization;
using System.Numerics;

namespace Validium.L1.Abi;

/// <summary>Human-readable renderings of decoded values, for exception messages and logs.</summary>
public static class AbiFormat
{
    public static string Call(string name, IReadOnlyList<AbiParameter> parameters, IReadOnlyList<object?> values)
    {
        var parts = new string[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            var label = i < parameters.Count && parameters[i].Name.Length > 0 ? parameters[i].Name + "=" : "";
            parts[i] = label + Value(values[i]);
        }
        return $"{name}({string.Join(", ", parts)})";
    }

    public static string Value(object? value) => value switch
    {
        null => "null",
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => Hex.Encode(bytes),
        string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        object?[] items => "[" + string.Join(", ", items.Select(Value)) + "]",
        _ => value.ToString() ?? "",
    };
}
