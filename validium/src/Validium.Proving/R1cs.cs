using Validium.Crypto;

namespace Validium.Proving;

/// <summary>One term of a linear combination: coefficient × wire.</summary>
public readonly record struct Term(int Wire, Fr Coefficient);

/// <summary>A·w ∘ B·w = C·w for the witness vector w.</summary>
public sealed record Constraint(Term[] A, Term[] B, Term[] C, string Label = "");

/// <summary>
/// A rank-1 constraint system in circom's wire order: wire 0 is the constant 1, then the public outputs,
/// then the public inputs, then everything private. snarkjs's nPublic is NumOutputs + NumPublicInputs.
/// </summary>
public sealed class R1cs
{
    public R1cs(int numWires, int numOutputs, int numPublicInputs, int numPrivateInputs, IReadOnlyList<Constraint> constraints)
    {
        if (numWires < 1) throw new ArgumentOutOfRangeException(nameof(numWires), "a system has at least the constant wire");
        if (numOutputs < 0 || numPublicInputs < 0 || numPrivateInputs < 0 || 1 + numOutputs + numPublicInputs + numPrivateInputs > numWires)
            throw new ArgumentException($"signal counts ({numOutputs} outputs, {numPublicInputs} public, {numPrivateInputs} private) do not fit in {numWires} wires");
        foreach (var c in constraints)
            foreach (var t in c.A.Concat(c.B).Concat(c.C))
                if ((uint)t.Wire >= (uint)numWires) throw new ArgumentException($"constraint '{c.Label}' refers to wire {t.Wire} of {numWires}");
        NumWires = numWires;
        NumOutputs = numOutputs;
        NumPublicInputs = numPublicInputs;
        NumPrivateInputs = numPrivateInputs;
        Constraints = constraints;
    }

    public int NumWires { get; }
    public int NumOutputs { get; }
    public int NumPublicInputs { get; }
    public int NumPrivateInputs { get; }

    /// <summary>Public signals a verifier sees: outputs then public inputs (wires 1..NumPublic).</summary>
    public int NumPublic => NumOutputs + NumPublicInputs;

    public IReadOnlyList<Constraint> Constraints { get; }

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
        for (int i = 0; i < Constraints.Count; i++)
        {
            var c = Constraints[i];
            if (Evaluate(c.A, witness) * Evaluate(c.B, witness) != Evaluate(c.C, witness)) return i;
        }
        return -1;
    }
}
