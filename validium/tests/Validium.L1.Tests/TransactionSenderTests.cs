using System.Numerics;
using System.Text.Json.Nodes;
using Validium.Crypto;
using Validium.L1.Rpc;
using Validium.L1.Transactions;

namespace Validium.L1.Tests;

/// <summary>Submission under failures: lost answers, restarts with stale state, stuck transactions, confirmation depth.</summary>
public class TransactionSenderTests
{
    private static readonly EthereumAddress Recipient = EthereumAddress.Parse("0x00000000000000000000000000000000000000c0");

    private static TransactionRequest Transfer(BigInteger wei) => new(Recipient, [], wei, 21_000);

    [SkippableFact]
    public async Task A_send_whose_answer_is_lost_is_retried_and_lands_exactly_once()
    {
        using var chain = TestChain.Start();
        using var proxy = new FaultProxy(chain.Anvil.Port);
        using var rpc = new JsonRpcClient(proxy.Url, new JsonRpcClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(20) });
        var sender = await chain.SenderAsync(eth: new EthClient(rpc));

        proxy.DropResponseOnce("eth_sendRawTransaction");
        var sent = await sender.SendAsync(Transfer(1234));
        var receipt = await sender.WaitForReceiptAsync(sent);

        Assert.Equal(2, proxy.Matched);              // the first send reached the node, its answer was cut, the retry went through
        Assert.True(rpc.Retries >= 1);
        Assert.True(receipt.Succeeded);
        Assert.Equal(sent.Hash, receipt.TransactionHash);
        Assert.Equal(1UL, await chain.Eth.GetTransactionCountAsync(sender.Address, "latest"));
        Assert.Equal((BigInteger)1234, await chain.Eth.GetBalanceAsync(Recipient));
        Assert.Empty((await NonceManager.OpenAsync(Path.Combine(chain.Dir.FullName, "nonces-0.json"), chain.Eth, sender.Address)).Pending);
    }

    [SkippableFact]
    public async Task A_state_file_behind_the_chain_continues_after_the_chains_nonce()
    {
        using var chain = TestChain.Start();
        var file = Path.Combine(chain.Dir.FullName, "stale.json");
        var first = await chain.SenderAsync(stateFile: file);
        await first.SendAndWaitAsync(Transfer(1));
        // The same key used elsewhere (another file): the first file now lags the chain by two nonces.
        var other = await chain.SenderAsync(stateFile: Path.Combine(chain.Dir.FullName, "other.json"));
        await other.SendAndWaitAsync(Transfer(2));
        await other.SendAndWaitAsync(Transfer(3));
        Assert.Equal(1, (int)JsonNode.Parse(File.ReadAllText(file))!["nextNonce"]!.GetValue<ulong>());

        var restarted = await chain.SenderAsync(stateFile: file);
        var receipt = await restarted.SendAndWaitAsync(Transfer(4));
        Assert.True(receipt.Succeeded);
        Assert.Equal(4UL, await chain.Eth.GetTransactionCountAsync(restarted.Address, "latest"));
        Assert.Equal((BigInteger)10, await chain.Eth.GetBalanceAsync(Recipient));
    }

    [SkippableFact]
    public async Task After_a_restart_recorded_transactions_the_node_lost_are_resent_and_gaps_filled()
    {
        using var chain = TestChain.Start();
        await chain.Call("evm_setAutomine", false);
        var file = Path.Combine(chain.Dir.FullName, "nonces.json");
        var sender = await chain.SenderAsync(stateFile: file);
        var sent = new List<SentTransaction>();
        for (int i = 0; i < 3; i++) sent.Add(await sender.SendAsync(Transfer(100 + i)));

        // The node restarts with an empty mempool, and our record of nonce 0 is lost too (say, an older backup of the file).
        await chain.Call("anvil_dropAllTransactions");
        Assert.Equal(0UL, await chain.Eth.GetTransactionCountAsync(sender.Address, "pending"));
        var state = JsonNode.Parse(File.ReadAllText(file))!;
        state["pending"]!.AsArray().RemoveAt(0);
        File.WriteAllText(file, state.ToJsonString());

        var restarted = await chain.SenderAsync(stateFile: file);
        var nonces = await NonceManager.OpenAsync(file, chain.Eth, restarted.Address);
        Assert.Equal([1UL, 2UL], nonces.Pending.Select(p => p.Nonce));
        Assert.Equal(0UL, nonces.NextNonce);              // the gap at 0 is handed out first, so 1 and 2 can be mined
        var filler = await restarted.SendAsync(Transfer(1000));
        Assert.Equal(0UL, filler.Nonce);
        Assert.Equal(3UL, (await restarted.SendAsync(Transfer(2000))).Nonce);

        await chain.MineAsync();
        Assert.Equal(4UL, await chain.Eth.GetTransactionCountAsync(restarted.Address, "latest"));
        Assert.Equal((BigInteger)(1000 + 101 + 102 + 2000), await chain.Eth.GetBalanceAsync(Recipient));
        foreach (var s in sent.Skip(1)) Assert.NotNull(await chain.Eth.GetTransactionReceiptAsync(s.Hash));
        Assert.Null(await chain.Eth.GetTransactionReceiptAsync(sent[0].Hash));
    }

    [SkippableFact]
    public async Task A_state_file_ahead_of_the_chain_with_nothing_recorded_falls_back_to_the_chain()
    {
        using var chain = TestChain.Start();
        var file = Path.Combine(chain.Dir.FullName, "ahead.json");
        var sender = await chain.SenderAsync(stateFile: file);
        await sender.SendAndWaitAsync(Transfer(1));
        var state = JsonNode.Parse(File.ReadAllText(file))!;
        state["nextNonce"] = 7;
        File.WriteAllText(file, state.ToJsonString());

        var restarted = await chain.SenderAsync(stateFile: file);
        var receipt = await restarted.SendAndWaitAsync(Transfer(1));
        Assert.True(receipt.Succeeded);
        Assert.Equal(2UL, await chain.Eth.GetTransactionCountAsync(restarted.Address, "latest"));
    }

    [SkippableFact]
    public async Task A_stuck_transaction_is_replaced_with_fees_raised_by_at_least_an_eighth()
    {
        using var chain = TestChain.Start();
        await chain.Call("evm_setAutomine", false);
        var sender = await chain.SenderAsync(options: TestChain.FastOptions with { ReplaceAfter = TimeSpan.FromMilliseconds(400) });
        var sent = await sender.SendAsync(Transfer(77));
        var original = await chain.Call("eth_getTransactionByHash", Hex.Encode(sent.Hash));
        var first = (MaxFee: Fee(original, "maxFeePerGas"), Prio: Fee(original, "maxPriorityFeePerGas"));
        var wait = sender.WaitForReceiptAsync(sent);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (sent.Hashes.Count < 3 && DateTime.UtcNow < deadline && !wait.IsCompleted) await Task.Delay(50);
        Assert.True(sent.Hashes.Count >= 3, $"expected two replacements, saw {sent.Hashes.Count - 1}");
        await chain.MineAsync();
        var receipt = await wait.WaitAsync(TimeSpan.FromSeconds(30));

        var hashes = sent.Hashes;
        Assert.Contains(hashes, h => h.AsSpan().SequenceEqual(receipt.TransactionHash));
        Assert.Equal(1UL, await chain.Eth.GetTransactionCountAsync(sender.Address, "latest"));
        Assert.Equal((BigInteger)77, await chain.Eth.GetBalanceAsync(Recipient));
        Assert.Equal(1, hashes.Count(h => chain.Eth.GetTransactionReceiptAsync(h).Result is not null));

        // The node replaced each version by the next (only the last was mined), and each raised both fees by >= 12.5 %.
        Assert.Equal(Hex.Encode(hashes[^1]), Hex.Encode(receipt.TransactionHash));
        var mined = await chain.Call("eth_getTransactionByHash", Hex.Encode(receipt.TransactionHash));
        int k = hashes.Count - 1;
        var factor = BigInteger.Pow(1125, k);
        var scale = BigInteger.Pow(1000, k);
        Assert.True(Fee(mined, "maxPriorityFeePerGas") * scale >= first.Prio * factor, $"priority fee {Fee(mined, "maxPriorityFeePerGas")} after {k} bumps from {first.Prio}");
        Assert.True(Fee(mined, "maxFeePerGas") * scale >= first.MaxFee * factor, $"max fee {Fee(mined, "maxFeePerGas")} after {k} bumps from {first.MaxFee}");
    }

    private static BigInteger Fee(System.Text.Json.JsonElement tx, string field) => Hex.DecodeQuantity(tx.GetProperty(field).GetString()!);

    [SkippableFact]
    public async Task A_receipt_is_returned_only_under_the_configured_confirmations()
    {
        using var chain = TestChain.Start();
        var sender = await chain.SenderAsync(options: TestChain.FastOptions with { Confirmations = 3 });
        var sent = await sender.SendAsync(Transfer(5));
        var wait = sender.WaitForReceiptAsync(sent);
        await Task.Delay(500);
        Assert.False(wait.IsCompleted, "returned with 1 of 3 confirmations");
        await chain.MineAsync();
        await Task.Delay(300);
        Assert.False(wait.IsCompleted, "returned with 2 of 3 confirmations");
        await chain.MineAsync();
        var receipt = await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, receipt.BlockNumber);
        Assert.Equal(3, await chain.Eth.BlockNumberAsync());
    }

    [SkippableFact]
    public async Task A_rejected_transaction_gives_its_nonce_back()
    {
        using var chain = TestChain.Start();
        var sender = await chain.SenderAsync();
        var tooMuch = BigInteger.Parse("1000000000000000000000000", System.Globalization.CultureInfo.InvariantCulture);
        await Assert.ThrowsAsync<TransactionRejectedException>(() => sender.SendAsync(Transfer(tooMuch)));
        var ok = await sender.SendAsync(Transfer(1));
        Assert.Equal(0UL, ok.Nonce);
        Assert.True((await sender.WaitForReceiptAsync(ok)).Succeeded);
    }

    [SkippableFact]
    public async Task A_state_file_of_another_account_or_chain_is_refused()
    {
        using var chain = TestChain.Start();
        var file = Path.Combine(chain.Dir.FullName, "n.json");
        await chain.SenderAsync(keyIndex: 0, stateFile: file);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => NonceManager.OpenAsync(file, chain.Eth, TestChain.Key(1).Address));
        Assert.Contains("one file per account", e.Message);
        File.WriteAllText(file, "{ not json");
        Assert.Contains("not valid JSON", (await Assert.ThrowsAsync<InvalidDataException>(() => NonceManager.OpenAsync(file, chain.Eth, TestChain.Key(0).Address))).Message);
    }
}
