using System.Text.Json;
using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Proving.Tests;

/// <summary>A circuit whose Define is a lambda, so each test states its circuit inline.</summary>
internal sealed class TestCircuit(Action<ICircuitApi> define) : CircuitDefinition
{
    public override void Define(ICircuitApi api) => define(api);

    public static Dictionary<string, Fr> Inputs(params (string Name, Fr Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    public static IEnumerable<(string, Fr)> Array(string name, IEnumerable<Fr> values) => values.Select((v, i) => ($"{name}[{i}]", v));

    /// <summary>A satisfied solution whose witness R1cs accepts too; the solver and the compiled system must agree.</summary>
    public Solution SolveSatisfied(IReadOnlyDictionary<string, Fr> inputs)
    {
        var s = Solve(inputs);
        Assert.Null(s.Failure);
        Assert.Equal(-1, s.Circuit.R1cs.FirstUnsatisfied(s.Witness));
        return s;
    }

    /// <summary>
    /// Solving with a cheating hint must fail, and the solver, R1cs and Check must all name the same constraint;
    /// returns its label.
    /// </summary>
    public string SolveUnsatisfied(IReadOnlyDictionary<string, Fr> inputs, Action<string, Fr[]>? tamperHint = null)
    {
        var s = Solve(inputs, tamperHint);
        Assert.NotNull(s.Failure);
        Assert.Equal(s.Failure.Index, s.Circuit.R1cs.FirstUnsatisfied(s.Witness));
        Assert.Equal(s.Failure, s.Circuit.Check(s.Witness));
        Assert.Throws<UnsatisfiedConstraintException>(() => s.ThrowIfUnsatisfied());
        return s.Failure.Label;
    }

    /// <summary>Tampers only the n-th (from 0) call of the named hint, so one wire changes.</summary>
    public static Action<string, Fr[]> TamperNth(string hint, int n, Action<Fr[]> tamper)
    {
        int seen = 0;
        return (name, outputs) =>
        {
            if (name == hint && seen++ == n) tamper(outputs);
        };
    }
}

internal static class CircomlibVectors
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "circomlib.json"))).RootElement);

    public static JsonElement Get(string section) => Root.Value.GetProperty(section);
}
