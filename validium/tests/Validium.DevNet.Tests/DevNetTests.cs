using System.Net;
using System.Numerics;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1.Abi;
using Validium.L1.Anvil;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.Settlement;

namespace Validium.DevNet.Tests;

/// <summary>
/// Whole devnets on anvil with a deliberately small circuit (account depth 4, two deposit slots) so the development
/// setup takes seconds; the contracts, the committee and the oracle are the real ones.
/// </summary>
public sealed class DevNetTests : IDisposable
{
    private static readonly ContractAbi ReadAbi = ContractAbi.Parse("""
        [
          {"type":"function","name":"stateRoot","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
          {"type":"function","name":"latestRound","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint64"}]}
        ]
        """);

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("devnet-");

    public void Dispose() => dir.Delete(true);

    private DevNetOptions Options(double? oracleInterval = null) => new()
    {
        Directory = dir.FullName,
        OracleIntervalSeconds = oracleInterval,
        PriceSeed = 5,
        Circuit = new CircuitConfig
        {
            AccountDepth = 4, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Shape = new BatchShape(2, 0, 0),
            Instruments = [.. DevNetOptions.DefaultInstruments.Select(i => InstrumentParams.FromSpec(i.Spec))],
        },
    };

    private static void RequireAnvil() => Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);

    private static DacClient Client(DevNetwork net, EthClient eth, Secp256k1PrivateKey sequencer) =>
        new(new DacDomain(net.Manifest.ChainId, net.Validium), sequencer, new L1Committee(eth, net.Validium, TimeSpan.Zero), new DacClientOptions
        {
            Members = net.MemberUrls, Timeout = TimeSpan.FromSeconds(5), InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200),
        });

    private static Secp256k1PrivateKey Operator(DevNetManifest m) => m.OpenKey(m.Operator);

    private static byte[] Data(int seed) => PoseidonSponge.ToBytes([.. Enumerable.Range(0, 16).Select(i => Fr.FromBigInteger(new BigInteger(seed * 1000 + i)))]);

    [SkippableFact]
    public async Task Up_deploys_the_system_and_the_committee_attests_down_to_its_threshold()
    {
        RequireAnvil();
        await using var net = await DevNetwork.UpAsync(Options());
        using var rpc = new JsonRpcClient(net.Rpc);
        var eth = new EthClient(rpc);
        var m = DevNetManifest.Read(net.ManifestPath);
        Assert.Equal(AnvilNode.ChainId, (long)await eth.ChainIdAsync());
        Assert.Equal(net.Anvil!.Url, m.RpcUrl);

        // The contract holds the committee of the manifest, and its verifier publishes the batcher's circuit.
        var validium = new Contract(eth, ValidiumAbi.Committee, net.Validium);
        Assert.Equal(new BigInteger(2), (BigInteger)(await validium.CallSingleAsync("threshold"))!);
        var signers = ((object?[])(await validium.CallSingleAsync("signers"))!).Cast<EthereumAddress>().ToHashSet();
        Assert.Equal(m.Committee.Members.Select(x => EthereumAddress.Parse(x.Address)).ToHashSet(), signers);
        Assert.Equal(BigInteger.Zero, (BigInteger)(await validium.CallSingleAsync("batchNumber"))!);
        Assert.True((BigInteger)(await new Contract(eth, ReadAbi, net.Validium).CallSingleAsync("stateRoot"))! > 0);
        var store = BatchStore.Open(m.Resolve(m.BatcherDir));
        Assert.Equal(StateSnapshotJson(store.Config), StateSnapshotJson(await L1History.ReadCircuitConfigAsync(eth, net.Validium)));
        Assert.Equal(["BTC-PERP", "ETH-PERP"], m.Instruments.Select(i => i.Symbol));

        // Traders: a mintable collateral token and a faucet with gas money; the keystores open to the listed addresses.
        Assert.True(m.Traders.TokenMintable);
        Assert.Equal(m.Traders.Faucet.Address, m.OpenKey(m.Traders.Faucet).Address.ToString());
        Assert.True(await eth.GetBalanceAsync(EthereumAddress.Parse(m.Traders.Faucet.Address)) >= BigInteger.Pow(10, 18) * 500);
        Assert.Equal(m.Oracle.Reporters.Select(r => r.Address), m.Oracle.Reporters.Select(r => m.OpenKey(r).Address.ToString()));

        using var http = new HttpClient();
        foreach (var url in net.MemberUrls)
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(url, DacRoutes.Health))).StatusCode);

        using var client = Client(net, eth, Operator(m));
        async Task AttestedOnL1(ulong batch)
        {
            var bundle = await client.AttestAsync(batch, Data((int)batch));
            Assert.Equal(2, bundle.Signatures.Count);
            await validium.CallAsync("checkAttestation", [batch, bundle.Commitment.ToBigInteger(), bundle.ToContractArgument()]);
        }
        await AttestedOnL1(1);
        // The client stops at the threshold, so the member stopped is one that stored batch 1.
        int victim = -1;
        for (int i = 0; i < 3 && victim < 0; i++)
        {
            using var response = await http.GetAsync(new Uri(net.MemberUrls[i], DacRoutes.BatchPath(1)));
            if (response.IsSuccessStatusCode) victim = i;
        }
        Assert.True(victim >= 0, "no member stored batch 1");
        await net.StopMemberAsync(victim);
        Assert.False(net.IsMemberRunning(victim));
        await AttestedOnL1(2);
        await net.StopMemberAsync((victim + 1) % 3);
        var e = await Assert.ThrowsAsync<AttestationUnavailableException>(() => client.AttestAsync(3, Data(3)));
        Assert.Equal((1, 2), (e.Valid, e.Threshold));

        // Back up on its port, the member still serves what it stored before it stopped.
        await net.StartMemberAsync(victim);
        Assert.Equal(Data(1), await http.GetByteArrayAsync(new Uri(net.MemberUrls[victim], DacRoutes.BatchPath(1))));
        await AttestedOnL1(3);

        // A second devnet process on the same directory is refused while this one runs.
        var busy = await Assert.ThrowsAsync<IOException>(() => DevNetwork.UpAsync(Options()));
        Assert.Contains("in use", busy.Message);
    }

    [SkippableFact]
    public async Task Up_again_restores_the_chain_keys_and_member_data_and_the_feeder_continues()
    {
        RequireAnvil();
        DevNetManifest first;
        long height;
        BigInteger root;
        byte[] stored = Data(1);
        await using (var net = await DevNetwork.UpAsync(Options()))
        {
            first = net.Manifest;
            using var rpc = new JsonRpcClient(net.Rpc);
            var eth = new EthClient(rpc);
            var r1 = await net.Feeder.PublishNextAsync();
            var r2 = await net.Feeder.PublishNextAsync();
            Assert.Equal((1UL, 2UL), (r1.Round, r2.Round));
            // Round 1 is the listed prices in the contract's unit, computed here from the specs.
            Assert.Equal([.. DevNetOptions.DefaultInstruments.Select(i => (ulong)(i.InitialPrice / i.Spec.TickSize * i.Spec.CashPerTickLot))], r1.Prices.ToArray());
            var history = await L1History.ReadAsync(eth, net.Validium, first.Contracts.DeploymentBlock);
            Assert.Equal(r1.Prices.ToArray(), history.OracleRounds[1].Prices.ToArray());
            Assert.Equal(r2.Prices.ToArray(), history.OracleRounds[2].Prices.ToArray());
            Assert.NotEqual(r1.Prices.ToArray(), r2.Prices.ToArray());

            using var client = Client(net, eth, Operator(first));
            await client.AttestAsync(1, stored);
            height = await eth.BlockNumberAsync();
            root = (BigInteger)(await new Contract(eth, ReadAbi, net.Validium).CallSingleAsync("stateRoot"))!;
        }

        var bigger = Options() with { Members = 4 };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => DevNetwork.UpAsync(bigger));
        Assert.Contains("2 of 3", e.Message);

        await using (var net = await DevNetwork.UpAsync(Options(oracleInterval: 0.3)))
        {
            Assert.Equal(first.Contracts, net.Manifest.Contracts);
            Assert.Equal(first.Operator, net.Manifest.Operator);
            Assert.Equal(first.Committee.Members, net.Manifest.Committee.Members);
            using var rpc = new JsonRpcClient(net.Rpc);
            var eth = new EthClient(rpc);
            Assert.True(await eth.BlockNumberAsync() >= height);
            var reader = new Contract(eth, ReadAbi, net.Validium);
            Assert.Equal(root, (BigInteger)(await reader.CallSingleAsync("stateRoot"))!);
            // Every member that signed batch 1 kept it; with 2 of 3 signing, at least two did.
            using var http = new HttpClient();
            int keeping = 0;
            foreach (var url in net.MemberUrls)
            {
                using var response = await http.GetAsync(new Uri(url, DacRoutes.BatchPath(1)));
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsByteArrayAsync()).SequenceEqual(stored)) keeping++;
            }
            Assert.True(keeping >= 2, $"{keeping} members kept batch 1");

            // The background feeder continues the path from the chain's round 2.
            await WaitFor(async () => (BigInteger)(await new Contract(eth, ReadAbi, EthereumAddress.Parse(net.Manifest.Contracts.Oracle)).CallSingleAsync("latestRound"))! >= 4);

            // anvil killed outright, then started again: the state file's periodic write kept the chain (all but its last
            // second), and the feeder resumes from whatever round the restored chain holds.
            await Task.Delay(1_500);
            net.StopAnvil(kill: true);
            await Task.Delay(600);
            net.StartAnvil();
            Assert.True(await eth.BlockNumberAsync() > height);
            Assert.Equal(root, (BigInteger)(await reader.CallSingleAsync("stateRoot"))!);
            long published = net.Feeder.Published;
            await WaitFor(() => Task.FromResult(net.Feeder.Published >= published + 2));
        }
    }

    private static string StateSnapshotJson(CircuitConfig c) => Circuits.Witness.StateSnapshot.ConfigJson(c).ToJsonString();

    private static async Task WaitFor(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not hold within 30 s");
            await Task.Delay(100);
        }
    }
}
