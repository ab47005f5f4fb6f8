using ILGPU;

namespace Validium.Accel.Gpu;

/// <summary>Sizes of one Poseidon batch, passed by value to the kernel.</summary>
public readonly record struct PoseidonShape(int Width, int FullRounds, int PartialRounds, int Count);

/// <summary>
/// One thread per hash. The state has a runtime width (t = arity + 1), and kernels cannot allocate arrays,
/// so it lives in global memory laid out structure-of-arrays (element j of hash i at j·Count + i) so that
/// neighbouring threads touch neighbouring words.
/// </summary>
internal static class PoseidonKernels
{
    /// <summary>
    /// circomlib's reference permutation on state [0, inputs...]: per round add roundConstants[r·t + j], apply x^5 to
    /// every element (the first and last FullRounds/2 rounds) or to element 0 (partial rounds), then
    /// state'[i] = Σ_j mds[i·t + j]·state[j]. outputs[i] = state[0].
    /// </summary>
    public static void Permute(
        Index1D i, ArrayView<Limbs8> inputs, ArrayView<Limbs8> state, ArrayView<Limbs8> scratch,
        ArrayView<Limbs8> roundConstants, ArrayView<Limbs8> mds, ArrayView<Limbs8> outputs, PoseidonShape shape)
    {
        int t = shape.Width;
        int n = shape.Count;
        int arity = t - 1;
        state[i] = default;
        for (int j = 1; j < t; j++) state[j * n + i] = inputs[i * arity + j - 1];

        int rounds = shape.FullRounds + shape.PartialRounds;
        int firstPartial = shape.FullRounds / 2;
        int lastPartial = firstPartial + shape.PartialRounds;
        for (int r = 0; r < rounds; r++)
        {
            bool full = r < firstPartial || r >= lastPartial;
            for (int j = 0; j < t; j++)
            {
                var x = FrDevice.Add(state[j * n + i], roundConstants[r * t + j]);
                if (full || j == 0) x = FrDevice.Pow5(x);
                state[j * n + i] = x;
            }
            for (int row = 0; row < t; row++)
            {
                Limbs8 acc = default;
                for (int j = 0; j < t; j++) acc = FrDevice.Add(acc, FrDevice.Mul(mds[row * t + j], state[j * n + i]));
                scratch[row * n + i] = acc;
            }
            for (int j = 0; j < t; j++) state[j * n + i] = scratch[j * n + i];
        }
        outputs[i] = state[i];
    }
}
