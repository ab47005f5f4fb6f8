using CsCheck;
using Validium.Crypto;

namespace Validium.State.Tests;

/// <summary>Random update sequences on the stored tree against the naive full recomputation.</summary>
public class SparseMerkleTreePropertyTests
{
    private static long treeCounter;

    [Fact]
    public void RootsAndProofsMatchTheNaiveTree()
    {
        using var temp = new TempStore();
        var store = temp.Store;
        var gen = Gen.Int[1, 7].SelectMany(depth => Gen.Select(Gen.Const(depth), GenState.Step(depth).Array[1, 3].Array[1, 4], Gen.ULong));
        // One store serves every sample, so samples run one at a time (one open batch per store).
        gen.Sample((depth, batches, probeSeed) =>
        {
            var trees = new[] { NewTree(store, depth), NewTree(store, depth) };
            var naive = new[] { new NaiveTree(depth), new NaiveTree(depth) };
            var history = new List<(ulong Batch, Fr Root0, Fr Root1)>();
            foreach (var steps in batches)
            {
                using var batch = store.BeginBatch(temp.NextBatch);
                foreach (var (t, updates) in steps)
                {
                    foreach (var u in updates) naive[t].Set(u.Index, u.Value);
                    var staged = batch.Update(trees[t], updates);
                    Assert.Equal(naive[t].Root(), staged);
                    foreach (var u in updates) CheckProof(batch.Prove(trees[t], u.Index), naive[t]);
                }
                batch.Commit();
                history.Add((batch.BatchNumber, naive[0].Root(), naive[1].Root()));
                for (int t = 0; t < 2; t++) Assert.Equal(naive[t].Root(), trees[t].Root);
            }

            foreach (var (b, r0, r1) in history)
            {
                Assert.Equal(r0, trees[0].RootAt(b));
                Assert.Equal(r1, trees[1].RootAt(b));
            }
            var rng = new Random((int)probeSeed);
            for (int k = 0; k < 3; k++)
            {
                ulong index = (ulong)rng.NextInt64(1L << depth);
                var proof = trees[0].Prove(index);
                CheckProof(proof, naive[0]);
                CheckTampered(proof, naive[0].Root());
            }
        }, threads: 1, iter: 60);
    }

    [Fact]
    public void EmptyTreeRootIsTheZeroHashAndEveryLeafProvesEmpty()
    {
        using var temp = new TempStore();
        for (int depth = 1; depth <= 6; depth++)
        {
            var tree = NewTree(temp.Store, depth);
            var naive = new NaiveTree(depth);
            Assert.Equal(naive.Root(), tree.Root);
            Assert.Equal(naive.Root(), tree.EmptyRoot);
            var proof = tree.Prove((ulong)(depth * 7) % (1UL << depth));
            Assert.True(proof.IsEmptyLeaf);
            Assert.True(proof.Verify(naive.Root()));
        }
    }

    internal static SparseMerkleTree NewTree(StateStore store, int depth) =>
        store.Tree(TreeId.Positions((ulong)Interlocked.Increment(ref treeCounter)), depth);

    private static void CheckProof(MerkleProof proof, NaiveTree naive)
    {
        Assert.Equal(naive.Get(proof.Index), proof.Leaf);
        Assert.Equal(naive.Siblings(proof.Index), proof.Siblings.ToArray());
        Assert.True(proof.Verify(naive.Root()));
        Assert.True(MerkleProof.Verify(naive.Root(), proof.Index, proof.Leaf, proof.Siblings));
        var bits = proof.PathBits();
        for (int i = 0; i < bits.Length; i++) Assert.Equal(((proof.Index >> i) & 1) == 1, bits[i]);
    }

    /// <summary>Changing any one part of a valid proof must make it fail.</summary>
    private static void CheckTampered(MerkleProof proof, Fr root)
    {
        Assert.False(new MerkleProof(proof.Index, proof.Leaf + Fr.One, proof.Siblings).Verify(root));
        for (int level = 0; level < proof.Depth; level++)
        {
            var s = proof.Siblings.ToArray();
            s[level] += Fr.One;
            Assert.False(new MerkleProof(proof.Index, proof.Leaf, s).Verify(root));
            // Moving the leaf to another index fails unless both subtrees at that level happen to be equal.
            var moved = new MerkleProof(proof.Index ^ (1UL << level), proof.Leaf, proof.Siblings);
            bool symmetric = SubtreeRoot(proof, level) == proof.Siblings[level];
            Assert.Equal(symmetric, moved.Verify(root));
        }
    }

    /// <summary>The node on the proof's path at <paramref name="level"/>, from the leaf and the siblings below it.</summary>
    private static Fr SubtreeRoot(MerkleProof proof, int level)
    {
        var node = proof.Leaf;
        for (int i = 0; i < level; i++)
            node = ((proof.Index >> i) & 1) == 0 ? Poseidon.Hash(node, proof.Siblings[i]) : Poseidon.Hash(proof.Siblings[i], node);
        return node;
    }
}
