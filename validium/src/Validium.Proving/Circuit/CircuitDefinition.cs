using System.Collections.Immutable;
using Validium.Crypto;

namespace Validium.Proving.Circuit;

/// <summary>
/// A circuit written once: Define declares its signals through the api (PublicInput, PrivateInput, Output)
/// and states its constraints. Compile turns it into an R1cs in circom's wire order (constant, outputs,
/// public inputs, private inputs, internal wires, each group in declaration order), so the public signals
/// come in the order snarkjs expects whatever order Define declares them in. Solve runs the same Define
/// over concrete input values, hints included, and yields the witness in that same order.
/// </summary>
public abstract class CircuitDefinition
{
    public abstract void Define(ICircuitApi api);

    public CompiledCircuit Compile()
    {
        var b = new CircuitBuilder(null, null);
        Define(b);
        return b.Compile();
    }

    /// <summary>
    /// Every wire's value from the inputs (array inputs as "name[i]"). A violated constraint does not stop
    /// solving: the witness is completed and <see cref="Solution.Failure"/> names the first one.
    /// </summary>
    public Solution Solve(IReadOnlyDictionary<string, Fr> assignment) => Solve(assignment, null);

    /// <summary>As Solve, letting tamperHint(hintName, outputs) overwrite hint outputs: how tests play a cheating prover.</summary>
    internal Solution Solve(IReadOnlyDictionary<string, Fr> assignment, Action<string, Fr[]>? tamperHint)
    {
        var b = new CircuitBuilder(assignment, tamperHint);
        Define(b);
        return b.Solution(Compile);
    }
}

/// <summary>A violated constraint: its index in the R1cs and its label (scope, operation, call site).</summary>
public sealed record ConstraintFailure(int Index, string Label)
{
    public override string ToString() => $"constraint {Index} unsatisfied: {Label}";
}

/// <summary>A compiled circuit; SignalNames covers the wires that are declared signals (constant, outputs, inputs).</summary>
public sealed class CompiledCircuit(R1cs r1cs, ImmutableArray<string> signalNames)
{
    public R1cs R1cs { get; } = r1cs;
    public ImmutableArray<string> SignalNames { get; } = signalNames;

    /// <summary>The first constraint a witness violates, by label, or null when it satisfies them all.</summary>
    public ConstraintFailure? Check(ReadOnlySpan<Fr> witness)
    {
        int i = R1cs.FirstUnsatisfied(witness);
        return i < 0 ? null : new ConstraintFailure(i, R1cs.Label(i));
    }
}

/// <summary>
/// A solved witness, the system it satisfies (or not) and the first failing constraint if any. Solving records no
/// constraints (a large circuit's system would double the memory a proof needs), so <see cref="Circuit"/> compiles
/// the definition again the first time it is asked for.
/// </summary>
public sealed class Solution
{
    private readonly Lazy<CompiledCircuit> circuit;
    private readonly ImmutableArray<string> signalNames;
    private readonly int numPublic;

    internal Solution(Lazy<CompiledCircuit> circuit, ImmutableArray<string> signalNames, int numPublic, Fr[] witness, ConstraintFailure? failure)
    {
        this.circuit = circuit;
        this.signalNames = signalNames;
        this.numPublic = numPublic;
        Witness = witness;
        Failure = failure;
    }

    public CompiledCircuit Circuit => circuit.Value;
    public Fr[] Witness { get; }
    public ConstraintFailure? Failure { get; }
    public bool IsSatisfied => Failure is null;

    /// <summary>Outputs then public inputs: what a verifier is given.</summary>
    public ReadOnlySpan<Fr> PublicSignals => Witness.AsSpan(1, numPublic);

    public Fr this[string signal]
    {
        get
        {
            int i = signalNames.IndexOf(signal);
            return i < 0 ? throw new KeyNotFoundException($"no signal '{signal}'") : Witness[i];
        }
    }

    public Solution ThrowIfUnsatisfied() => Failure is null ? this : throw new UnsatisfiedConstraintException(Failure);
}

public sealed class UnsatisfiedConstraintException(ConstraintFailure failure) : Exception(failure.ToString())
{
    public ConstraintFailure Failure { get; } = failure;
}
