using System.Numerics;
using Validium.Circuits;
using Validium.Crypto;
using Validium.DevNet;
using Validium.L1.Anvil;
using Validium.L1.Rpc;

namespace Validium.Demo.Tests;

/// <summary>A trader funded on a real devnet (anvil, the deployed contracts), with a small circuit so the setup takes seconds.</summary>
public sealed class L1FundingTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("demo-funding-");

    public void Dispose() => dir.Delete(true);

    [SkippableFact]
    public async Task A_trader_mints_approves_and_deposits_with_its_own_key()
    {
        Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);
        await using var net = await DevNetwork.UpAsync(new DevNetOptions
        {
            Directory = dir.FullName,
            Circuit = new CircuitConfig
            {
                AccountDepth = 4, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Shape = new BatchShape(2, 0, 0),
                Instruments = [.. DevNetOptions.DefaultInstruments.Select(i => InstrumentParams.FromSpec(i.Spec))],
            },
        });
        using var rpc = new JsonRpcClient(net.Rpc);
        var eth = new EthClient(rpc);
        var m = net.Manifest;
        var faucet = await L1Funding.SenderAsync(Path.Combine(dir.FullName, "demo-nonces"), eth, m.OpenKey(m.Traders.Faucet));
        var key = Secp256k1PrivateKey.Generate();
        var trader = await L1Funding.SenderAsync(Path.Combine(dir.FullName, "demo-nonces"), eth, key);
        var funding = new L1Funding(eth, m);
        var validium = EthereumAddress.Parse(m.Contracts.Validium);
        var before = await funding.TokenBalanceAsync(validium);

        var l2 = EdDsaPoseidon.PrivateToPublic(new byte[32]);
        var result = await funding.FundAsync(faucet, trader, l2, 25_000_000_000);

        Assert.Equal(key.Address, result.Address);
        Assert.Equal(before + 25_000_000_000, await funding.TokenBalanceAsync(validium));
        Assert.Equal(BigInteger.Zero, await funding.TokenBalanceAsync(key.Address));
        Assert.True(await eth.GetBalanceAsync(key.Address) > 0);
        Assert.All(new[] { result.Gas, result.Mint, result.Approve, result.Deposit }, r => Assert.True(r.GasUsed > 0));
        // The deposit queues an L1 operation: the contract logs it.
        Assert.NotEmpty(result.Deposit.Logs);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => funding.FundAsync(faucet, trader, l2, 0));
    }
}
