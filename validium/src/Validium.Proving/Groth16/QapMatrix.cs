using System.Collections;
using Validium.Crypto;

namespace Validium.Proving.Groth16;

/// <summary>
/// The A and B coefficient list of a proving key (zkey section 4), in the order given, stored as three ints per
/// entry (matrix and constraint packed, signal, index into a table of distinct values) instead of a 48-byte
/// <see cref="QapCoefficient"/>: a batch circuit has about 25 such entries per constraint but only a few
/// thousand distinct values, which is the difference between 1.1 GB and 4.4 GB at 64 trades.
/// </summary>
public sealed class QapMatrix : IReadOnlyList<QapCoefficient>
{
    private readonly int[] rowAndMatrix;
    private readonly int[] signals;
    private readonly int[] valueIds;
    private readonly Fr[] table;

    internal QapMatrix(int[] rowAndMatrix, int[] signals, int[] valueIds, Fr[] table)
    {
        this.rowAndMatrix = rowAndMatrix;
        this.signals = signals;
        this.valueIds = valueIds;
        this.table = table;
    }

    internal static int Pack(int matrix, int constraint) => constraint << 1 | matrix;

    public int Count => signals.Length;

    public QapCoefficient this[int i] => new(rowAndMatrix[i] & 1, rowAndMatrix[i] >>> 1, signals[i], table[valueIds[i]]);

    /// <summary>a[row] += value·w[signal] for the A entries, b likewise for B: the prover's first step.</summary>
    internal void Accumulate(Fr[] a, Fr[] b, ReadOnlySpan<Fr> w)
    {
        for (int i = 0; i < signals.Length; i++)
        {
            int rm = rowAndMatrix[i];
            var target = (rm & 1) == QapCoefficient.A ? a : b;
            target[rm >>> 1] += table[valueIds[i]] * w[signals[i]];
        }
    }

    public IEnumerator<QapCoefficient> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
