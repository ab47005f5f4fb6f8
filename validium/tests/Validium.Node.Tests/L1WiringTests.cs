using System.Collections;
using System.Net;
using System.Numerics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.DevNet;
using Validium.Exchange;
using Validium.L1.Abi;
using Validium.L1.Anvil;
using Validium.L1.Contracts;
using Validium.L1.Keys;
using Validium.L1.Rpc;
using Validium.L1.Transactions;
using Validium.Node.Dashboard;
using Validium.Node.Exchange;
using Validium.Node.Hosting;
using Xunit.Abstractions;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests;

/// <summary>
/// A node joining a real devnet (anvil, the deployed contracts, three committee members) through its manifest, with a
/// circuit small enough to set up and prove in seconds: deposits made on the contract reach the exchange, a trade is
/// batched, proven, attested and accepted by the contract, and a restart takes nothing twice.
/// </summary>
public sealed class L1WiringTests(ITestOutputHelper output) : IDisposable
{
    private static readonly ContractAbi UserAbi = ContractAbi.Parse("""
        [
          {"type":"function","name":"mint","stateMutability":"nonpayable","inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[]},
          {"type":"function","name":"approve","stateMutability":"nonpayable","inputs":[{"name":"spender","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[{"name":"","type":"bool"}]},
          {"type":"function","name":"deposit","stateMutability":"nonpayable","inputs":[{"name":"amount","type":"uint64"},{"name":"ax","type":"uint256"},{"name":"ay","type":"uint256"}],"outputs":[]},
          {"type":"function","name":"batchNumber","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint64"}]},
          {"type":"function","name":"domain","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
          {"type":"function","name":"processedOps","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint64"}]},
          {"type":"function","name":"claimable","stateMutability":"view","inputs":[{"name":"","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
          {"type":"function","name":"freeze","stateMutability":"nonpayable","inputs":[],"outputs":[]},
          {"type":"function","name":"forcedTrade","stateMutability":"nonpayable","inputs":[{"name":"t","type":"tuple","components":[{"name":"accountA","type":"uint64"},{"name":"accountB","type":"uint64"},{"name":"instrument","type":"uint32"},{"name":"size","type":"int64"},{"name":"price","type":"uint64"},{"name":"axA","type":"uint256"},{"name":"ayA","type":"uint256"},{"name":"axB","type":"uint256"},{"name":"ayB","type":"uint256"}]},{"name":"sigA","type":"tuple","components":[{"name":"r8x","type":"uint256"},{"name":"r8y","type":"uint256"},{"name":"s","type":"uint256"}]},{"name":"sigB","type":"tuple","components":[{"name":"r8x","type":"uint256"},{"name":"r8y","type":"uint256"},{"name":"s","type":"uint256"}]}],"outputs":[]},
          {"type":"function","name":"forcedNonce","stateMutability":"view","inputs":[{"name":"","type":"uint64"}],"outputs":[{"name":"","type":"uint64"}]},
          {"type":"function","name":"forcedWithdrawal","stateMutability":"nonpayable","inputs":[{"name":"account","type":"uint64"},{"name":"ax","type":"uint256"},{"name":"ay","type":"uint256"},{"name":"amount","type":"uint64"},{"name":"recipient","type":"address"},{"name":"sig","type":"tuple","components":[{"name":"r8x","type":"uint256"},{"name":"r8y","type":"uint256"},{"name":"s","type":"uint256"}]}],"outputs":[]}
        ]
        """);

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("validium-node-l1-");

    public void Dispose()
    {
        try
        {
            dir.Delete(true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }

    private DevNetOptions DevNet(BatchShape? shape = null) => new()
    {
        Directory = Path.Combine(dir.FullName, "devnet"),
        OracleIntervalSeconds = null,
        Instruments = [DevNetOptions.DefaultInstruments[0]],
        Circuit = new CircuitConfig
        {
            AccountDepth = 4, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Shape = shape ?? new BatchShape(2, 1, 0),
            Instruments = [InstrumentParams.FromSpec(DevNetOptions.DefaultInstruments[0].Spec)],
        },
    };

    private NodeOptions Node(string manifest, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataDir"] = Path.Combine(dir.FullName, "node"), ["Devnet:Manifest"] = manifest, ["Accel:Mode"] = "cpu", ["Exchange:MaxAccounts"] = "15",
            ["Exchange:OperatorKey"] = Convert.ToHexString(BabyJubjub.Pack(PublicKey(0))), ["L1:PollIntervalMs"] = "100", ["L1:Confirmations"] = "1",
            ["Batcher:MaxBatchAgeMs"] = "3600000",
        };
        foreach (var (key, value) in more) settings[key] = value;
        return NodeConfiguration.Load(null, settings, new Hashtable());
    }

    private static Task<NodeHost> StartAsync(NodeOptions options) => NodeHost.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning));

    private static async Task Until(Func<Task<bool>> done, string what, Func<Task<string>>? state = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (!await done())
        {
            if (cts.IsCancellationRequested) throw new TimeoutException($"timed out waiting for {what}; {(state is null ? "" : await state())}");
            await Task.Delay(100);
        }
    }

    private static async Task<JsonNode> HealthAsync(NodeHost node)
    {
        using var http = new HttpClient { BaseAddress = node.Urls[0] };
        using var response = await http.GetAsync(NodeHost.HealthPath);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<string> HealthTextAsync(NodeHost node) => "node health: " + (await HealthAsync(node)).ToJsonString();

    /// <summary>The devnet's faucet with tokens minted and approved for the Validium contract: what each test deposits from.</summary>
    private sealed record Faucet(JsonRpcClient Rpc, EthClient Eth, Secp256k1PrivateKey Key, TransactionSender Sender, Contract Token, Contract Validium) : IDisposable
    {
        public void Dispose() => Rpc.Dispose();
    }

    private async Task<Faucet> FaucetAsync(DevNetwork net)
    {
        var m = net.Manifest;
        var rpc = new JsonRpcClient(net.Rpc);
        var eth = new EthClient(rpc);
        var faucet = m.OpenKey(m.Traders.Faucet);
        var sender = new TransactionSender(eth, faucet, await NonceManager.OpenAsync(Path.Combine(dir.FullName, "faucet-nonces.json"), eth, faucet.Address),
            new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(50), PriorityFeePerGas = 1_000_000_000 });
        var token = new Contract(eth, UserAbi, EthereumAddress.Parse(m.Traders.Token));
        var validium = new Contract(eth, UserAbi, net.Validium);
        await token.SendAsync(sender, "mint", [faucet.Address, BigInteger.Pow(10, 30)]);
        await token.SendAsync(sender, "approve", [net.Validium, BigInteger.Pow(10, 30)]);
        return new Faucet(rpc, eth, faucet, sender, token, validium);
    }

    private static string Status(JsonNode health, string component) => (string)health["components"]![component]!["status"]!;

    [SkippableFact]
    public async Task A_node_on_the_devnet_manifest_takes_L1_deposits_settles_a_trade_on_L1_and_restarts_without_taking_anything_twice()
    {
        Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);
        await using var net = await DevNetwork.UpAsync(DevNet());
        var m = net.Manifest;
        using var funded = await FaucetAsync(net);
        var (rpc, eth, faucet, sender, token, validium) = funded;
        async Task Deposit(int who, long usd) =>
            await validium.SendAsync(sender, "deposit", [(BigInteger)(usd * Usd), PublicKey(who).X.ToBigInteger(), PublicKey(who).Y.ToBigInteger()]);
        async Task<ulong> BatchNumber() => (ulong)(BigInteger)(await validium.CallSingleAsync("batchNumber"))!;

        var round = await net.Feeder.PublishNextAsync();
        await Deposit(0, 1);
        await Deposit(1, 100_000);
        await Deposit(2, 100_000);

        var options = Node(net.ManifestPath);
        Assert.True(options.L1.Enabled);
        Assert.Equal(m.Resolve(m.BatcherDir), options.BatchDir);
        var btc = m.Instruments[0].Spec;
        long price = (long)(round.Prices[0] / (ulong)btc.CashPerTickLot) * btc.TickSize;
        ulong batches;
        await using (var node = await StartAsync(options))
        {
            await Until(() => Task.FromResult(node.Exchange.View.Accounts.Count == 3 && node.Exchange.View.Instruments[0].IndexPrice == price), "the three deposits and the oracle round");
            Assert.Equal(100_000 * Usd, node.Exchange.View.Accounts[1].Summary.Collateral);
            Assert.Equal(PublicKey(2), node.Exchange.View.Accounts[2].Key);

            var sell = Command.Place(0, 1, 1, 0, Side.Sell, OrderType.Limit, price, btc.LotSize, 1);
            var buy = Command.Place(0, 2, 1, 0, Side.Buy, OrderType.Limit, price, btc.LotSize, 1);
            Accepted(await node.Exchange.PlaceAsync(sell, OrderSigning.Sign(sell, PrivateKey(1))));
            Accepted(await node.Exchange.PlaceAsync(buy, OrderSigning.Sign(buy, PrivateKey(2))));
            Assert.Single(node.Exchange.View.Accounts[2].Positions, p => p.Quantity == btc.LotSize);

            var hosted = node.Services.GetRequiredService<ExchangeHostedService>();
            // The engine acknowledges a command before the batcher has taken it: flush only what it has been fed.
            await node.Exchange.WaitFedAsync(node.Exchange.LastApplied);
            await hosted.Pipeline!.FlushAsync();
            batches = hosted.Store!.List().Max();
            await Until(async () => await BatchNumber() == batches, $"L1 to accept batch {batches}");
            var poster = node.Services.GetRequiredService<PosterHostedService>().Poster!;
            await Until(() => Task.FromResult(poster.LastConfirmed == batches), $"the poster to confirm batch {batches}");
            for (ulong n = 1; n <= batches; n++)
            {
                var s = poster.Status(n)!;
                Assert.Equal(Settlement.DataAvailabilityPath.Committee, s.DataPath);
                var b = hosted.Store!.Read(n);
                output.WriteLine($"committee batch {n} (shape {DevNet().Circuit!.Shape}): {b.Deposits.Length} deposits, {b.Trades.Length} trades, {b.DataWords.Length} data words; " +
                    $"{s.GasUsed:N0} gas, {s.CalldataBytes:N0} calldata bytes");
            }

            var health = await HealthAsync(node);
            Assert.Equal("healthy", Status(health, "l1-watcher"));
            Assert.Equal("healthy", Status(health, "poster"));
            var l1 = node.Services.GetRequiredService<IDashboardL1Status>().Get(batches);
            Assert.Equal("Confirmed", l1!.Stage);
            Assert.NotNull(l1.TransactionHash);
        }

        // Restarted on the same directories: the watcher's cursor skips what was taken, so only the new deposit arrives.
        await Deposit(3, 5_000);
        // anvil mines only on transactions: one more block puts the deposit under the watcher's confirmation.
        await token.SendAsync(sender, "approve", [net.Validium, BigInteger.Pow(10, 30)]);
        await using (var node = await StartAsync(options))
        {
            await Until(() => Task.FromResult(node.Exchange.View.Accounts.Count == 4), "the deposit made while the node was down", () => HealthTextAsync(node));
            var accounts = node.Exchange.View.Accounts;
            Assert.Equal(5_000 * Usd, accounts[3].Summary.Collateral);
            Assert.Equal(PublicKey(3), accounts[3].Key);
            Assert.Equal(4UL, node.Services.GetRequiredService<L1HostedService>().Watcher!.NextOperation);
            var health = await HealthAsync(node);
            Assert.Equal("healthy", Status(health, "poster"));
            Assert.Equal(batches, node.Services.GetRequiredService<PosterHostedService>().Poster!.LastConfirmed);

            // This circuit has no forced-request slots: a forced withdrawal cannot be served, the watcher holds there and health says so.
            await ForcedWithdrawalAsync(validium, sender, 1, 10 * Usd, faucet.Address);
            await token.SendAsync(sender, "approve", [net.Validium, BigInteger.Pow(10, 30)]);
            await Until(async () => Status(await HealthAsync(node), "l1-watcher") == "degraded", "l1-watcher to report the forced request", () => HealthTextAsync(node));
            health = await HealthAsync(node);
            Assert.Contains("forced request #4", (string?)health["components"]!["l1-watcher"]!["reason"]);
            Assert.Contains("no forced-request slots", (string?)health["components"]!["l1-watcher"]!["reason"]);
            Assert.Equal(4UL, node.Services.GetRequiredService<L1HostedService>().Watcher!.NextOperation);
        }
    }

    /// <summary>A forced withdrawal sent to the contract, signed by the account's key over Poseidon(domain, word, amount, forcedNonce, 0).</summary>
    private static async Task ForcedWithdrawalAsync(Contract validium, TransactionSender sender, int account, long amount, EthereumAddress recipient)
    {
        var op = ForcedOp.Withdrawal((ulong)account, PublicKey(account), (ulong)amount, new BigInteger(recipient.ToBytes(), isUnsigned: true, isBigEndian: true));
        var domain = (BigInteger)(await validium.CallSingleAsync("domain"))!;
        var nonce = (BigInteger)(await validium.CallSingleAsync("forcedNonce", (BigInteger)account))!;
        var sig = EdDsaPoseidon.Sign(PrivateKey(account), Poseidon.Hash([Fr.FromBigInteger(domain), op.Word, op.C, Fr.FromBigInteger(nonce), Fr.Zero]));
        await validium.SendAsync(sender, "forcedWithdrawal", [(BigInteger)account, op.A.ToBigInteger(), op.B.ToBigInteger(), (BigInteger)amount, recipient,
            new object?[] { sig.R8.X.ToBigInteger(), sig.R8.Y.ToBigInteger(), sig.S }]);
    }

    /// <summary>A forced trade sent to the contract, both keys signing Poseidon(domain, word, signed(size), price, nonceA + nonceB·2^64).</summary>
    private static async Task ForcedTradeAsync(Contract validium, TransactionSender sender, int a, int b, long size, ulong price)
    {
        var op = ForcedOp.Trade((ulong)a, (ulong)b, 0, size, price, PublicKey(a), PublicKey(b));
        var domain = (BigInteger)(await validium.CallSingleAsync("domain"))!;
        var nonceA = (BigInteger)(await validium.CallSingleAsync("forcedNonce", (BigInteger)a))!;
        var nonceB = (BigInteger)(await validium.CallSingleAsync("forcedNonce", (BigInteger)b))!;
        var message = Poseidon.Hash([Fr.FromBigInteger(domain), op.Word, op.B, op.C, Fr.FromBigInteger(nonceA + (nonceB << 64))]);
        static object?[] Sig(EdDsaSignature s) => [s.R8.X.ToBigInteger(), s.R8.Y.ToBigInteger(), s.S];
        object?[] trade = [(BigInteger)a, (BigInteger)b, BigInteger.Zero, (BigInteger)size, (BigInteger)price,
            PublicKey(a).X.ToBigInteger(), PublicKey(a).Y.ToBigInteger(), PublicKey(b).X.ToBigInteger(), PublicKey(b).Y.ToBigInteger()];
        await validium.SendAsync(sender, "forcedTrade", [trade, Sig(EdDsaPoseidon.Sign(PrivateKey(a), message)), Sig(EdDsaPoseidon.Sign(PrivateKey(b), message))]);
    }

    [SkippableFact]
    public async Task Forced_requests_made_on_L1_are_consumed_by_proven_batches_the_executed_withdrawal_paid_the_trade_booked_so_the_contract_cannot_be_frozen()
    {
        Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);
        await using var net = await DevNetwork.UpAsync(DevNet(new BatchShape(3, 0, 0, Forced: 2)));
        var m = net.Manifest;
        using var funded = await FaucetAsync(net);
        var (rpc, eth, faucet, sender, token, validium) = funded;
        async Task Deposit(int who, long usd) =>
            await validium.SendAsync(sender, "deposit", [(BigInteger)(usd * Usd), PublicKey(who).X.ToBigInteger(), PublicKey(who).Y.ToBigInteger()]);
        async Task<ulong> Processed() => (ulong)(BigInteger)(await validium.CallSingleAsync("processedOps"))!;

        // Queued before any oracle round: deposits 0..2, account 1 taking 1,000 of its 100,000, account 2 asking for 5,000
        // of its 1,000, then a deposit for account 3.
        await Deposit(0, 1);
        await Deposit(1, 100_000);
        await Deposit(2, 1_000);
        var recipient = faucet.Address;
        await ForcedWithdrawalAsync(validium, sender, 1, 1_000 * Usd, recipient);
        await ForcedWithdrawalAsync(validium, sender, 2, 5_000 * Usd, recipient);
        await Deposit(3, 5);
        await token.SendAsync(sender, "approve", [net.Validium, BigInteger.Pow(10, 30)]);

        await using var node = await StartAsync(Node(net.ManifestPath));
        // No position exists before a round, so no price enters a withdrawal's decision: all six are taken at once.
        await Until(() => Task.FromResult(node.Exchange.View.LastL1Operation == 5), "the six L1 operations", () => HealthTextAsync(node));
        Assert.Equal(99_000 * Usd, node.Exchange.View.Accounts[1].Summary.Collateral);

        // Their batches wait for the first round (a batch is proven against one).
        var round = await net.Feeder.PublishNextAsync();
        await token.SendAsync(sender, "approve", [net.Validium, BigInteger.Pow(10, 30)]);
        await Until(() => Task.FromResult(node.Exchange.View.LastOracleRound == 1), "the first oracle round", () => HealthTextAsync(node));
        var hosted = node.Services.GetRequiredService<ExchangeHostedService>();
        await node.Exchange.WaitFedAsync(node.Exchange.LastApplied);
        await hosted.Pipeline!.FlushAsync();

        // Batch 1: the three deposits; batch 2: the two forced requests (an operation after them starts batch 3); batch 3: the last deposit.
        await Until(async () => await Processed() == 6, "L1 to accept the batches consuming all six L1 operations", () => HealthTextAsync(node));
        Assert.Equal(3UL, (ulong)(BigInteger)(await validium.CallSingleAsync("batchNumber"))!);
        Assert.Equal(new BigInteger(1_000 * Usd), await validium.CallSingleAsync("claimable", recipient));
        Assert.Equal(99_000 * Usd, node.Exchange.View.Accounts[1].Summary.Collateral);
        Assert.Equal(1_000 * Usd, node.Exchange.View.Accounts[2].Summary.Collateral);
        Assert.Equal(5 * Usd, node.Exchange.View.Accounts[3].Summary.Collateral);
        var forcedBatch = hosted.Store!.Read(2);
        Assert.Equal((0, 2), (forcedBatch.Deposits.Length, forcedBatch.Forced.Length));
        Assert.Equal([true, false], BatchData.Decode(hosted.Store.Config, [.. forcedBatch.DataWords]).Forced.Select(f => f.Executed));
        using (var http = new HttpClient { BaseAddress = node.Urls[0] })
            Assert.Equal(2, (await new Validium.Node.Client.TraderClient(http, 1, PrivateKey(1)).GetBatchAsync(2)).Summary.Forced);
        Assert.Equal("healthy", Status(await HealthAsync(node), "l1-watcher"));

        // A forced trade after the round: account 1 buys 10 lots from account 2 at the round's price, both keys signing.
        await ForcedTradeAsync(validium, sender, 1, 2, 10, round.Prices[0]);
        await token.SendAsync(sender, "approve", [net.Validium, BigInteger.Pow(10, 30)]);
        await Until(() => Task.FromResult(node.Exchange.View.LastL1Operation == 6), "the forced trade", () => HealthTextAsync(node));
        await node.Exchange.WaitFedAsync(node.Exchange.LastApplied);
        await hosted.Pipeline.FlushAsync();
        await Until(async () => await Processed() == 7, "L1 to accept the batch consuming the forced trade", () => HealthTextAsync(node));
        var lot = m.Instruments[0].Spec.LotSize;
        Assert.Equal(10 * lot, Assert.Single(node.Exchange.View.Accounts[1].Positions).Quantity);
        Assert.Equal(-10 * lot, Assert.Single(node.Exchange.View.Accounts[2].Positions).Quantity);
        Assert.True(Assert.Single(BatchData.Decode(hosted.Store.Config, [.. hosted.Store.Read(4).DataWords]).Forced).Executed);

        // Past every deadline nothing is left unconsumed, so no one can freeze the contract.
        await rpc.CallAsync("evm_increaseTime", [m.ForcedDelaySeconds + 100]);
        await rpc.CallAsync("evm_mine");
        await Assert.ThrowsAsync<ContractRevertException>(() => validium.CallAsync("freeze", [], from: faucet.Address));
    }

    [SkippableFact]
    public async Task With_the_committee_down_the_node_holds_its_batch_and_alerts_with_the_fallback_off_and_posts_the_data_on_L1_with_it_on()
    {
        Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);
        await using var net = await DevNetwork.UpAsync(DevNet());
        var m = net.Manifest;
        using var funded = await FaucetAsync(net);
        var (rpc, eth, faucet, sender, token, validium) = funded;
        var round = await net.Feeder.PublishNextAsync();
        foreach (var (who, usd) in new[] { (0, 1L), (1, 100_000L), (2, 100_000L) })
            await validium.SendAsync(sender, "deposit", [(BigInteger)(usd * Usd), PublicKey(who).X.ToBigInteger(), PublicKey(who).Y.ToBigInteger()]);
        // anvil mines only on transactions: one more block puts the last deposit under the watcher's confirmation.
        await token.SendAsync(sender, "approve", [net.Validium, BigInteger.Pow(10, 30)]);
        var btc = m.Instruments[0].Spec;
        long price = (long)(round.Prices[0] / (ulong)btc.CashPerTickLot) * btc.TickSize;
        for (int i = 0; i < net.MemberUrls.Count; i++) await net.StopMemberAsync(i);
        async Task<ulong> BatchNumber() => (ulong)(BigInteger)(await validium.CallSingleAsync("batchNumber"))!;

        var off = Node(net.ManifestPath, ("Poster:AttestationTimeoutMs", "1000"), ("Committee:TimeoutMs", "500"));
        Assert.False(off.Poster.OnChainDataFallback);
        ulong held, last;
        await using (var node = await StartAsync(off))
        {
            await Until(() => Task.FromResult(node.Exchange.View.Accounts.Count == 3 && node.Exchange.View.Instruments[0].IndexPrice == price), "the three deposits and the oracle round",
                () => HealthTextAsync(node));
            var sell = Command.Place(0, 1, 1, 0, Side.Sell, OrderType.Limit, price, btc.LotSize, 1);
            var buy = Command.Place(0, 2, 1, 0, Side.Buy, OrderType.Limit, price, btc.LotSize, 1);
            Accepted(await node.Exchange.PlaceAsync(sell, OrderSigning.Sign(sell, PrivateKey(1))));
            Accepted(await node.Exchange.PlaceAsync(buy, OrderSigning.Sign(buy, PrivateKey(2))));
            var hosted = node.Services.GetRequiredService<ExchangeHostedService>();
            // The engine acknowledges a command before the batcher has taken it: flush only what it has been fed.
            await node.Exchange.WaitFedAsync(node.Exchange.LastApplied);
            await hosted.Pipeline!.FlushAsync();
            held = hosted.Store!.List().Min();
            last = hosted.Store!.List().Max();
            await Until(async () => Status(await HealthAsync(node), "poster") == "degraded" && node.Services.GetRequiredService<PosterHostedService>().Poster!.AvailabilityAlert is not null,
                "the poster to hold the batch for want of availability", () => HealthTextAsync(node));
            var reason = (string)(await HealthAsync(node))["components"]!["poster"]!["reason"]!;
            Assert.StartsWith($"committee below threshold for batch {held} since ", reason);
            Assert.EndsWith("; on-chain data fallback disabled", reason);
            Assert.Equal(reason, node.Services.GetRequiredService<IDashboardL1Status>().Alert);
            using var http = new HttpClient { BaseAddress = node.Urls[0] };
            var metrics = await http.GetStringAsync(NodeHost.MetricsPath);
            Assert.Matches(@"(?m)^validium_poster_availability_held\{[^}]*\} 1( |$)", metrics);
            Assert.Equal(0UL, await BatchNumber());
        }

        // The same node, the fallback turned on: the held batch, past its timeout, goes on L1 with its data.
        await using (var node = await StartAsync(Node(net.ManifestPath, ("Poster:AttestationTimeoutMs", "1000"), ("Committee:TimeoutMs", "500"),
            ("Poster:OnChainDataFallback", "true"))))
        {
            var poster = node.Services.GetRequiredService<PosterHostedService>().Poster!;
            await Until(() => Task.FromResult(poster.LastConfirmed == last), $"batches {held}..{last} to be confirmed with their data on L1", () => HealthTextAsync(node));
            Assert.Equal(last, await BatchNumber());
            var store = node.Services.GetRequiredService<ExchangeHostedService>().Store!;
            for (ulong n = held; n <= last; n++)
            {
                var s = poster.Status(n)!;
                Assert.Equal(Settlement.DataAvailabilityPath.OnChain, s.DataPath);
                Assert.Equal("on-chain", node.Services.GetRequiredService<IDashboardL1Status>().Get(n)!.DataPath);
                var b = store.Read(n);
                output.WriteLine($"fallback batch {n} (shape {DevNet().Circuit!.Shape}): {b.Deposits.Length} deposits, {b.Trades.Length} trades, {b.DataWords.Length} data words; " +
                    $"{s.GasUsed:N0} gas, {s.CalldataBytes:N0} calldata bytes");
            }
            Assert.Contains(Enumerable.Range((int)held, (int)(last - held + 1)), n => store.Read((ulong)n).Trades.Length == 1);
            Assert.Equal("healthy", Status(await HealthAsync(node), "poster"));
        }
    }

    [Fact]
    public void A_missing_or_damaged_manifest_is_a_clear_configuration_error()
    {
        var missing = Path.Combine(dir.FullName, "nowhere", "devnet.json");
        var e = Assert.Throws<NodeConfigurationException>(() => Node(missing));
        Assert.Contains("Devnet:Manifest", e.Message);
        Assert.Contains("does not exist", e.Message);

        var damaged = Path.Combine(dir.FullName, "devnet.json");
        File.WriteAllText(damaged, "{ \"version\": ");
        e = Assert.Throws<NodeConfigurationException>(() => Node(damaged));
        Assert.Contains("not a devnet manifest", e.Message);
    }

    [Fact]
    public void L1_is_off_by_default_and_turning_it_on_without_contracts_or_key_names_each_missing_setting()
    {
        var settings = new Dictionary<string, string?> { ["DataDir"] = Path.Combine(dir.FullName, "node") };
        Assert.False(NodeConfiguration.Load(null, settings, new Hashtable()).L1.Enabled);

        settings["L1:Enabled"] = "true";
        settings["L1:OperatorKeyFile"] = Path.Combine(dir.FullName, "no-such-keystore.json");
        var e = Assert.Throws<NodeConfigurationException>(() => NodeConfiguration.Load(null, settings, new Hashtable()));
        Assert.Contains(e.Problems, p => p.StartsWith("L1:Validium: is missing", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("L1:Oracle: is missing", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("L1:OperatorPasswordFile: is missing", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("L1:OperatorKeyFile: ", StringComparison.Ordinal) && p.EndsWith("does not exist", StringComparison.Ordinal));

        settings["L1:Enabled"] = "maybe";
        e = Assert.Throws<NodeConfigurationException>(() => NodeConfiguration.Load(null, settings, new Hashtable()));
        Assert.Contains("L1:Enabled: 'maybe' is not true or false", e.Problems);
    }

    [Fact]
    public void A_missing_or_wrong_operator_key_is_named()
    {
        var keyFile = Path.Combine(dir.FullName, "operator.json");
        var passwordFile = Path.Combine(dir.FullName, "password");
        File.WriteAllText(passwordFile, "right\n");
        var l1 = new L1Options(new Uri("http://127.0.0.1:1"), 31337, null, null, keyFile, TimeSpan.FromSeconds(1)) { OperatorPasswordFile = passwordFile };
        var e = Assert.Throws<InvalidOperationException>(() => PosterHostedService.OpenOperatorKey(l1));
        Assert.Contains("L1:OperatorKeyFile", e.Message);

        File.WriteAllText(keyFile, Keystore.Encrypt(Secp256k1PrivateKey.Generate(), "other", ScryptParameters.Light));
        e = Assert.Throws<InvalidOperationException>(() => PosterHostedService.OpenOperatorKey(l1));
        Assert.Contains("L1:OperatorKeyFile", e.Message);
        File.WriteAllText(passwordFile, "other\n");
        Assert.NotNull(PosterHostedService.OpenOperatorKey(l1));
        e = Assert.Throws<InvalidOperationException>(() => PosterHostedService.OpenOperatorKey(l1 with { OperatorPasswordFile = null }));
        Assert.Contains("L1:OperatorPasswordFile", e.Message);
    }
}
