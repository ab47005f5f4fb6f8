using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Circuits;

/// <summary>
/// Private inputs under a dotted prefix ("trade[3].taker.price"): the circuit declares through this and the witness
/// builder writes through <see cref="Assignment"/> with the same prefixes and names, so the two meet by name.
/// </summary>
internal readonly struct Inputs(ICircuitApi api, string prefix)
{
    public Variable this[string name] => api.PrivateInput(prefix + name);

    public Variable[] Many(string name, int count) => api.PrivateInputs(prefix + name, count);

    public Inputs Sub(string name) => new(api, prefix + name + ".");
}

/// <summary>The witness side of <see cref="Inputs"/>: values under the same dotted names.</summary>
internal readonly struct Assignment(Dictionary<string, Fr> values, string prefix)
{
    public Assignment(Dictionary<string, Fr> values) : this(values, "") { }

    public Fr this[string name]
    {
        set => values.Add(prefix + name, value);
    }

    public void Many(string name, ReadOnlySpan<Fr> items)
    {
        for (int i = 0; i < items.Length; i++) values.Add($"{prefix}{name}[{i}]", items[i]);
    }

    public Assignment Sub(string name) => new(values, prefix + name + ".");
}
