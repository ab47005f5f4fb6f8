using System.Runtime.InteropServices;
using Validium.Crypto;

namespace Validium.Proving;

/// <summary>
/// Linear combinations stored flat: combination k's terms are entries Start[k]..Start[k+1] of Wires and
/// CoefficientIds, and a coefficient is an index into a table of the distinct values. A batch circuit has a few
/// thousand distinct coefficients (Poseidon's matrices and constants, powers of two) over tens of millions of
/// terms, so a term costs 8 bytes here instead of a 40-byte (wire, Fr) pair in an array per combination.
/// </summary>
internal sealed class LinearCombinationPool
{
    private readonly List<int> start = [0];
    private readonly List<int> wires = [];
    private readonly List<int> coefficientIds = [];
    private readonly List<Fr> table = [];
    private readonly Dictionary<Fr, int> tableIndex = [];
    private int[]? startArray, wireArray, coefficientArray;
    private Fr[]? tableArray;

    public ReadOnlySpan<int> Start => startArray ?? throw NotFrozen();
    public ReadOnlySpan<int> Wires => wireArray ?? throw NotFrozen();
    public ReadOnlySpan<int> CoefficientIds => coefficientArray ?? throw NotFrozen();
    public ReadOnlySpan<Fr> Table => tableArray ?? throw NotFrozen();
    public long TermCount => wireArray?.Length ?? wires.Count;

    /// <summary>Appends a combination and returns its index.</summary>
    public int Add(ReadOnlySpan<Term> terms)
    {
        if (startArray is not null) throw new InvalidOperationException("the pool is frozen");
        foreach (var t in terms)
        {
            wires.Add(t.Wire);
            coefficientIds.Add(CoefficientId(t.Coefficient));
        }
        start.Add(wires.Count);
        return start.Count - 2;
    }

    private int CoefficientId(Fr c)
    {
        ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(tableIndex, c, out bool exists);
        if (!exists)
        {
            id = table.Count;
            table.Add(c);
        }
        return id;
    }

    /// <summary>Moves the lists into exact-size arrays; the pool is read-only from here on.</summary>
    public LinearCombinationPool Freeze()
    {
        if (startArray is not null) return this;
        startArray = [.. start];
        start.Clear();
        start.TrimExcess();
        wireArray = [.. wires];
        wires.Clear();
        wires.TrimExcess();
        coefficientArray = [.. coefficientIds];
        coefficientIds.Clear();
        coefficientIds.TrimExcess();
        tableArray = [.. table];
        table.Clear();
        tableIndex.Clear();
        tableIndex.TrimExcess();
        return this;
    }

    /// <summary>Renumbers every wire through map and re-sorts each combination by wire.</summary>
    public void Remap(int[] map)
    {
        var w = wireArray ?? throw NotFrozen();
        var c = coefficientArray!;
        var s = startArray!;
        for (int i = 0; i < w.Length; i++) w[i] = map[w[i]];
        for (int k = 0; k + 1 < s.Length; k++)
            if (s[k + 1] - s[k] > 1) Array.Sort(w, c, s[k], s[k + 1] - s[k]);
    }

    public Fr Evaluate(int lc, ReadOnlySpan<Fr> witness)
    {
        var s = startArray!;
        var w = wireArray!;
        var c = coefficientArray!;
        var t = tableArray!;
        var acc = Fr.Zero;
        for (int i = s[lc]; i < s[lc + 1]; i++) acc += t[c[i]] * witness[w[i]];
        return acc;
    }

    public Term[] Terms(int lc)
    {
        var s = Start;
        var r = new Term[s[lc + 1] - s[lc]];
        for (int i = 0; i < r.Length; i++) r[i] = new Term(wireArray![s[lc] + i], tableArray![coefficientArray![s[lc] + i]]);
        return r;
    }

    private static InvalidOperationException NotFrozen() => new("the pool is still being built");
}
