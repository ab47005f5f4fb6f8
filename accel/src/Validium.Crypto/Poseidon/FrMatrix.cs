namespace Validium.Crypto;

/// <summary>Small dense matrix helpers over Fr, only what deriving the Poseidon constants needs.</summary>
internal static class FrMatrix
{
    public static Fr[][] Transpose(Fr[][] a)
    {
        int n = a.Length;
        var r = new Fr[n][];
        for (int i = 0; i < n; i++)
        {
            r[i] = new Fr[n];
            for (int j = 0; j < n; j++) r[i][j] = a[j][i];
        }
        return r;
    }

    public static Fr[][] Multiply(Fr[][] a, Fr[][] b)
    {
        int n = a.Length;
        var r = new Fr[n][];
        for (int i = 0; i < n; i++)
        {
            r[i] = new Fr[n];
            for (int j = 0; j < n; j++)
            {
                var acc = Fr.Zero;
                for (int k = 0; k < n; k++) acc += a[i][k] * b[k][j];
                r[i][j] = acc;
            }
        }
        return r;
    }

    /// <summary>Row vector times matrix: r_j = sum_i v_i a_ij.</summary>
    public static Fr[] VectorTimes(ReadOnlySpan<Fr> v, Fr[][] a)
    {
        var r = new Fr[v.Length];
        for (int j = 0; j < v.Length; j++)
        {
            var acc = Fr.Zero;
            for (int i = 0; i < v.Length; i++) acc += v[i] * a[i][j];
            r[j] = acc;
        }
        return r;
    }

    /// <summary>Matrix times column vector: r_i = sum_j a_ij v_j.</summary>
    public static Fr[] TimesVector(Fr[][] a, ReadOnlySpan<Fr> v)
    {
        var r = new Fr[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            var acc = Fr.Zero;
            for (int j = 0; j < v.Length; j++) acc += a[i][j] * v[j];
            r[i] = acc;
        }
        return r;
    }

    /// <summary>Gauss–Jordan inverse; throws when the matrix is singular.</summary>
    public static Fr[][] Inverse(Fr[][] a)
    {
        int n = a.Length;
        var b = new Fr[n][];
        for (int i = 0; i < n; i++)
        {
            b[i] = new Fr[2 * n];
            a[i].AsSpan().CopyTo(b[i]);
            b[i][n + i] = Fr.One;
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            while (pivot < n && b[pivot][col].IsZero) pivot++;
            if (pivot == n) throw new InvalidOperationException("matrix is singular");
            (b[col], b[pivot]) = (b[pivot], b[col]);
            var inv = b[col][col].Inverse();
            for (int j = col; j < 2 * n; j++) b[col][j] *= inv;
            for (int i = 0; i < n; i++)
            {
                if (i == col || b[i][col].IsZero) continue;
                var f = b[i][col];
                for (int j = col; j < 2 * n; j++) b[i][j] -= f * b[col][j];
            }
        }
        var r = new Fr[n][];
        for (int i = 0; i < n; i++) r[i] = b[i][n..];
        return r;
    }
}
