using Validium.Crypto;

namespace Validium.State.Tests;

public class BadInputTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65)]
    public void DepthOutOfRangeIsRefused(int depth)
    {
        using var temp = new TempStore();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => temp.Store.Tree(TreeId.Accounts, depth));
        Assert.Contains("1..64", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ZeroHashes.EmptyRoot(depth));
    }

    [Fact]
    public void IndexBeyondTheTreeIsRefusedAndNothingChanges()
    {
        using var temp = new TempStore();
        var tree = temp.Store.Tree(TreeId.Accounts, 10);
        tree.Update(temp.NextBatch, [new(1023, 1)]);
        var root = tree.Root;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => tree.Update(temp.NextBatch, [new(5, 5), new(1024, 1)]));
        Assert.Contains("leaf index 1024 is outside a tree of depth 10", e.Message);
        Assert.Equal(root, tree.Root);
        Assert.Equal(1UL, temp.Store.LastBatch);
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Prove(1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Get(ulong.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleProof(4, Fr.Zero, new Fr[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleProof(0, Fr.Zero, []));
        // A new batch can still be started: the refused one left no batch open.
        tree.Update(temp.NextBatch, [new(5, 5)]);
    }

    [Fact]
    public void ATreeKeepsTheDepthItWasCreatedWith()
    {
        using var temp = new TempStore();
        temp.Store.Tree(TreeId.Accounts, 12).Update(temp.NextBatch, [new(3, 3)]);
        var e = Assert.Throws<InvalidOperationException>(() => temp.Store.Tree(TreeId.Accounts, 13));
        Assert.Contains("depth 12", e.Message);
        var store = temp.Reopen();
        Assert.Throws<InvalidOperationException>(() => store.Tree(TreeId.Accounts, 8));
        Assert.Equal(Fr.FromUInt64(3), store.Tree(TreeId.Accounts, 12).Get(3));
    }

    [Fact]
    public void BatchNumbersMustIncreaseAndOnlyOneBatchIsOpen()
    {
        using var temp = new TempStore();
        var tree = temp.Store.Tree(TreeId.Accounts, 4);
        tree.Update(5, [new(1, 1)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => temp.Store.BeginBatch(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => temp.Store.BeginBatch(2));
        var open = temp.Store.BeginBatch(6);
        var e = Assert.Throws<InvalidOperationException>(() => temp.Store.BeginBatch(7));
        Assert.Contains("batch 6 is still open", e.Message);
        open.Commit();
        Assert.Throws<InvalidOperationException>(open.Commit);
        Assert.Throws<InvalidOperationException>(() => open.Update(tree, [new(2, 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.RootAt(7));
        Assert.Equal(tree.EmptyRoot, tree.RootAt(4));
        Assert.Equal(tree.Root, tree.RootAt(6));
    }

    [Fact]
    public void ATreeOfAnotherStoreIsRefused()
    {
        using var a = new TempStore();
        using var b = new TempStore();
        using var batch = a.Store.BeginBatch(1);
        var e = Assert.Throws<ArgumentException>(() => batch.Update(b.Store.Tree(TreeId.Accounts, 4), [new(1, 1)]));
        Assert.Contains(b.Dir, e.Message);
    }

    [Fact]
    public void AFileWhereTheDatabaseShouldBeIsAClearError()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.ThrowsAny<IOException>(() => StateStore.Open(file, TempStore.Cpu));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Depth64TakesEveryIndex()
    {
        using var temp = new TempStore();
        var tree = temp.Store.Tree(TreeId.Accounts, 64);
        var root = tree.Update(temp.NextBatch, [new(ulong.MaxValue, 1), new(0, 2)]);
        Assert.True(tree.Prove(ulong.MaxValue).Verify(root));
        Assert.True(tree.Prove(1UL << 63).Verify(root));
        Assert.Equal(0UL, OrderFillLeaf.Slot(Fr.Zero, 64));
    }
}
