using System.Runtime.CompilerServices;
using Validium.Crypto;

namespace Validium.Proving.Circuit;

/// <summary>Computes a hint's outputs from its inputs' values; runs only while solving a witness.</summary>
public delegate void HintFunction(ReadOnlySpan<Fr> inputs, Span<Fr> outputs);

/// <summary>
/// What a <see cref="CircuitDefinition"/>'s Define sees. The same calls build the constraint system when compiling
/// and compute every wire's value when solving, so Define must not branch on values (it cannot see them).
/// Methods that add constraints take caller information so a failing constraint names the line that made it.
/// Costs below count R1CS constraints; "free" means the result is a new linear combination only.
/// </summary>
public interface ICircuitApi
{
    Variable PublicInput(string name);
    Variable PrivateInput(string name);

    /// <summary>Inputs named name[0]..name[count-1].</summary>
    Variable[] PublicInputs(string name, int count);
    Variable[] PrivateInputs(string name, int count);

    /// <summary>A public output equal to value: free when value is an unclaimed internal wire, else 1.</summary>
    void Output(string name, Variable value, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>Free.</summary>
    Variable Add(Variable a, Variable b);

    /// <summary>Free.</summary>
    Variable Sub(Variable a, Variable b);

    /// <summary>1, or free when either operand is constant.</summary>
    Variable Mul(Variable a, Variable b, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>
    /// a·b + c on one fresh wire: 1, free when a or b is constant. Where a running value is updated by a product
    /// plus earlier terms, this keeps it a single wire instead of a combination that grows at every step.
    /// </summary>
    Variable MulAdd(Variable a, Variable b, Variable c, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>a / b with b ≠ 0 enforced: 2, 1 when a is constant, free when b is.</summary>
    Variable Div(Variable a, Variable b, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>a / b in 1 constraint when the caller knows b ≠ 0 (b = 0 leaves the result free): free when b is constant.</summary>
    Variable DivUnchecked(Variable a, Variable b, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>1/v, unsatisfiable for v = 0: 1.</summary>
    Variable Inverse(Variable v, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>1.</summary>
    void AssertEqual(Variable a, Variable b, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>a·b = c: 1, the product and the equality in one constraint (as circomlib's BabyCheck).</summary>
    void AssertProduct(Variable a, Variable b, Variable c, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>1, free when v is a wire already asserted boolean.</summary>
    void AssertBoolean(Variable v, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>1 (v times a hinted inverse is 1).</summary>
    void AssertNonZero(Variable v, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>
    /// Little-endian bits of v, which must be below 2^n: n + 1 for n ≤ 253, as circomlib's Num2Bits. n = 254 takes any
    /// field element and adds the check that the bits spell a number below p (Num2Bits_strict): 2·254 + 1.
    /// </summary>
    Variable[] ToBits(Variable v, int n, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>Σ 2^i·bits[i] ≤ bound for bits already asserted boolean: one product per bit after the lowest, plus 1.</summary>
    void AssertBitsLessOrEqual(IReadOnlyList<Variable> bits, Fr bound, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>Σ 2^i·bits[i], each bit asserted boolean (free for bits from ToBits).</summary>
    Variable FromBits(IReadOnlyList<Variable> bits, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>1 when v = 0 else 0: 2, as circomlib's IsZero.</summary>
    Variable IsZero(Variable v, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>cond ? a : b with cond asserted boolean: 2 (1 when cond is already boolean).</summary>
    Variable Select(Variable cond, Variable a, Variable b, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>v &lt; 2^bits: bits + 1.</summary>
    void AssertInRange(Variable v, int bits, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>a ≤ b for a, b already known to be below 2^bits (bits ≤ 252): bits + 1, as b − a &lt; 2^bits.</summary>
    void AssertLessOrEqual(Variable a, Variable b, int bits, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>1 when a ≤ b else 0, for a, b below 2^bits (bits ≤ 252): bits + 2, as circomlib's LessEqThan.</summary>
    Variable IsLessOrEqual(Variable a, Variable b, int bits, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>
    /// Fresh unconstrained wires whose values f computes from the inputs while solving. The caller must
    /// constrain them: a hint is the prover's claim, not a fact.
    /// </summary>
    Variable[] Hint(string name, HintFunction f, int outputs, IReadOnlyList<Variable> inputs, [CallerMemberName] string member = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>Prefixes the labels of constraints added until disposal, e.g. "poseidon/round 3".</summary>
    IDisposable Scope(string name);
}
