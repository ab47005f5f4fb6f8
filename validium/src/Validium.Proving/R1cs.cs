using System.Collections;
using Validium.Crypto;

namespace Validium.Proving;

/// <summary>One term of a linear combination: coefficient × wire.</summary>
public readonly record struct Term(int Wire, Fr Coefficient);

/// <summary>A·w ∘ B·w = C·w for the witness vector w.</summary>
public sealed record Constraint(Term[] A, Term[] B, Term[] C, string Label = "");

/// <summary>
/// A rank-1 constraint system in circom's wire order: wire 0 is the constant 1, then the public outputs,
/// then the public inputs, then everything private. snarkjs's nPublic is NumOutputs + NumPublicInputs.
/// Stored compactly (a few million constraints must fit beside a proving key): each row names three combinations
/// in a shared <see cref="LinearCombinationPool"/>, so a combination used in several places (a Poseidon S-box's
/// input is both factors of x·x and one of x⁴·x) is kept once; <see cref="Constraints"/> spells rows out on demand.
/// </summary>
public sealed class R1cs
{
    // Three pool indices per constraint: its A, B and C combinations.
    private readonly int[] rows;
    private readonly Func<int, string> label;

    public R1cs(int numWires, int numOutputs, int numPublicInputs, int numPrivateInputs, IReadOnlyList<Constraint> constraints)
        : this(numWires, numOutputs, numPublicInputs, numPrivateInputs, PoolOf(constraints, out var rows), rows, LabelsOf(constraints))
    {
    }

    internal R1cs(int numWires, int numOutputs, int numPublicInputs, int numPrivateInputs, LinearCombinationPool pool, int[] rows, Func<int, string> label)
    {
        if (numWires < 1) throw new ArgumentOutOfRangeException(nameof(numWires), "a system has at least the constant wire");
        if (numOutputs < 0 || numPublicInputs < 0 || numPrivateInputs < 0 || 1 + numOutputs + numPublicInputs + numPrivateInputs > numWires)
            throw new ArgumentException($"signal counts ({numOutputs} outputs, {numPublicInputs} public, {numPrivateInputs} private) do not fit in {numWires} wires");
        var wires = pool.Wires;
        var start = pool.Start;
        for (int k = 0; k < rows.Length; k++)
            for (int i = start[rows[k]]; i < start[rows[k] + 1]; i++)
                if ((uint)wires[i] >= (uint)numWires) throw new ArgumentException($"constraint '{label(k / 3)}' refers to wire {wires[i]} of {numWires}");
        NumWires = numWires;
        NumOutputs = numOutputs;
        NumPublicInputs = numPublicInputs;
        NumPrivateInputs = numPrivateInputs;
        Pool = pool;
        this.rows = rows;
        this.label = label;
        Constraints = new ConstraintList(this);
    }

    public int NumWires { get; }
    public int NumOutputs { get; }
    public int NumPublicInputs { get; }
    public int NumPrivateInputs { get; }

    /// <summary>Public signals a verifier sees: outputs then public inputs (wires 1..NumPublic).</summary>
    public int NumPublic => NumOutputs + NumPublicInputs;

    public int ConstraintCount => rows.Length / 3;

    /// <summary>Each constraint spelled out as term arrays (allocated per access: for tests, files and diagnostics).</summary>
    public IReadOnlyList<Constraint> Constraints { get; }

    internal LinearCombinationPool Pool { get; }

    /// <summary>The pool index of constraint k's A (matrix 0), B (1) or C (2) combination.</summary>
    internal int Row(int k, int matrix) => rows[3 * k + matrix];

    /// <summary>Where constraint k came from: scope, operation and call site for circuits built with the DSL.</summary>
    public string Label(int k) => label(k);

    public static Fr Evaluate(ReadOnlySpan<Term> lc, ReadOnlySpan<Fr> witness)
    {
        var acc = Fr.Zero;
        foreach (var t in lc) acc += t.Coefficient * witness[t.Wire];
        return acc;
    }

    /// <summary>The index of the first constraint the witness violates, or -1 when it satisfies them all.</summary>
    public int FirstUnsatisfied(ReadOnlySpan<Fr> witness)
    {
        if (witness.Length != NumWires) throw new ArgumentException($"witness has {witness.Length} values, the system {NumWires} wires");
        if (!witness[0].IsOne) throw new ArgumentException("wire 0 of a witness must hold the constant 1");
        for (int k = 0; k < ConstraintCount; k++)
            if (Pool.Evaluate(rows[3 * k], witness) * Pool.Evaluate(rows[3 * k + 1], witness) != Pool.Evaluate(rows[3 * k + 2], witness)) return k;
        return -1;
    }

    private static LinearCombinationPool PoolOf(IReadOnlyList<Constraint> constraints, out int[] rows)
    {
        var pool = new LinearCombinationPool();
        rows = new int[3 * constraints.Count];
        for (int k = 0; k < constraints.Count; k++)
        {
            rows[3 * k] = pool.Add(constraints[k].A);
            rows[3 * k + 1] = pool.Add(constraints[k].B);
            rows[3 * k + 2] = pool.Add(constraints[k].C);
        }
        return pool.Freeze();
    }

    private static Func<int, string> LabelsOf(IReadOnlyList<Constraint> constraints)
    {
        string[] labels = [.. constraints.Select(c => c.Label)];
        return k => labels[k];
    }

    private sealed class ConstraintList(R1cs system) : IReadOnlyList<Constraint>
    {
        public int Count => system.ConstraintCount;

        public Constraint this[int k]
        {
            get
            {
                if ((uint)k >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(k), $"constraint {k} of {Count}");
                var p = system.Pool;
                return new Constraint(p.Terms(system.Row(k, 0)), p.Terms(system.Row(k, 1)), p.Terms(system.Row(k, 2)), system.Label(k));
            }
        }

        public IEnumerator<Constraint> GetEnumerator()
        {
            for (int k = 0; k < Count; k++) yield return this[k];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
