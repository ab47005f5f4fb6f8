using System.Collections.Immutable;
using Validium.Crypto;

namespace Validium.Proving.Circuit;

internal sealed partial class CircuitBuilder
{
    /// <summary>The recorded system in circom's wire order; the builder's constraint storage moves into it.</summary>
    public CompiledCircuit Compile()
    {
        var (order, nOut, nPub, nPriv) = CircomOrder();
        var map = new int[order.Length];
        for (int i = 0; i < order.Length; i++) map[order[i]] = i;
        pool.Freeze().Remap(map);
        int[] rowArray = [.. rows];
        rows.Clear();
        rows.TrimExcess();
        var origins = labels.Freeze();
        var r1cs = new R1cs(order.Length, nOut, nPub, nPriv, pool, rowArray, origins.Label);
        return new CompiledCircuit(r1cs, SignalNames(order, nOut, nPub, nPriv));
    }

    /// <summary>The witness in circom's order; the system it belongs to is compiled again only if someone asks for it.</summary>
    public Solution Solution(Func<CompiledCircuit> compile)
    {
        var (order, nOut, nPub, nPriv) = CircomOrder();
        var witness = new Fr[order.Length];
        for (int i = 0; i < order.Length; i++) witness[i] = values![order[i]];
        return new Solution(new Lazy<CompiledCircuit>(compile), SignalNames(order, nOut, nPub, nPriv), nOut + nPub, witness, failure);
    }

    private ImmutableArray<string> SignalNames(int[] order, int nOut, int nPub, int nPriv) =>
        [.. order.Take(1 + nOut + nPub + nPriv).Select(w => names[w])];

    /// <summary>Allocation-order wire ids listed in circom order, with the group sizes.</summary>
    private (int[] Order, int Outputs, int Public, int Private) CircomOrder()
    {
        var byKind = (Kind k) => Enumerable.Range(0, kinds.Count).Where(w => kinds[w] == k);
        int[] pub = [.. byKind(Kind.Public)];
        int[] priv = [.. byKind(Kind.Private)];
        int[] order = [0, .. outputOrder, .. pub, .. priv, .. byKind(Kind.Internal)];
        return (order, outputOrder.Count, pub.Length, priv.Length);
    }
}
