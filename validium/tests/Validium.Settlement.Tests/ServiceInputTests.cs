using Validium.Crypto;
using Validium.L1.Contracts;
using Validium.L1.Rpc;

namespace Validium.Settlement.Tests;

/// <summary>What the watcher and the poster refuse before they touch L1: bad options and damaged state files.</summary>
public sealed class ServiceInputTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("l1svc-input-");
    private static readonly EthereumAddress A = EthereumAddress.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly EthereumAddress B = EthereumAddress.Parse("0x00000000000000000000000000000000000000bb");

    private L1WatcherOptions Watcher => new() { Validium = A, Oracle = B, Directory = dir.FullName };

    [Fact]
    public void WatcherOptionsAreCheckedBeforeAnythingStarts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => (Watcher with { Confirmations = -1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Watcher with { InitialBackoff = TimeSpan.FromSeconds(2), MaxBackoff = TimeSpan.FromSeconds(1) }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Watcher with { Capacity = 0 }).Validate());
        Assert.Throws<ArgumentException>(() => (Watcher with { Oracle = A }).Validate());
        Assert.Throws<ArgumentException>(() => (Watcher with { Directory = " " }).Validate());
        Watcher.Validate();
    }

    [Fact]
    public void PosterOptionsAreChecked()
    {
        var ok = new BatchPosterOptions { Directory = dir.FullName };
        ok.Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => (ok with { Confirmations = 0 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (ok with { StartBlock = -1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (ok with { PollInterval = TimeSpan.Zero }).Validate());
    }

    [Fact]
    public async Task ADamagedAcknowledgementFileIsRefusedNamingIt()
    {
        var path = Path.Combine(dir.FullName, "l1-acknowledged.json");
        await File.WriteAllTextAsync(path, "{\"version\":1,\"nextOperation\":");
        // Nothing listens on the discard port: the refusal must come from the file, before any request.
        using var rpc = new JsonRpcClient(new Uri("http://127.0.0.1:9/"));
        var e = Assert.Throws<InvalidDataException>(() => L1Watcher.Start(new EthClient(rpc), Watcher));
        Assert.Contains(path, e.Message);

        await File.WriteAllTextAsync(path, "{\"version\":1,\"nextOperation\":3,\"lastHead\":\"not a number\",\"lastRound\":0}");
        e = Assert.Throws<InvalidDataException>(() => L1Watcher.Start(new EthClient(rpc), Watcher));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void ThePosterStatusFileKeepsEveryStageAndRefusesDamage()
    {
        var file = new PostStatusFile(dir.FullName);
        Assert.Equal(0UL, file.LastConfirmed);
        file.Put(new BatchPostStatus { Number = 1, Stage = PostStage.Confirmed, TransactionHash = "0x01", GasUsed = 300_000, Block = 7, Signers = ["0xaa", "0xbb"] });
        file.Put(new BatchPostStatus { Number = 2, Stage = PostStage.Submitted, TransactionHash = "0x02" });

        var reopened = new PostStatusFile(dir.FullName);
        Assert.Equal(1UL, reopened.LastConfirmed);
        Assert.Equal(PostStage.Submitted, reopened.Get(2)!.Stage);
        Assert.Equal(["0xaa", "0xbb"], reopened.Get(1)!.Signers);
        Assert.Equal(300_000UL, reopened.Get(1)!.GasUsed);

        var path = Path.Combine(dir.FullName, "poster-status.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"number\": 2", "\"number\": 1", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => new PostStatusFile(dir.FullName));
        Assert.Contains("listed twice", e.Message);
        File.WriteAllText(path, "[");
        Assert.Throws<InvalidDataException>(() => new PostStatusFile(dir.FullName));
    }

    [Fact]
    public void ThePosterNeedsTheValidiumContractsAbi()
    {
        using var rpc = new JsonRpcClient(new Uri("http://127.0.0.1:9/"));
        var recoveryView = new Contract(new EthClient(rpc), L1History.Abi, A);
        var e = Assert.Throws<ArgumentException>(() => BatchPoster.Start(null!, recoveryView, null!, null!, new BatchPosterOptions { Directory = dir.FullName }));
        Assert.Equal("validium", e.ParamName);
        Assert.Contains("submitBatch", e.Message);
    }

    public void Dispose() => dir.Delete(true);
}
