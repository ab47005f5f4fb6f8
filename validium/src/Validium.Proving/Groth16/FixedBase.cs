using Validium.Crypto;

namespace Validium.Proving.Groth16;

/// <summary>
/// Many multiples of one base point (the setup's work): a table of d·2^(8k)·G for every byte position k
/// turns each scalar multiplication into 32 table additions instead of ~380 doublings and additions.
/// </summary>
internal sealed class FixedBase<TJ, TA>
    where TJ : struct, IJacobianPoint<TJ, TA>
    where TA : struct, IAffinePoint<TA>
{
    private const int Windows = 32;
    private readonly TA[] table = new TA[Windows * 256];

    public FixedBase(TJ generator)
    {
        var jac = new TJ[Windows * 256];
        var row = generator;
        for (int k = 0; k < Windows; k++)
        {
            var acc = TJ.Infinity;
            for (int d = 0; d < 256; d++)
            {
                jac[k * 256 + d] = acc;
                acc = acc.Add(row);
            }
            row = acc;
        }
        TJ.BatchToAffine(jac, table);
    }

    /// <summary>
    /// scalars[i]·G for every i. Works through the scalars a chunk at a time so that only the result array is
    /// full-size: the Jacobian intermediates of 4 M G2 points would be another 800 MB.
    /// </summary>
    public TA[] MultiplyAll(ReadOnlySpan<Fr> scalars)
    {
        const int Chunk = 1 << 16;
        var result = new TA[scalars.Length];
        var jac = new TJ[Math.Min(Chunk, scalars.Length)];
        var canonical = new Limbs4[jac.Length];
        for (int from = 0; from < scalars.Length; from += Chunk)
        {
            int count = Math.Min(Chunk, scalars.Length - from);
            for (int i = 0; i < count; i++) canonical[i] = scalars[from + i].ToCanonical();
            Parallel.For(0, count, i =>
            {
                var k = canonical[i];
                var acc = TJ.Infinity;
                for (int w = 0; w < Windows; w++)
                {
                    int d = (int)(k[w >> 3] >> ((w & 7) * 8)) & 0xff;
                    if (d != 0) acc = acc.AddMixed(table[w * 256 + d]);
                }
                jac[i] = acc;
            });
            TJ.BatchToAffine(jac.AsSpan(0, count), result.AsSpan(from, count));
        }
        return result;
    }
}
