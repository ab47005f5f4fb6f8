using CsCheck;
using Validium.Crypto;

namespace Validium.State.Tests;

internal static class GenState
{
    /// <summary>Mostly random field elements, with zeros (emptying a leaf) and small values mixed in.</summary>
    public static readonly Gen<Fr> Value = Gen.Frequency(
        (6, Gen.ULong.Array[4].Select(l =>
        {
            var b = new byte[32];
            for (int i = 0; i < 4; i++) BitConverter.TryWriteBytes(b.AsSpan(8 * i), l[i]);
            return Fr.FromBytesReduced(b);
        })),
        (2, Gen.Const(Fr.Zero)),
        (1, Gen.ULong[0, 1000].Select(v => Fr.FromUInt64(v))));

    /// <summary>Updates for a tree of this depth; indices cluster on a few leaves so duplicates and re-emptying happen.</summary>
    public static Gen<LeafUpdate[]> Updates(int depth) =>
        Gen.Select(Gen.ULong[0, (1UL << depth) - 1], Value, (i, v) => new LeafUpdate(i, v)).Array[0, 12];

    /// <summary>One step of a batch: which of two trees, and the updates applied to it.</summary>
    public static Gen<(int Tree, LeafUpdate[] Updates)> Step(int depth) => Gen.Select(Gen.Int[0, 1], Updates(depth));
}
