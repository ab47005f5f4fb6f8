using Validium.Crypto;

namespace Validium.Proving.Circuit;

internal sealed partial class CircuitBuilder
{
    public CompiledCircuit Compile() => Build().Circuit;

    public Solution Solution()
    {
        var (compiled, order) = Build();
        var witness = new Fr[order.Length];
        for (int i = 0; i < order.Length; i++) witness[i] = values![order[i]];
        return new Solution(compiled, witness, failure);
    }

    private (CompiledCircuit Circuit, int[] Order) Build()
    {
        var (order, nOut, nPub, nPriv) = CircomOrder();
        var map = new int[order.Length];
        for (int i = 0; i < order.Length; i++) map[order[i]] = i;
        var remapped = constraints.Select(c => c with { A = Remap(c.A, map), B = Remap(c.B, map), C = Remap(c.C, map) }).ToArray();
        var r1cs = new R1cs(order.Length, nOut, nPub, nPriv, remapped);
        return (new CompiledCircuit(r1cs, [.. order.Take(1 + nOut + nPub + nPriv).Select(w => names[w])]), order);
    }

    /// <summary>Allocation-order wire ids listed in circom order, with the group sizes.</summary>
    private (int[] Order, int Outputs, int Public, int Private) CircomOrder()
    {
        var byKind = (Kind k) => Enumerable.Range(0, kinds.Count).Where(w => kinds[w] == k);
        int[] pub = [.. byKind(Kind.Public)];
        int[] priv = [.. byKind(Kind.Private)];
        int[] order = [0, .. outputOrder, .. pub, .. priv, .. byKind(Kind.Internal)];
        return (order, outputOrder.Count, pub.Length, priv.Length);
    }

    private static Term[] Remap(Term[] lc, int[] map)
    {
        var r = lc.Select(t => t with { Wire = map[t.Wire] }).ToArray();
        Array.Sort(r, (x, y) => x.Wire.CompareTo(y.Wire));
        return r;
    }
}
