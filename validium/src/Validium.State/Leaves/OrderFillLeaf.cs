using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// How much of a signed order has been filled, which stops overfill and replay. The order's slot in the tree is
/// the low <c>depth</c> bits of its hash (<see cref="Slot"/>); the leaf carries the whole hash, so a second order
/// landing on an occupied slot is detected and refused (its owner re-signs with another nonce). A cancelled
/// order is recorded as filled to its full size. Nothing filled is the empty leaf 0.
/// </summary>
public sealed record OrderFillLeaf(Fr OrderHash, ulong FilledSize)
{
    /// <summary>0 when nothing is filled, otherwise Poseidon(orderHash, filledSize).</summary>
    public Fr Hash() => FilledSize == 0 ? Fr.Zero : Poseidon.Hash(OrderHash, FieldEncoding.Unsigned(FilledSize));

    /// <summary>The leaf index of an order: the low <paramref name="depth"/> bits of its hash (canonical form).</summary>
    public static ulong Slot(Fr orderHash, int depth)
    {
        TreeShape.CheckDepth(depth);
        ulong low = orderHash.ToCanonical().L0;
        return depth == 64 ? low : low & ((1UL << depth) - 1);
    }
}
