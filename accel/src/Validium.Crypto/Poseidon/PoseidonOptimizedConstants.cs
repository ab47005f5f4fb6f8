using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Validium.Crypto;

/// <summary>
/// The constants of Poseidon rewritten so that each partial round's linear layer is a sparse matrix
/// (2t - 1 multiplications instead of t^2) and partial-round constants touch only element 0.
/// The rewrite (from filecoin's neptune, as circomlibjs' tools/poseidon_optimize_constants.js does it)
/// changes no output; the layouts below equal circomlibjs' poseidon_constants_opt.js, with its nested
/// arrays flattened row-major.
/// </summary>
public sealed class PoseidonOptimizedConstants
{
    /// <summary>t constants before the first round, t per remaining first-half full round, one per partial round, t per second-half full round but the last.</summary>
    public ImmutableArray<Fr> C { get; }

    /// <summary>2t - 1 per partial round: the first row of its sparse matrix, then the column w' below the corner.</summary>
    public ImmutableArray<Fr> S { get; }

    /// <summary>M[j * t + i]: full rounds compute state'[i] = sum_j M[j * t + i] * state[j] (the transposed MDS).</summary>
    public ImmutableArray<Fr> M { get; }

    /// <summary>P[j * t + i]: the dense matrix applied once before the partial rounds, same orientation as <see cref="M"/>.</summary>
    public ImmutableArray<Fr> P { get; }

    private PoseidonOptimizedConstants(Fr[] c, Fr[] s, Fr[][] m, Fr[][] p)
    {
        C = ImmutableCollectionsMarshal.AsImmutableArray(c);
        S = ImmutableCollectionsMarshal.AsImmutableArray(s);
        M = [.. m.SelectMany(r => r)];
        P = [.. p.SelectMany(r => r)];
    }

    internal static PoseidonOptimizedConstants Derive(int t, int fullRounds, int partialRounds, Fr[] roundConstants, Fr[][] mds)
    {
        var m = FrMatrix.Transpose(mds);
        var c = ConvertConstants(t, fullRounds, partialRounds, roundConstants, m);
        var (p, s) = SparseFactors(t, partialRounds, m);
        return new PoseidonOptimizedConstants(c, s, m, p);
    }

    /// <summary>
    /// Moves each round constant across the linear layer before it (multiplying by M^-1), and folds the
    /// partial rounds' constants backwards so only element 0 keeps one per round.
    /// </summary>
    private static Fr[] ConvertConstants(int t, int rf, int rp, Fr[] rc, Fr[][] m)
    {
        var mInv = FrMatrix.Inverse(m);
        var res = new List<Fr>(rc[..t]);
        for (int r = 0; r < rf / 2 - 1; r++)
            res.AddRange(FrMatrix.VectorTimes(rc.AsSpan((r + 1) * t, t), mInv));

        var partial = new List<Fr>(rp);
        var acc = rc.AsSpan((rf / 2 + rp) * t, t).ToArray();
        for (int r = rf / 2 + rp - 1; r >= rf / 2; r--)
        {
            var accp = FrMatrix.VectorTimes(acc, mInv);
            partial.Add(accp[0]);
            accp[0] = Fr.Zero;
            for (int k = 0; k < t; k++) acc[k] = accp[k] + rc[r * t + k];
        }
        res.AddRange(FrMatrix.VectorTimes(acc, mInv));
        partial.Reverse();
        res.AddRange(partial);

        for (int r = rf / 2 + rp; r < rf + rp - 1; r++)
            res.AddRange(FrMatrix.VectorTimes(rc.AsSpan((r + 1) * t, t), mInv));
        return [.. res];
    }

    /// <summary>
    /// Factors M^rp into a dense P times rp sparse matrices, peeling one sparse factor per partial round:
    /// m = m' * sparse, where m' keeps m's lower-right block and sparse keeps m's first row and w' = m_hat^-1 w.
    /// </summary>
    private static (Fr[][] P, Fr[] S) SparseFactors(int t, int rp, Fr[][] mds)
    {
        var sparse = new List<Fr[]>(rp);
        var m = mds;
        for (int r = 0; r < rp; r++)
        {
            var mp = new Fr[t][];
            var mHat = new Fr[t - 1][];
            var w = new Fr[t - 1];
            for (int i = 0; i < t; i++)
            {
                mp[i] = new Fr[t];
                if (i > 0) mHat[i - 1] = m[i][1..];
                for (int j = 1; j < t && i > 0; j++) mp[i][j] = m[i][j];
                if (i > 0) w[i - 1] = m[i][0];
            }
            mp[0][0] = Fr.One;
            var wp = FrMatrix.TimesVector(FrMatrix.Inverse(mHat), w);
            var row = new Fr[2 * t - 1];
            row[0] = m[0][0];
            wp.CopyTo(row, 1);
            m[0].AsSpan(1).CopyTo(row.AsSpan(t));
            sparse.Add(row);
            m = FrMatrix.Multiply(mds, mp);
        }
        sparse.Reverse();
        return (m, [.. sparse.SelectMany(r => r)]);
    }
}
