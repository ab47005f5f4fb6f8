using Validium.Crypto;

namespace Validium.State.Tests;

public class AtomicityTests
{
    [Fact]
    public void ABatchThatThrowsMidwayLeavesThePreviousRootOnDisk()
    {
        using var temp = new TempStore();
        var accounts = temp.Store.Tree(TreeId.Accounts, 8);
        var fills = temp.Store.Tree(TreeId.OrderFills, 8);
        accounts.Update(temp.NextBatch, [new(1, 10), new(2, 20)]);
        fills.Update(temp.NextBatch, [new(4, 40)]);
        var (accountsRoot, fillsRoot) = (accounts.Root, fills.Root);

        var batch = temp.Store.BeginBatch(temp.NextBatch);
        var staged = batch.Update(accounts, [new(1, 11), new(200, 5)]);
        Assert.NotEqual(accountsRoot, staged);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => batch.Update(fills, [new(4, 41), new(256, 1)]));
        Assert.Contains("256", e.Message);
        // The failed update changed nothing, not even inside the batch.
        Assert.Equal(fillsRoot, batch.Root(fills));
        Assert.Equal(staged, batch.Root(accounts));
        batch.Dispose();

        Assert.Equal(accountsRoot, accounts.Root);
        Assert.Equal(2UL, temp.Store.LastBatch);
        var store = temp.Reopen();
        Assert.Equal(accountsRoot, store.Tree(TreeId.Accounts, 8).Root);
        Assert.Equal(fillsRoot, store.Tree(TreeId.OrderFills, 8).Root);
        Assert.Equal(2UL, store.LastBatch);
    }

    [Fact]
    public void ACancelledUpdateLeavesTheBatchAsItWas()
    {
        using var temp = new TempStore();
        var tree = temp.Store.Tree(TreeId.Accounts, 16);
        tree.Update(temp.NextBatch, [new(1, 1)]);
        var before = tree.Root;
        using var batch = temp.Store.BeginBatch(temp.NextBatch);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => batch.Update(tree, [new(2, 2)], cts.Token));
        Assert.Equal(before, batch.Root(tree));
        batch.Commit();
        Assert.Equal(before, tree.Root);
    }

    [Fact]
    public void AStoreClosedWithABatchOpenKeepsOnlyCommittedState()
    {
        using var temp = new TempStore();
        var tree = temp.Store.Tree(TreeId.Accounts, 8);
        tree.Update(temp.NextBatch, [new(9, 9)]);
        var committed = tree.Root;
        var batch = temp.Store.BeginBatch(temp.NextBatch);
        batch.Update(tree, [new(9, 10), new(10, 10)]);
        var store = temp.Reopen();
        Assert.Throws<ObjectDisposedException>(batch.Commit);
        Assert.Equal(committed, store.Tree(TreeId.Accounts, 8).Root);
        Assert.Equal(1UL, store.LastBatch);
    }

    [Fact]
    public void UpdatesOfSeveralTreesInOneBatchCommitTogether()
    {
        using var temp = new TempStore();
        var positions = temp.Store.Tree(TreeId.Positions(3), 4);
        var accounts = temp.Store.Tree(TreeId.Accounts, 6);
        using (var batch = temp.Store.BeginBatch(temp.NextBatch))
        {
            var positionsRoot = batch.Update(positions, [new(2, new PositionLeaf(5, 500, 0).Hash())]);
            var account = new AccountLeaf(Fr.One, Fr.FromUInt64(2), 1, 1000, positionsRoot);
            batch.Update(accounts, [new(3, account.Hash())]);
            // A second update of the same tree in the batch builds on the first.
            var again = batch.Update(positions, [new(1, new PositionLeaf(-1, -90, 4).Hash())]);
            Assert.True(batch.Prove(positions, 2).Verify(again));
            batch.Commit();
        }
        var naive = new NaiveTree(4);
        naive.Set(2, new PositionLeaf(5, 500, 0).Hash());
        naive.Set(1, new PositionLeaf(-1, -90, 4).Hash());
        Assert.Equal(naive.Root(), positions.Root);
        Assert.Equal(positions.Root, positions.RootAt(1));
        Assert.NotEqual(accounts.EmptyRoot, accounts.RootAt(1));
    }
}
