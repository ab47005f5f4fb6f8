using Validium.L1.Rpc;

namespace Validium.L1.Tests;

public class AnvilProcessTests
{
    [SkippableFact]
    public async Task APersistentNodeComesBackOnItsPortWithItsChainAfterAStop()
    {
        var dir = Directory.CreateTempSubdirectory("anvil-state-");
        try
        {
            using var anvil = AnvilProcess.StartPersistent(Path.Combine(dir.FullName, "state.json"));
            using var rpc = new JsonRpcClient(anvil.Url, new JsonRpcClientOptions { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(5) });
            var eth = new EthClient(rpc);
            for (int i = 0; i < 3; i++) await rpc.CallAsync("evm_mine");
            var before = await eth.GetLatestBlockHeaderAsync();
            Assert.NotNull(before);
            Assert.Equal(3, before.Number);

            anvil.Stop();
            Assert.True(anvil.HasExited);
            await Assert.ThrowsAsync<RpcTransportException>(() => eth.BlockNumberAsync());

            anvil.Restart();
            Assert.False(anvil.HasExited);
            var after = await eth.GetBlockHeaderAsync(3);
            Assert.NotNull(after);
            Assert.Equal(before.Hash, after.Hash);
            Assert.Equal(3, await eth.BlockNumberAsync());
            Assert.Throws<InvalidOperationException>(anvil.Restart);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [SkippableFact]
    public void ANodeWithoutAStateFileCannotBeRestarted()
    {
        using var anvil = AnvilProcess.Start();
        anvil.Stop();
        Assert.Throws<InvalidOperationException>(anvil.Restart);
    }
}
