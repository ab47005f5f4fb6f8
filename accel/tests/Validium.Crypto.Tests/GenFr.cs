using CsCheck;

namespace Validium.Crypto.Tests;

/// <summary>CsCheck generators for field elements, biased towards the edges where reductions go wrong.</summary>
internal static class GenFr
{
    public static readonly Gen<Fr> Uniform = Gen.ULong.Array[4].Select(l =>
    {
        var b = new byte[32];
        for (int i = 0; i < 4; i++) BitConverter.TryWriteBytes(b.AsSpan(8 * i), l[i]);
        return Fr.FromBytesReduced(b);
    });

    public static readonly Gen<Fr> Any = Gen.Frequency(
        (8, Uniform),
        (1, Gen.OneOfConst(Fr.Zero, Fr.One, -Fr.One)),
        (1, Gen.ULong.Select(v => Fr.FromUInt64(v))));
}
