using System.Collections.Immutable;
using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Proving.Gadgets;

/// <summary>
/// circomlib's Poseidon in-circuit, equal to <see cref="Poseidon.Hash(ReadOnlySpan{Fr})"/>. It runs the
/// reference round layout (every round adds constants, S-boxes, then mixes with the full MDS matrix): the
/// linear layers are free on linear combinations, so only the x^5 S-boxes cost, 3 constraints each.
/// The first round's S-box on state[0] = 0 + C[0] folds to a constant, which is where circomlib's
/// 240 for Poseidon(2) (8·3 + 57 S-boxes, less one) comes from; this gadget counts the same.
/// </summary>
public static class PoseidonGadget
{
    public static Variable Hash(ICircuitApi api, params IReadOnlyList<Variable> inputs)
    {
        if (inputs.Count is < 1 or > Poseidon.MaxInputs)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"Poseidon takes 1..{Poseidon.MaxInputs} inputs, got {inputs.Count}");
        int t = inputs.Count + 1;
        var prm = PoseidonParameters.Get(t);
        var state = new Variable[t];
        for (int i = 1; i < t; i++) state[i] = inputs[i - 1];
        int rounds = prm.FullRounds + prm.PartialRounds;
        int halfFull = prm.FullRounds / 2;
        for (int r = 0; r < rounds; r++)
        {
            using var scope = api.Scope($"poseidon{t}/round {r}");
            bool full = r < halfFull || r >= rounds - halfFull;
            for (int i = 0; i < t; i++)
            {
                state[i] = api.Add(state[i], prm.RoundConstants[r * t + i]);
                if (full || i == 0) state[i] = Pow5(api, state[i]);
            }
            state = Mix(api, prm.Mds, state);
        }
        return state[0];
    }

    private static Variable Pow5(ICircuitApi api, Variable x)
    {
        var x2 = api.Mul(x, x);
        var x4 = api.Mul(x2, x2);
        return api.Mul(x4, x);
    }

    private static Variable[] Mix(ICircuitApi api, ImmutableArray<ImmutableArray<Fr>> mds, Variable[] state)
    {
        var next = new Variable[state.Length];
        for (int i = 0; i < state.Length; i++)
            for (int j = 0; j < state.Length; j++)
                next[i] = api.Add(next[i], api.Mul(state[j], mds[i][j]));
        return next;
    }
}
