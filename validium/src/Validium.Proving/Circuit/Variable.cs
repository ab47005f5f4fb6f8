using Validium.Crypto;

namespace Validium.Proving.Circuit;

/// <summary>
/// A linear combination of wires, Σ cᵢ·wᵢ, with wire 0 standing for the constant 1. Keeping values as
/// combinations rather than wires is what makes Add, Sub and multiplication by a constant free: they only
/// merge term lists, and a constraint is paid only where two non-constant combinations meet in a product.
/// </summary>
public readonly struct Variable
{
    // Sorted by wire, no zero coefficients; null is the zero combination. Shared, never mutated.
    private readonly Term[]? terms;

    private Variable(Term[] terms) => this.terms = terms.Length == 0 ? null : terms;

    internal static Variable OfWire(int wire) => new([new Term(wire, Fr.One)]);

    public static implicit operator Variable(Fr constant) => constant.IsZero ? default : new([new Term(0, constant)]);

    internal ReadOnlySpan<Term> Terms => terms;

    /// <summary>The term array itself, null for zero: the same array means the same combination.</summary>
    internal Term[]? TermArray => terms;

    public bool IsConstant => terms is null || (terms.Length == 1 && terms[0].Wire == 0);

    /// <summary>The value of a constant combination; only meaningful when <see cref="IsConstant"/>.</summary>
    public Fr ConstantValue => terms is null ? Fr.Zero : terms[0].Coefficient;

    /// <summary>The wire when this is exactly 1·wire (not the constant wire), else -1.</summary>
    internal int SingleWire => terms is { Length: 1 } && terms[0].Wire != 0 && terms[0].Coefficient.IsOne ? terms[0].Wire : -1;

    internal Variable Scale(Fr k)
    {
        if (k.IsZero || terms is null) return default;
        var r = new Term[terms.Length];
        for (int i = 0; i < r.Length; i++) r[i] = new Term(terms[i].Wire, terms[i].Coefficient * k);
        return new(r);
    }

    /// <summary>ka·a + kb·b, merging the sorted term lists and dropping cancelled terms.</summary>
    internal static Variable Combine(Variable a, Fr ka, Variable b, Fr kb)
    {
        // Most combining is plain addition; skipping the multiplications by one halves Poseidon's linear layers.
        bool unitA = ka.IsOne, unitB = kb.IsOne;
        var x = a.Terms;
        var y = b.Terms;
        var r = new List<Term>(x.Length + y.Length);
        int i = 0, j = 0;
        while (i < x.Length || j < y.Length)
        {
            if (j == y.Length || (i < x.Length && x[i].Wire < y[j].Wire)) { Push(r, x[i].Wire, unitA ? x[i].Coefficient : x[i].Coefficient * ka); i++; }
            else if (i == x.Length || y[j].Wire < x[i].Wire) { Push(r, y[j].Wire, unitB ? y[j].Coefficient : y[j].Coefficient * kb); j++; }
            else { Push(r, x[i].Wire, (unitA ? x[i].Coefficient : x[i].Coefficient * ka) + (unitB ? y[j].Coefficient : y[j].Coefficient * kb)); i++; j++; }
        }
        return new([.. r]);
    }

    private static void Push(List<Term> r, int wire, Fr c)
    {
        if (!c.IsZero) r.Add(new Term(wire, c));
    }
}
