using Validium.Crypto;

namespace Validium.Accel.Gpu;

/// <summary>
/// One Poseidon instance for the batch kernel, in circomlib's "reference" layout: Width = t = arity + 1,
/// RoundConstants[r·t + j] is added to state[j] before round r's S-box ((FullRounds + PartialRounds)·t of them),
/// and Mds[i·t + j] = M[i][j] with state'[i] = Σ_j M[i][j]·state[j].
/// The backend does not own the constants: whoever composes it (the accelerator registry) supplies them, so the
/// kernel stays independent of where the circomlib tables live.
/// </summary>
public sealed record PoseidonKernelParameters(int Width, int FullRounds, int PartialRounds, Fr[] RoundConstants, Fr[] Mds)
{
    /// <summary>From circomlib's nested matrix M[i][j].</summary>
    public static PoseidonKernelParameters FromMatrix(int fullRounds, int partialRounds, Fr[] roundConstants, Fr[][] mds)
    {
        ArgumentNullException.ThrowIfNull(mds);
        int t = mds.Length;
        var flat = new Fr[t * t];
        for (int i = 0; i < t; i++)
        {
            if (mds[i].Length != t) throw new ArgumentException($"MDS row {i} has {mds[i].Length} entries, expected {t}", nameof(mds));
            mds[i].CopyTo(flat, i * t);
        }
        return new PoseidonKernelParameters(t, fullRounds, partialRounds, roundConstants, flat);
    }

    /// <summary>Throws unless these parameters describe a permutation of width arity + 1.</summary>
    public void Validate(int arity)
    {
        if (Width != arity + 1) throw new ArgumentException($"Poseidon parameters for arity {arity} must have width {arity + 1}, got {Width}");
        if (FullRounds < 0 || FullRounds % 2 != 0) throw new ArgumentException($"full rounds must be even and non-negative, got {FullRounds}");
        if (PartialRounds < 0) throw new ArgumentException($"partial rounds must be non-negative, got {PartialRounds}");
        int constants = (FullRounds + PartialRounds) * Width;
        if (RoundConstants is null || RoundConstants.Length != constants)
            throw new ArgumentException($"expected {constants} round constants ((R_F + R_P)·t), got {RoundConstants?.Length ?? 0}");
        if (Mds is null || Mds.Length != Width * Width) throw new ArgumentException($"expected a {Width}×{Width} MDS matrix, got {Mds?.Length ?? 0} entries");
    }
}
