using System.Numerics;
using Validium.Crypto;

namespace Validium.Proving.Circuit;

/// <summary>
/// The one ICircuitApi: compiling when it has no assignment, solving when it has one. Both paths record the
/// same constraints over the same wires, so the solver's witness fits the compiled system by construction.
/// Wires are numbered in allocation order while Define runs and renumbered into circom's order at the end.
/// </summary>
internal sealed partial class CircuitBuilder(IReadOnlyDictionary<string, Fr>? assignment, Action<string, Fr[]>? tamperHint) : ICircuitApi
{
    private enum Kind { Constant, Output, Public, Private, Internal }

    private readonly List<Kind> kinds = [Kind.Constant];
    private readonly List<string> names = ["one"];
    private readonly List<Fr>? values = assignment is null ? null : [Fr.One];
    private readonly List<int> outputOrder = [];
    // Compiling keeps the constraints (three pool indices each); solving only counts them, checking each as it comes.
    private readonly LinearCombinationPool pool = new();
    private readonly List<int> rows = [];
    private readonly ConstraintLabels labels = new();
    private readonly RecentCombinations recent = new();
    private int constraintCount;
    private int? emptyCombination;
    private readonly HashSet<int> booleanWires = [];
    private readonly HashSet<string> declared = [];
    private readonly List<(string Name, int Node)> scopes = [];
    private int scopeNode = ConstraintLabels.Root;
    private ConstraintFailure? failure;

    private bool Solving => values is not null;

    public Variable PublicInput(string name) => Input(name, Kind.Public);
    public Variable PrivateInput(string name) => Input(name, Kind.Private);
    public Variable[] PublicInputs(string name, int count) => [.. Enumerable.Range(0, count).Select(i => Input($"{name}[{i}]", Kind.Public))];
    public Variable[] PrivateInputs(string name, int count) => [.. Enumerable.Range(0, count).Select(i => Input($"{name}[{i}]", Kind.Private))];

    private Variable Input(string name, Kind kind)
    {
        Declare(name);
        Fr value = default;
        if (assignment is not null && !assignment.TryGetValue(name, out value))
            throw new KeyNotFoundException($"the assignment has no value for input '{name}'");
        return Variable.OfWire(NewWire(kind, name, value));
    }

    private void Declare(string name)
    {
        if (!declared.Add(name)) throw new InvalidOperationException($"signal '{name}' is declared twice");
    }

    public void Output(string name, Variable value, string member = "", string file = "", int line = 0)
    {
        Declare(name);
        int w = value.SingleWire;
        if (w > 0 && kinds[w] == Kind.Internal)
        {
            kinds[w] = Kind.Output;
            names[w] = name;
        }
        else
        {
            w = NewWire(Kind.Output, name, Eval(value));
            Enforce(value, Fr.One, Variable.OfWire(w), $"output {name}", member, file, line);
        }
        outputOrder.Add(w);
    }

    private int NewWire(Kind kind, string name, Fr value)
    {
        kinds.Add(kind);
        names.Add(name);
        values?.Add(value);
        return kinds.Count - 1;
    }

    private Variable NewInternal(Fr value) => Variable.OfWire(NewWire(Kind.Internal, "", value));

    private Fr Eval(Variable v)
    {
        if (values is null) return Fr.Zero;
        var acc = Fr.Zero;
        foreach (var t in v.Terms) acc += t.Coefficient * values[t.Wire];
        return acc;
    }

    /// <summary>Records a·b = c; while solving, checks it at once so the first failure carries its label.</summary>
    private void Enforce(Variable a, Variable b, Variable c, string op, string member, string file, int line)
    {
        if (Solving)
        {
            if (failure is null && Eval(a) * Eval(b) != Eval(c))
                failure = new ConstraintFailure(constraintCount, labels.Format(scopeNode, (op, member, file, line)));
        }
        else
        {
            rows.Add(Combination(a));
            rows.Add(Combination(b));
            rows.Add(Combination(c));
            labels.Add(scopeNode, labels.Site(op, member, file, line));
        }
        constraintCount++;
    }

    /// <summary>The pool index of v's terms, shared with a recent constraint that used the very same combination.</summary>
    private int Combination(Variable v)
    {
        var terms = v.TermArray;
        if (terms is null) return emptyCombination ??= pool.Add([]);
        if (recent.TryGet(terms, out int lc)) return lc;
        lc = pool.Add(terms);
        recent.Remember(terms, lc);
        return lc;
    }

    public Variable Add(Variable a, Variable b) => Variable.Combine(a, Fr.One, b, Fr.One);
    public Variable Sub(Variable a, Variable b) => Variable.Combine(a, Fr.One, b, -Fr.One);

    public Variable Mul(Variable a, Variable b, string member = "", string file = "", int line = 0)
    {
        if (a.IsConstant) return b.Scale(a.ConstantValue);
        if (b.IsConstant) return a.Scale(b.ConstantValue);
        var r = NewInternal(Eval(a) * Eval(b));
        Enforce(a, b, r, "mul", member, file, line);
        return r;
    }

    public Variable MulAdd(Variable a, Variable b, Variable c, string member = "", string file = "", int line = 0)
    {
        if (a.IsConstant || b.IsConstant) return Add(Mul(a, b, member, file, line), c);
        var r = NewInternal(Eval(a) * Eval(b) + Eval(c));
        Enforce(a, b, Sub(r, c), "mul add", member, file, line);
        return r;
    }

    public Variable Inverse(Variable v, string member = "", string file = "", int line = 0)
    {
        if (v.IsConstant) return ConstantInverse(v);
        // A cheating or mistaken zero gets 0 so that solving goes on and reports the constraint below.
        var inv = Hint("inverse", static (x, y) => y[0] = x[0].IsZero ? Fr.Zero : x[0].Inverse(), 1, [v], member, file, line)[0];
        Enforce(v, inv, Fr.One, "inverse", member, file, line);
        return inv;
    }

    private static Variable ConstantInverse(Variable v) =>
        v.ConstantValue.IsZero ? throw new DivideByZeroException("the circuit inverts the constant 0") : v.ConstantValue.Inverse();

    public Variable Div(Variable a, Variable b, string member = "", string file = "", int line = 0) =>
        b.IsConstant ? a.Scale(ConstantInverse(b).ConstantValue) : Mul(a, Inverse(b, member, file, line), member, file, line);

    public Variable DivUnchecked(Variable a, Variable b, string member = "", string file = "", int line = 0)
    {
        if (b.IsConstant) return a.Scale(ConstantInverse(b).ConstantValue);
        var q = Hint("divide", static (x, y) => y[0] = x[1].IsZero ? Fr.Zero : x[0] * x[1].Inverse(), 1, [a, b], member, file, line)[0];
        Enforce(b, q, a, "divide", member, file, line);
        return q;
    }

    public void AssertEqual(Variable a, Variable b, string member = "", string file = "", int line = 0)
    {
        var d = Sub(a, b);
        if (d.IsConstant)
        {
            if (!d.ConstantValue.IsZero) throw new InvalidOperationException($"the circuit asserts two different constants equal at {Path.GetFileName(file)}:{line}");
            return;
        }
        Enforce(d, Fr.One, default, "assert equal", member, file, line);
    }

    public void AssertProduct(Variable a, Variable b, Variable c, string member = "", string file = "", int line = 0)
    {
        if (a.IsConstant || b.IsConstant) AssertEqual(Mul(a, b, member, file, line), c, member, file, line);
        else Enforce(a, b, c, "assert product", member, file, line);
    }

    public void AssertBoolean(Variable v, string member = "", string file = "", int line = 0)
    {
        if (v.IsConstant)
        {
            if (!v.ConstantValue.IsZero && !v.ConstantValue.IsOne) throw new InvalidOperationException($"the circuit asserts a non-boolean constant boolean at {Path.GetFileName(file)}:{line}");
            return;
        }
        int w = v.SingleWire;
        if (w > 0 && !booleanWires.Add(w)) return;
        Enforce(v, Sub(v, Fr.One), default, "assert boolean", member, file, line);
    }

    public void AssertNonZero(Variable v, string member = "", string file = "", int line = 0) => Inverse(v, member, file, line);

    public Variable[] ToBits(Variable v, int n, string member = "", string file = "", int line = 0)
    {
        if (n is < 1 or > 254) throw new ArgumentOutOfRangeException(nameof(n), "a field element has at most 254 bits");
        var bits = Hint($"to bits({n})", static (x, y) =>
        {
            var c = x[0].ToCanonical();
            for (int i = 0; i < y.Length; i++) y[i] = (ulong)c.Bit(i);
        }, n, [v], member, file, line);
        foreach (var b in bits) AssertBoolean(b, member, file, line);
        AssertEqual(Recompose(bits), v, member, file, line);
        // 254 bits can spell numbers up to 2^254 − 1 > p; below p, each value has exactly one spelling.
        if (n == 254) AssertBitsLessOrEqual(bits, -Fr.One, member, file, line);
        return bits;
    }

    public void AssertBitsLessOrEqual(IReadOnlyList<Variable> bits, Fr bound, string member = "", string file = "", int line = 0)
    {
        var c = bound.ToCanonical();
        if (c.BitLength > bits.Count) return;
        // le = "the bits up to i are at most the bound's": where the bound has a 1, a 0 bit settles it; where it has a 0, a 1 bit does.
        Variable le = Fr.One;
        for (int i = 0; i < bits.Count; i++)
            le = c.Bit(i) == 1
                ? Sub(Fr.One, Mul(bits[i], Sub(Fr.One, le), member, file, line))
                : Mul(Sub(Fr.One, bits[i]), le, member, file, line);
        AssertEqual(le, Fr.One, member, file, line);
    }

    private static Variable Recompose(IReadOnlyList<Variable> bits)
    {
        Variable acc = default;
        var pow = Fr.One;
        foreach (var b in bits)
        {
            acc = Variable.Combine(acc, Fr.One, b, pow);
            pow = pow.Double();
        }
        return acc;
    }

    public Variable FromBits(IReadOnlyList<Variable> bits, string member = "", string file = "", int line = 0)
    {
        foreach (var b in bits) AssertBoolean(b, member, file, line);
        return Recompose(bits);
    }

    public Variable IsZero(Variable v, string member = "", string file = "", int line = 0)
    {
        if (v.IsConstant) return v.ConstantValue.IsZero ? Fr.One : Fr.Zero;
        // out = 1 − v·inv; v·out = 0 forces out = 0 when v ≠ 0, and v = 0 makes out = 1 whatever inv is.
        var inv = Hint("is zero", static (x, y) => y[0] = x[0].IsZero ? Fr.Zero : x[0].Inverse(), 1, [v], member, file, line)[0];
        var result = Sub(Fr.One, Mul(v, inv, member, file, line));
        Enforce(v, result, default, "is zero", member, file, line);
        return result;
    }

    public Variable Select(Variable cond, Variable a, Variable b, string member = "", string file = "", int line = 0)
    {
        AssertBoolean(cond, member, file, line);
        if (cond.IsConstant || Sub(a, b).IsConstant) return Add(b, Mul(cond, Sub(a, b), member, file, line));
        // cond·(a − b) = r − b on a fresh wire r: the same one constraint as b + cond·(a − b), but the result stays a
        // single wire, so chains of selects (scalar multiplication's accumulator) do not grow ever longer combinations.
        var r = NewInternal(Eval(cond).IsZero ? Eval(b) : Eval(a));
        Enforce(cond, Sub(a, b), Sub(r, b), "select", member, file, line);
        return r;
    }

    public void AssertInRange(Variable v, int bits, string member = "", string file = "", int line = 0) => ToBits(v, bits, member, file, line);

    public void AssertLessOrEqual(Variable a, Variable b, int bits, string member = "", string file = "", int line = 0)
    {
        // With a, b < 2^bits, a > b would make b − a wrap to at least p − 2^bits, which is ≥ 2^bits for bits ≤ 252.
        if (bits > 252) throw new ArgumentOutOfRangeException(nameof(bits), "at most 252 bits so that b − a cannot wrap into range");
        AssertInRange(Sub(b, a), bits, member, file, line);
    }

    public Variable IsLessOrEqual(Variable a, Variable b, int bits, string member = "", string file = "", int line = 0)
    {
        if (bits > 252) throw new ArgumentOutOfRangeException(nameof(bits), "at most 252 bits so that the offset difference stays below 2^(bits+1)");
        // b − a + 2^bits lies in [1, 2^(bits+1)); its top bit is set exactly when b ≥ a.
        var shifted = Add(Sub(b, a), Fr.FromBigInteger(BigInteger.One << bits));
        return ToBits(shifted, bits + 1, member, file, line)[bits];
    }

    public Variable[] Hint(string name, HintFunction f, int outputs, IReadOnlyList<Variable> inputs, string member = "", string file = "", int line = 0)
    {
        var result = new Fr[outputs];
        if (Solving)
        {
            var x = new Fr[inputs.Count];
            for (int i = 0; i < x.Length; i++) x[i] = Eval(inputs[i]);
            try
            {
                f(x, result);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"hint '{name}' failed at {Path.GetFileName(file)}:{line} ({member}): {e.Message}", e);
            }
            tamperHint?.Invoke(name, result);
        }
        return [.. result.Select(NewInternal)];
    }

    public IDisposable Scope(string name)
    {
        scopes.Add((name, scopeNode));
        scopeNode = labels.Enter(scopeNode, name);
        int depth = scopes.Count;
        return new ScopeExit(() =>
        {
            if (scopes.Count != depth) throw new InvalidOperationException($"scope '{name}' closed out of order");
            scopeNode = scopes[depth - 1].Node;
            scopes.RemoveAt(depth - 1);
        });
    }

    private sealed class ScopeExit(Action exit) : IDisposable
    {
        private Action? exit = exit;

        public void Dispose()
        {
            exit?.Invoke();
            exit = null;
        }
    }
}
