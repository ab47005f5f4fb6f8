using System.Globalization;
using System.Numerics;
using System.Text;
using Validium.Crypto;

namespace Validium.Proving.Solidity;

/// <summary>
/// One round of the sparse-partial-round Poseidon (<see cref="PoseidonOptimizedConstants"/>), as a step the emitter
/// can place in any of a width's contracts.
/// </summary>
internal abstract record PoseidonStep
{
    /// <summary>S-box on every word, then (unless the round is the last) add t constants, then mix by a dense matrix a[j·t + i].</summary>
    public sealed record Full(Fr[]? Constants, Fr[] Matrix, bool Last) : PoseidonStep;

    /// <summary>S-box on word 0 plus one constant, then the sparse matrix: its first row and the column below the corner.</summary>
    public sealed record Partial(Fr Constant, Fr[] Row) : PoseidonStep;
}

/// <summary>
/// Writes the rounds as straight-line Yul over stack variables s0..s(t−1) and q (the modulus, kept on the stack so
/// each use is a one-byte DUP rather than a 33-byte PUSH32), with every constant an immediate.
/// <para>
/// Reduction is lazy: <c>mulmod</c> takes any 256-bit operands, so a word only has to be reduced where a plain
/// <c>add</c> could overflow. The writer tracks for every variable a bound k (value &lt; k·Q) and uses <c>add</c>
/// while the sum's bound stays ≤ <see cref="MaxLazyBound"/> (5·Q &lt; 2^256 &lt; 6·Q), <c>addmod</c> otherwise.
/// </para>
/// </summary>
internal sealed class PoseidonYulWriter
{
    public const int MaxLazyBound = 5;

    private readonly StringBuilder sb;
    private readonly int t;
    private readonly string indent;

    /// <summary>Bound multiple of each state word; a word whose value the generator knows is held in <see cref="known"/> instead.</summary>
    private readonly int[] bound;
    private readonly Fr?[] known;

    /// <summary>The partial rounds' shared corner entry (M[0][0]), which the contract holds in the local r0.</summary>
    private readonly Fr sharedCorner;

    /// <summary>How often each multiplier has been written in this contract (see <see cref="Multiplier"/>).</summary>
    private readonly Dictionary<Fr, int> uses = [];

    /// <summary>bounds and knownValues describe the state on entry and are updated as rounds are written.</summary>
    public PoseidonYulWriter(StringBuilder sb, int width, string indent, int[] bounds, Fr?[] knownValues, Fr corner)
    {
        this.sb = sb;
        t = width;
        this.indent = indent;
        bound = bounds;
        known = knownValues;
        sharedCorner = corner;
    }

    /// <summary>Runs steps in order; a final full round assigns the reduced hash to <c>result</c>.</summary>
    public void Write(IEnumerable<PoseidonStep> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case PoseidonStep.Full f: FullRound(f); break;
                case PoseidonStep.Partial p: PartialRound(p); break;
            }
        }
    }

    private void FullRound(PoseidonStep.Full f)
    {
        for (int i = 0; i < t; i++)
        {
            if (known[i] is { } k)
            {
                var x = Pow5(k);
                known[i] = f.Constants is null ? x : x + f.Constants[i];
                continue;
            }
            var pow5 = $"mulmod(mulmod(a, a, q), s{i}, q)";
            Line($"{{ let a := mulmod(s{i}, s{i}, q) s{i} := {(f.Constants is null ? pow5 : $"add({pow5}, {Hex(f.Constants[i])})")} }}");
            bound[i] = f.Constants is null ? 1 : 2;
        }
        if (f.Last)
        {
            Line($"result := {Sum(Column(f.Matrix, 0), reduce: true).Expr}");
            return;
        }
        // Every new word reads every old one: all but the last go to temporaries first (for t ≤ 6 they fit on the
        // stack beside the state: DUP reaches 16 deep).
        var next = new Term[t];
        for (int i = 0; i < t; i++) next[i] = Sum(Column(f.Matrix, i), reduce: false);
        Line("{");
        for (int i = 0; i < t - 1; i++) Line($"    let n{i} := {next[i].Expr}");
        Line($"    s{t - 1} := {next[t - 1].Expr}");
        Line("    " + string.Join(' ', Enumerable.Range(0, t - 1).Select(i => $"s{i} := n{i}")));
        Line("}");
        for (int i = 0; i < t; i++)
        {
            bound[i] = next[i].Bound;
            known[i] = null;
        }
    }

    private void PartialRound(PoseidonStep.Partial p)
    {
        if (known[0] is not null) throw new InvalidOperationException("a partial round on a known word: the emitter folds only the first full round");
        var corner = p.Row[0] == sharedCorner ? "r0" : Multiplier(p.Row[0]);
        var terms = new List<Term> { new($"mulmod(x, {corner}, q)", 1) };
        for (int j = 1; j < t; j++) terms.Add(MulTerm(j, p.Row[j]));
        var s0 = Sum(terms, reduce: false);
        var sb2 = new StringBuilder();
        sb2.Append(CultureInfo.InvariantCulture, $"{{ let a := mulmod(s0, s0, q) let x := add(mulmod(mulmod(a, a, q), s0, q), {Hex(p.Constant)}) s0 := {s0.Expr}");
        for (int k = 1; k < t; k++)
        {
            var product = $"mulmod(x, {Multiplier(p.Row[t + k - 1])}, q)";
            if (bound[k] + 1 <= MaxLazyBound)
            {
                sb2.Append(CultureInfo.InvariantCulture, $" s{k} := add(s{k}, {product})");
                bound[k] += 1;
            }
            else
            {
                sb2.Append(CultureInfo.InvariantCulture, $" s{k} := addmod(s{k}, {product}, q)");
                bound[k] = 1;
            }
        }
        sb2.Append(" }");
        Line(sb2.ToString());
        bound[0] = s0.Bound;
    }

    /// <summary>The terms of new word i = Σ_j a[j·t + i]·s_j; a known word contributes a constant.</summary>
    private List<Term> Column(Fr[] a, int i)
    {
        var terms = new List<Term>(t);
        for (int j = 0; j < t; j++)
            terms.Add(known[j] is { } k ? new Term(Hex(a[j * t + i] * k), 1) : MulTerm(j, a[j * t + i]));
        return terms;
    }

    private Term MulTerm(int j, Fr c) => new($"mulmod(s{j}, {Multiplier(c)}, q)", 1);

    /// <summary>
    /// A constant used as a mulmod operand. solc's constant optimiser (optimizer runs 200) moves a 32-byte value that
    /// occurs three or more times into a data section read back with CODECOPY (about 30 gas instead of PUSH32's 3),
    /// which hits the full rounds' matrix entries. mulmod(x, c + k·Q, Q) = mulmod(x, c, Q), and c + 4·Q &lt; 2^256, so
    /// each value is written as c, c + Q, …, c + 4·Q in turn, every spelling used at most twice.
    /// </summary>
    private string Multiplier(Fr c)
    {
        uses.TryGetValue(c, out int n);
        uses[c] = n + 1;
        int k = n / 2;
        if (k >= MaxLazyBound) return Hex(c);
        var value = c.ToCanonical().ToBigInteger() + k * Fr.Modulus;
        var bytes = new byte[32];
        value.TryWriteBytes(bytes.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    /// <summary>
    /// Adds terms (at least two) in order, lazily while the bound allows; with reduce, the last addition is an addmod.
    /// The sum so far is the last argument: Yul evaluates arguments right to left, so this nesting keeps two values
    /// pending, not t.
    /// </summary>
    private static Term Sum(List<Term> terms, bool reduce)
    {
        var acc = terms[0];
        for (int n = 1; n < terms.Count; n++)
        {
            var b = terms[n];
            bool last = n == terms.Count - 1;
            acc = acc.Bound + b.Bound <= MaxLazyBound && !(reduce && last)
                ? new Term($"add({b.Expr}, {acc.Expr})", acc.Bound + b.Bound)
                : new Term($"addmod({b.Expr}, {acc.Expr}, q)", 1);
        }
        return acc;
    }

    private void Line(string s) => sb.Append(indent).AppendLine(s);

    private static Fr Pow5(Fr x) => x.Square().Square() * x;

    public static string Hex(Fr v)
    {
        Span<byte> b = stackalloc byte[32];
        v.ToCanonical().WriteBigEndian(b);
        return "0x" + Convert.ToHexStringLower(b);
    }

    private readonly record struct Term(string Expr, int Bound);
}
