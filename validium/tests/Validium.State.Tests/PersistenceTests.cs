using Validium.Crypto;

namespace Validium.State.Tests;

public class PersistenceTests
{
    [Fact]
    public void ReopeningGivesTheSameRootsProofsAndHistory()
    {
        using var temp = new TempStore();
        var rng = new Random(11);
        var accounts = new NaiveTree(6);
        var fills = new NaiveTree(5);
        var rootsByBatch = new List<(ulong, Fr, Fr)>();
        for (int b = 0; b < 5; b++)
        {
            using var batch = temp.Store.BeginBatch(temp.NextBatch);
            batch.Update(temp.Store.Tree(TreeId.Accounts, 6), RandomUpdates(rng, accounts, 8));
            if (b % 2 == 0) batch.Update(temp.Store.Tree(TreeId.OrderFills, 5), RandomUpdates(rng, fills, 4));
            batch.Commit();
            rootsByBatch.Add((batch.BatchNumber, accounts.Root(), fills.Root()));
        }
        var proofsBefore = Enumerable.Range(0, 64).Select(i => temp.Store.Tree(TreeId.Accounts, 6).Prove((ulong)i)).ToArray();

        var store = temp.Reopen();
        Assert.Equal(5UL, store.LastBatch);
        var acc = store.Tree(TreeId.Accounts, 6);
        var fil = store.Tree(TreeId.OrderFills, 5);
        Assert.Equal(accounts.Root(), acc.Root);
        Assert.Equal(fills.Root(), fil.Root);
        foreach (var (b, ra, rf) in rootsByBatch)
        {
            Assert.Equal(ra, acc.RootAt(b));
            Assert.Equal(rf, fil.RootAt(b));
        }
        for (int i = 0; i < 64; i++)
        {
            var p = acc.Prove((ulong)i);
            Assert.Equal(proofsBefore[i].Leaf, p.Leaf);
            Assert.Equal(proofsBefore[i].Siblings.ToArray(), p.Siblings.ToArray());
            Assert.Equal(accounts.Siblings((ulong)i), p.Siblings.ToArray());
        }

        // Updates continue from the reopened state with a cold cache.
        acc.Update(temp.NextBatch, RandomUpdates(rng, accounts, 10));
        Assert.Equal(accounts.Root(), acc.Root);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(300)]
    public void SmallOrNoNodeCacheGivesTheSameRoots(int capacity)
    {
        using var temp = new TempStore(new StateStoreOptions { NodeCacheCapacity = capacity, SyncWrites = false });
        var rng = new Random(capacity);
        var naive = new NaiveTree(8);
        var tree = temp.Store.Tree(TreeId.Accounts, 8);
        for (int b = 0; b < 12; b++)
        {
            var updates = RandomUpdates(rng, naive, 20);
            Assert.Equal(naive.Root(), tree.Update(temp.NextBatch, updates));
            Assert.Equal(naive.Root(), tree.Root);
        }
        ulong probe = (ulong)rng.Next(256);
        Assert.Equal(naive.Siblings(probe), tree.Prove(probe).Siblings.ToArray());
    }

    [Fact]
    public void OnlyNonEmptyNodesAreStored()
    {
        using var temp = new TempStore();
        var tree = temp.Store.Tree(TreeId.Positions(9), 10);
        tree.Update(temp.NextBatch, [new(5, 1), new(6, 2)]);
        // Leaves 5 (101) and 6 (110) have different parents and meet at level 2: 2 + 2 nodes, then one per level up to 10.
        Assert.Equal(2 + 2 + 9L, temp.Store.StoredNodeCount(tree.Id));
        tree.Update(temp.NextBatch, [new(5, 0), new(6, 0)]);
        Assert.Equal(0, temp.Store.StoredNodeCount(tree.Id));
        Assert.Equal(tree.EmptyRoot, tree.Root);
        Assert.Equal(0, temp.Reopen().StoredNodeCount(tree.Id));
    }

    [Fact]
    public void NonEmptyLeavesListsExactlyTheSetLeaves()
    {
        using var temp = new TempStore();
        var naive = new NaiveTree(7);
        var tree = temp.Store.Tree(TreeId.OrderFills, 7);
        tree.Update(temp.NextBatch, RandomUpdates(new Random(4), naive, 50));
        var expect = Enumerable.Range(0, 128).Where(i => !naive.Get((ulong)i).IsZero).Select(i => new LeafUpdate((ulong)i, naive.Get((ulong)i)));
        Assert.Equal(expect, tree.NonEmptyLeaves());
        Assert.Empty(temp.Store.Tree(TreeId.Accounts, 7).NonEmptyLeaves());
    }

    [Fact]
    public void TreesInOneDatabaseDoNotSeeEachOther()
    {
        using var temp = new TempStore();
        var a = temp.Store.Tree(TreeId.Positions(1), 4);
        var b = temp.Store.Tree(TreeId.Positions(2), 4);
        var accounts = temp.Store.Tree(TreeId.Accounts, 4);
        a.Update(temp.NextBatch, [new(3, 7)]);
        Assert.Equal(b.EmptyRoot, b.Root);
        Assert.Equal(accounts.EmptyRoot, accounts.Root);
        Assert.Equal(Fr.Zero, b.Get(3));
        Assert.Equal(Fr.FromUInt64(7), a.Get(3));
    }

    internal static List<LeafUpdate> RandomUpdates(Random rng, NaiveTree naive, int count)
    {
        var list = new List<LeafUpdate>();
        for (int i = 0; i < count; i++)
        {
            ulong index = (ulong)rng.NextInt64(1L << naive.Depth);
            var value = rng.Next(4) == 0 ? Fr.Zero : Fr.Random(rng);
            naive.Set(index, value);
            list.Add(new(index, value));
        }
        return list;
    }
}
