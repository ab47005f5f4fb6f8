using Validium.Crypto;

namespace Validium.Proving.Groth16;

/// <summary>
/// An R1CS read column by column, the way both setups need it: for every wire, the (row, coefficient) pairs
/// of its A, B and C polynomials, with snarkjs's extra A row per public signal (and the constant), which keeps
/// the IC polynomials independent; plus the A/B coefficient list the prover consumes.
/// </summary>
internal sealed class QapColumns
{
    private QapColumns(int domainSize, List<(int Row, Fr Coefficient)>[] a, List<(int Row, Fr Coefficient)>[] b,
        List<(int Row, Fr Coefficient)>[] c, QapCoefficient[] coefficients)
    {
        DomainSize = domainSize;
        A = a;
        B = b;
        C = c;
        Coefficients = coefficients;
    }

    public int DomainSize { get; }
    public List<(int Row, Fr Coefficient)>[] A { get; }
    public List<(int Row, Fr Coefficient)>[] B { get; }
    public List<(int Row, Fr Coefficient)>[] C { get; }
    public QapCoefficient[] Coefficients { get; }

    public static QapColumns From(R1cs r1cs)
    {
        int nPub = r1cs.NumPublic;
        int nCons = r1cs.Constraints.Count;
        int n = ProvingKey.DomainSizeFor(nCons, nPub);
        var a = Empty(r1cs.NumWires);
        var b = Empty(r1cs.NumWires);
        var c = Empty(r1cs.NumWires);
        var coefs = new List<QapCoefficient>();
        for (int k = 0; k < nCons; k++)
        {
            var con = r1cs.Constraints[k];
            foreach (var t in con.A) { a[t.Wire].Add((k, t.Coefficient)); coefs.Add(new(QapCoefficient.A, k, t.Wire, t.Coefficient)); }
            foreach (var t in con.B) { b[t.Wire].Add((k, t.Coefficient)); coefs.Add(new(QapCoefficient.B, k, t.Wire, t.Coefficient)); }
            foreach (var t in con.C) c[t.Wire].Add((k, t.Coefficient));
        }
        for (int s = 0; s <= nPub; s++)
        {
            a[s].Add((nCons + s, Fr.One));
            coefs.Add(new(QapCoefficient.A, nCons + s, s, Fr.One));
        }
        return new QapColumns(n, a, b, c, [.. coefs]);
    }

    /// <summary>Each wire's polynomial at a point, given the Lagrange basis evaluated there.</summary>
    public static Fr[] Evaluate(List<(int Row, Fr Coefficient)>[] column, ReadOnlySpan<Fr> lagrange)
    {
        var result = new Fr[column.Length];
        for (int j = 0; j < column.Length; j++)
            foreach (var (row, coefficient) in column[j]) result[j] += coefficient * lagrange[row];
        return result;
    }

    private static List<(int Row, Fr Coefficient)>[] Empty(int n)
    {
        var t = new List<(int, Fr)>[n];
        for (int i = 0; i < n; i++) t[i] = [];
        return t;
    }
}
