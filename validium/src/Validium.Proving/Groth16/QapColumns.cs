using Validium.Crypto;

namespace Validium.Proving.Groth16;

/// <summary>
/// An R1CS read column by column, the way both setups need it: for every wire, the (row, coefficient) pairs
/// of its A, B and C polynomials, with snarkjs's extra A row per public signal (and the constant), which keeps
/// the IC polynomials independent; plus the A/B coefficient list the prover consumes. Columns are flat
/// (wire j's entries are Start[j]..Start[j+1]) and coefficients index the system's table of distinct values.
/// </summary>
internal sealed class QapColumns
{
    private QapColumns(int domainSize, Column a, Column b, Column c, QapMatrix coefficients)
    {
        DomainSize = domainSize;
        A = a;
        B = b;
        C = c;
        Coefficients = coefficients;
    }

    public int DomainSize { get; }
    public Column A { get; }
    public Column B { get; }
    public Column C { get; }
    public QapMatrix Coefficients { get; }

    /// <summary>One matrix by columns; Table is shared with the system's pool.</summary>
    public sealed record Column(int[] Start, int[] Rows, int[] ValueIds, Fr[] Table)
    {
        public int Count(int wire) => Start[wire + 1] - Start[wire];
        public int Row(int wire, int i) => Rows[Start[wire] + i];
        public Fr Value(int wire, int i) => Table[ValueIds[Start[wire] + i]];
    }

    public static QapColumns From(R1cs r1cs)
    {
        int nPub = r1cs.NumPublic;
        int nCons = r1cs.ConstraintCount;
        int n = ProvingKey.DomainSizeFor(nCons, nPub);
        // The extra rows' coefficient is one; it gets a table slot of its own so nothing has to search for it.
        Fr[] table = [.. r1cs.Pool.Table, Fr.One];
        return new QapColumns(n, Transpose(r1cs, 0, table), Transpose(r1cs, 1, table), Transpose(r1cs, 2, table), CoefficientList(r1cs, table));
    }

    private static QapMatrix CoefficientList(R1cs r1cs, Fr[] table)
    {
        var pool = r1cs.Pool;
        ReadOnlySpan<int> start = pool.Start, wires = pool.Wires, ids = pool.CoefficientIds;
        int nCons = r1cs.ConstraintCount, nPub = r1cs.NumPublic;
        long total = nPub + 1;
        for (int k = 0; k < nCons; k++)
            for (int m = 0; m < 2; m++) total += start[r1cs.Row(k, m) + 1] - start[r1cs.Row(k, m)];
        if (total > Array.MaxLength) throw new ArgumentException($"{total} A and B coefficients are more than one array holds");
        var rowAndMatrix = new int[total];
        var signals = new int[total];
        var valueIds = new int[total];
        int at = 0;
        for (int k = 0; k < nCons; k++)
            for (int m = 0; m < 2; m++)
            {
                int lc = r1cs.Row(k, m);
                for (int i = start[lc]; i < start[lc + 1]; i++, at++) (rowAndMatrix[at], signals[at], valueIds[at]) = (QapMatrix.Pack(m, k), wires[i], ids[i]);
            }
        for (int s = 0; s <= nPub; s++, at++) (rowAndMatrix[at], signals[at], valueIds[at]) = (QapMatrix.Pack(QapCoefficient.A, nCons + s), s, table.Length - 1);
        return new QapMatrix(rowAndMatrix, signals, valueIds, table);
    }

    private static Column Transpose(R1cs r1cs, int matrix, Fr[] table)
    {
        var pool = r1cs.Pool;
        ReadOnlySpan<int> start = pool.Start, wires = pool.Wires, ids = pool.CoefficientIds;
        int nCons = r1cs.ConstraintCount, nPub = r1cs.NumPublic;
        bool extraRows = matrix == 0;
        var count = new int[r1cs.NumWires + 1];
        for (int k = 0; k < nCons; k++)
        {
            int lc = r1cs.Row(k, matrix);
            for (int i = start[lc]; i < start[lc + 1]; i++) count[wires[i] + 1]++;
        }
        if (extraRows)
            for (int s = 0; s <= nPub; s++) count[s + 1]++;
        for (int j = 0; j < r1cs.NumWires; j++) count[j + 1] += count[j];
        var rows = new int[count[^1]];
        var valueIds = new int[count[^1]];
        var fill = count[..^1];
        for (int k = 0; k < nCons; k++)
        {
            int lc = r1cs.Row(k, matrix);
            for (int i = start[lc]; i < start[lc + 1]; i++)
            {
                int at = fill[wires[i]]++;
                rows[at] = k;
                valueIds[at] = ids[i];
            }
        }
        if (extraRows)
            for (int s = 0; s <= nPub; s++)
            {
                int at = fill[s]++;
                rows[at] = nCons + s;
                valueIds[at] = table.Length - 1;
            }
        return new Column(count, rows, valueIds, table);
    }

    /// <summary>Each wire's polynomial at a point, given the Lagrange basis evaluated there.</summary>
    public static Fr[] Evaluate(Column column, ReadOnlySpan<Fr> lagrange)
    {
        var result = new Fr[column.Start.Length - 1];
        for (int j = 0; j < result.Length; j++)
            for (int i = column.Start[j]; i < column.Start[j + 1]; i++) result[j] += column.Table[column.ValueIds[i]] * lagrange[column.Rows[i]];
        return result;
    }
}
