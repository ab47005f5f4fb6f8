using CsCheck;
using Validium.Crypto;
using Validium.Proving.Gadgets;
using static Validium.Proving.Tests.TestCircuit;

namespace Validium.Proving.Tests;

public class MerkleGadgetTests
{
    private const int Depth = 4;

    /// <summary>A whole tree built with Validium.Crypto's Poseidon: levels[0] are the leaves.</summary>
    private static Fr[][] Tree(Fr[] leaves)
    {
        var levels = new List<Fr[]> { leaves };
        while (levels[^1].Length > 1)
        {
            var below = levels[^1];
            levels.Add([.. Enumerable.Range(0, below.Length / 2).Select(i => Poseidon.Hash(below[2 * i], below[2 * i + 1]))]);
        }
        return [.. levels];
    }

    private static IEnumerable<(string, Fr)> Path(Fr[][] tree, int index) =>
        Array("sibling", Enumerable.Range(0, Depth).Select(l => tree[l][(index >> l) ^ 1]))
            .Concat(Array("bit", Enumerable.Range(0, Depth).Select(l => (Fr)(ulong)((index >> l) & 1))));

    private static readonly TestCircuit Verifier = new(api =>
        MerkleGadget.VerifyPath(api, api.PublicInput("root"), api.PrivateInput("leaf"), api.PrivateInputs("sibling", Depth), api.PrivateInputs("bit", Depth)));

    private static readonly TestCircuit Updater = new(api =>
        api.Output("newRoot", MerkleGadget.Update(api, api.PublicInput("root"), api.PrivateInput("leaf"), api.PrivateInput("newLeaf"),
            api.PrivateInputs("sibling", Depth), api.PrivateInputs("bit", Depth))));

    private static readonly Gen<(Fr[] Leaves, int Index, Fr NewLeaf)> Trees =
        Gen.Select(Gen.Int, Gen.Int[0, (1 << Depth) - 1]).Select((seed, index) =>
        {
            var rng = new Random(seed);
            return (Enumerable.Range(0, 1 << Depth).Select(_ => Fr.Random(rng)).ToArray(), index, Fr.Random(rng));
        });

    [Fact]
    public void VerifiesEveryLeafOfRandomTrees()
    {
        Assert.Equal(Depth * 242 + 1, Verifier.Compile().R1cs.Constraints.Count);
        Trees.Sample(t =>
        {
            var tree = Tree(t.Leaves);
            Verifier.SolveSatisfied(Inputs([("root", tree[^1][0]), ("leaf", t.Leaves[t.Index]), .. Path(tree, t.Index)]));
            var wrongLeaf = Inputs([("root", tree[^1][0]), ("leaf", t.Leaves[t.Index ^ 1]), .. Path(tree, t.Index)]);
            Assert.StartsWith("merkle/root: assert equal", Verifier.SolveUnsatisfied(wrongLeaf));
        }, iter: 5);
    }

    [Fact]
    public void UpdateGivesTheRootOfTheChangedTree()
    {
        // The new root is a combination (Poseidon ends in a linear layer), so its output equality costs one more.
        Assert.Equal(Depth * (242 + 241) + 1 + 1, Updater.Compile().R1cs.Constraints.Count);
        Trees.Sample(t =>
        {
            var tree = Tree(t.Leaves);
            var changed = (Fr[])t.Leaves.Clone();
            changed[t.Index] = t.NewLeaf;
            var s = Updater.SolveSatisfied(Inputs([("root", tree[^1][0]), ("leaf", t.Leaves[t.Index]), ("newLeaf", t.NewLeaf), .. Path(tree, t.Index)]));
            Assert.Equal(Tree(changed)[^1][0], s["newRoot"]);
        }, iter: 5);
    }

    [Fact]
    public void BadPathsAndTamperedWitnessesAreCaught()
    {
        var leaves = Enumerable.Range(1, 1 << Depth).Select(i => (Fr)(ulong)i).ToArray();
        var tree = Tree(leaves);
        var inputs = Inputs([("root", tree[^1][0]), ("leaf", leaves[5]), .. Path(tree, 5)]);
        var s = Verifier.SolveSatisfied(inputs);
        CircuitApiTests.AssertEveryWirePinned(s);

        var notABit = new Dictionary<string, Fr>(inputs) { ["bit[2]"] = 2 };
        Assert.StartsWith("merkle/level 2: assert boolean at MerkleGadget.cs:", Verifier.SolveUnsatisfied(notABit));
        var wrongSibling = new Dictionary<string, Fr>(inputs) { ["sibling[1]"] = inputs["sibling[1]"] + Fr.One };
        Assert.StartsWith("merkle/root: assert equal", Verifier.SolveUnsatisfied(wrongSibling));
        var wrongIndex = new Dictionary<string, Fr>(inputs) { ["bit[0]"] = Fr.Zero };
        Assert.StartsWith("merkle/root: assert equal", Verifier.SolveUnsatisfied(wrongIndex));
    }
}
