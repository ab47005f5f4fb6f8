using System.Text.Json;

namespace Validium.L1.Abi;

/// <summary>
/// A contract's interface as solc writes it (the "abi" array of standard-JSON output or a .abi file):
/// functions (overloads allowed), constructor, events and custom errors.
/// </summary>
public sealed class ContractAbi
{
    private readonly Dictionary<string, List<AbiFunction>> functionsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbiFunction> functionsBySignature = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AbiEvent>> eventsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbiEvent> eventsByTopic = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbiError> errorsBySelector = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbiError> errorsByName = new(StringComparer.Ordinal);

    public ContractAbi(IEnumerable<AbiFunction> functions, IEnumerable<AbiEvent> events, IEnumerable<AbiError> errors, AbiParameter[]? constructorInputs = null)
    {
        foreach (var f in functions)
        {
            if (!functionsBySignature.TryAdd(f.Signature, f)) throw new FormatException($"ABI lists function {f.Signature} twice");
            GetOrAdd(functionsByName, f.Name).Add(f);
        }
        foreach (var e in events)
        {
            GetOrAdd(eventsByName, e.Name).Add(e);
            if (!e.Anonymous) eventsByTopic.TryAdd(Hex.Encode(e.Topic0), e);
        }
        foreach (var e in errors)
        {
            // Two contracts in an inheritance tree may declare the same error: identical signatures are one error.
            errorsBySelector.TryAdd(Hex.Encode(e.Selector), e);
            errorsByName.TryAdd(e.Name, e);
        }
        ConstructorInputs = constructorInputs ?? [];
    }

    public IReadOnlyList<AbiParameter> ConstructorInputs { get; }
    public IEnumerable<AbiFunction> Functions => functionsBySignature.Values;
    public IEnumerable<AbiEvent> Events => eventsByName.Values.SelectMany(v => v);
    public IEnumerable<AbiError> Errors => errorsBySelector.Values;

    public static ContractAbi Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            return FromJson(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"ABI JSON is not valid JSON: {e.Message}", e);
        }
    }

    public static ContractAbi FromJson(JsonElement abi)
    {
        if (abi.ValueKind != JsonValueKind.Array) throw new FormatException("an ABI is a JSON array of entries");
        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiError>();
        AbiParameter[]? ctor = null;
        foreach (var entry in abi.EnumerateArray())
        {
            var kind = entry.TryGetProperty("type", out var k) ? k.GetString() : "function";
            switch (kind)
            {
                case "function":
                    functions.Add(new AbiFunction(Name(entry), Params(entry, "inputs"), Params(entry, "outputs"),
                        entry.TryGetProperty("stateMutability", out var m) ? m.GetString() ?? "nonpayable" : "nonpayable"));
                    break;
                case "event":
                    events.Add(new AbiEvent(Name(entry), Params(entry, "inputs"), entry.TryGetProperty("anonymous", out var a) && a.GetBoolean()));
                    break;
                case "error":
                    errors.Add(new AbiError(Name(entry), Params(entry, "inputs")));
                    break;
                case "constructor":
                    ctor = Params(entry, "inputs");
                    break;
                case "fallback" or "receive":
                    break;
                default:
                    throw new FormatException($"ABI entry of unknown type '{kind}'");
            }
        }
        return new ContractAbi(functions, events, errors, ctor);
    }

    /// <summary>By name (must not be overloaded) or by full signature "transfer(address,uint256)".</summary>
    public AbiFunction Function(string nameOrSignature)
    {
        if (functionsBySignature.TryGetValue(nameOrSignature, out var f)) return f;
        if (!functionsByName.TryGetValue(nameOrSignature, out var list)) throw new KeyNotFoundException($"the ABI has no function '{nameOrSignature}'");
        if (list.Count > 1) throw new ArgumentException($"'{nameOrSignature}' is overloaded: name one of {string.Join(", ", list.Select(x => x.Signature))}");
        return list[0];
    }

    public AbiEvent Event(string nameOrSignature)
    {
        var all = Events.Where(e => e.Signature == nameOrSignature).ToList();
        if (all.Count == 0 && eventsByName.TryGetValue(nameOrSignature, out var byName)) all = byName;
        return all.Count switch
        {
            0 => throw new KeyNotFoundException($"the ABI has no event '{nameOrSignature}'"),
            1 => all[0],
            _ => throw new ArgumentException($"'{nameOrSignature}' is overloaded: name one of {string.Join(", ", all.Select(x => x.Signature))}"),
        };
    }

    public AbiError Error(string name) =>
        errorsByName.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"the ABI has no error '{name}'");

    /// <summary>Decodes a log of one of this ABI's (non-anonymous) events; null when topic 0 matches none of them.</summary>
    public DecodedEvent? TryDecodeLog(IReadOnlyList<byte[]> topics, ReadOnlySpan<byte> data)
    {
        if (topics.Count == 0 || !eventsByTopic.TryGetValue(Hex.Encode(topics[0]), out var ev)) return null;
        return ev.Decode(topics, data);
    }

    /// <summary>
    /// What a revert's data says: Error(string), Panic(uint256), one of this ABI's custom errors, or raw bytes
    /// when nothing matches (or the arguments do not decode under the matching selector).
    /// </summary>
    public RevertReason DecodeRevert(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4) return new RevertReason(null, [], data.ToArray());
        var selector = Hex.Encode(data[..4]);
        AbiError? error = selector == Hex.Encode(AbiError.ErrorString.Selector) ? AbiError.ErrorString
            : selector == Hex.Encode(AbiError.Panic.Selector) ? AbiError.Panic
            : errorsBySelector.GetValueOrDefault(selector);
        if (error is null) return new RevertReason(null, [], data.ToArray());
        try
        {
            return new RevertReason(error, AbiCodec.Decode(error.InputTypes, data[4..]), data.ToArray());
        }
        catch (FormatException)
        {
            return new RevertReason(null, [], data.ToArray());
        }
    }

    private static string Name(JsonElement entry) =>
        entry.TryGetProperty("name", out var n) && n.GetString() is { Length: > 0 } s ? s : throw new FormatException("ABI entry without a name");

    private static AbiParameter[] Params(JsonElement entry, string property)
    {
        if (!entry.TryGetProperty(property, out var list)) return [];
        if (list.ValueKind != JsonValueKind.Array) throw new FormatException($"ABI '{property}' must be an array");
        return list.EnumerateArray().Select(Param).ToArray();
    }

    private static AbiParameter Param(JsonElement p)
    {
        var type = p.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (string.IsNullOrEmpty(type)) throw new FormatException("ABI parameter without a type");
        var components = p.TryGetProperty("components", out var c) ? c.EnumerateArray().Select(Param).ToArray() : null;
        return new AbiParameter(
            p.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "",
            AbiType.FromJson(type, components),
            p.TryGetProperty("indexed", out var i) && i.GetBoolean(),
            p.TryGetProperty("internalType", out var it) ? it.GetString() : null);
    }

    private static List<T> GetOrAdd<T>(Dictionary<string, List<T>> d, string key)
    {
        if (!d.TryGetValue(key, out var list)) d[key] = list = [];
        return list;
    }
}
