using System.Numerics;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;

namespace Validium.L1.Tests;

/// <summary>Deploy, call, send and decode against the test contract on anvil.</summary>
public class ContractTests
{
    private static async Task<(TestChain Chain, Contract Probe, Transactions.TransactionSender Sender)> Deploy()
    {
        var (abi, _, bytecode) = JsTools.Contract("Probe");
        var chain = TestChain.Start();
        var sender = await chain.SenderAsync();
        var probe = await Contract.DeployAsync(sender, abi, bytecode, [(BigInteger)7]);
        return (chain, probe, sender);
    }

    [SkippableFact]
    public async Task Deploys_calls_sends_and_decodes_the_events_of_a_contract()
    {
        var (chain, probe, sender) = await Deploy();
        using var _ = chain;
        Assert.NotEmpty(await chain.Eth.GetCodeAsync(probe.Address));
        Assert.Equal((BigInteger)7, await probe.CallSingleAsync("count"));
        Assert.Equal(sender.Address, await probe.CallSingleAsync("owner"));

        var receipt = await probe.SendAsync(sender, "bump", ["first"]);
        Assert.True(receipt.Succeeded);
        var counted = Assert.Single(probe.DecodeLogs(receipt));
        Assert.Equal($"Counted(by={sender.Address}, count=8, label=\"first\")", counted.ToString());
        Assert.Equal((BigInteger)8, await probe.CallSingleAsync("count"));

        var order = ContractAbiTests.Order(3);
        var echoed = await probe.CallAsync("echo", [order]);
        Assert.Equal(JsTools.ToJson(order)!.ToJsonString(), JsTools.ToJson(echoed[0])!.ToJsonString());
        Assert.Equal((BigInteger)3, echoed[1]);

        var key = Keccak256.Hash("k"u8);
        receipt = await probe.SendAsync(sender, "store", [key, new byte[] { 9, 8, 7 }, order]);
        var stored = Assert.Single(probe.DecodeLogs(receipt));
        Assert.Equal(key, stored["key"]);
        Assert.Equal(JsTools.ToJson(order)!.ToJsonString(), JsTools.ToJson(stored["order"])!.ToJsonString());
        Assert.Equal(new byte[] { 9, 8, 7 }, await probe.CallSingleAsync("blobs", key));

        receipt = await probe.SendAsync(sender, "tag", ["t", new object[] { 1, 2, 3 }, false]);
        var events = probe.DecodeLogs(receipt);
        Assert.Equal("Tagged", Assert.Single(events).Event.Name);
        // The anonymous event has no topic 0 to recognise it by: decode it explicitly.
        var anonLog = receipt.Logs.Single(l => l.Topics.Count == 1);
        Assert.Equal("Anon(a=1, b=2)", probe.Abi.Event("Anon").Decode(anonLog.Topics, anonLog.Data).ToString());

        var logs = await chain.Eth.GetLogsAsync(new LogFilter(0, await chain.Eth.BlockNumberAsync(), [probe.Address], [[probe.Abi.Event("Counted").Topic0]]));
        var log = Assert.Single(logs);
        Assert.Equal("first", probe.Abi.TryDecodeLog(log.Topics, log.Data)!["label"]);
    }

    [SkippableFact]
    public async Task Reverts_come_back_decoded_from_calls_estimates_and_failed_receipts()
    {
        var (chain, probe, sender) = await Deploy();
        using var _ = chain;
        var stranger = TestChain.Key(1).Address;

        var e = await Assert.ThrowsAsync<ContractRevertException>(() => probe.CallAsync("onlyOwner", [(BigInteger)5], from: stranger));
        Assert.Equal($"onlyOwner(uint256) on {probe.Address} reverted with Unauthorized(caller={stranger}, needed=5)", e.Message);
        Assert.Equal(stranger, e.Reason.Arguments[0]);

        e = await Assert.ThrowsAsync<ContractRevertException>(() => probe.CallAsync("requireThat", [false]));
        Assert.Equal("requirement failed: ok is false", e.Reason.Message);
        e = await Assert.ThrowsAsync<ContractRevertException>(() => probe.CallAsync("divide", [1, 0]));
        Assert.EndsWith("panicked: 0x12 division or modulo by zero", e.Message);
        e = await Assert.ThrowsAsync<ContractRevertException>(() => probe.CallAsync("fail", []));
        Assert.EndsWith("reverted with Empty()", e.Message);
        e = await Assert.ThrowsAsync<ContractRevertException>(() => probe.CallAsync("rejectOrder", [ContractAbiTests.Order(1)]));
        Assert.Equal("BadOrder", e.Reason.Name);
        Assert.Equal("size too large", e.Reason.Arguments[1]);
        var bare = await Assert.ThrowsAsync<ContractRevertException>(() => probe.CallAsync("bare", []));
        Assert.EndsWith("reverted without data", bare.Message);

        // Gas estimation runs the call first: the revert surfaces before anything is signed, and the nonce is not spent.
        ulong nonceBefore = await chain.Eth.GetTransactionCountAsync(sender.Address, "pending");
        e = await Assert.ThrowsAsync<ContractRevertException>(() => probe.SendAsync(sender, "failingWrite", [(BigInteger)101]));
        Assert.EndsWith($"reverted with Unauthorized(caller={sender.Address}, needed=101)", e.Message);
        Assert.Equal(nonceBefore, await chain.Eth.GetTransactionCountAsync(sender.Address, "pending"));

        // With a gas limit given, the transaction is mined and fails: the receipt says so, the replay says why.
        var failed = await Assert.ThrowsAsync<TransactionFailedException>(() => probe.SendAsync(sender, "failingWrite", [(BigInteger)102], gasLimit: 100_000));
        Assert.False(failed.Receipt.Succeeded);
        Assert.Equal("Unauthorized", failed.Reason?.Name);
        Assert.Equal((BigInteger)102, failed.Reason!.Arguments[1]);
        Assert.Equal((BigInteger)7, await probe.CallSingleAsync("count"));

        // The next transaction takes the following nonce: nothing was skipped or reused.
        var ok = await probe.SendAsync(sender, "failingWrite", [(BigInteger)50]);
        Assert.True(ok.Succeeded);
        Assert.Equal(nonceBefore + 2, await chain.Eth.GetTransactionCountAsync(sender.Address, "latest"));
    }

    [SkippableFact]
    public async Task Calling_an_address_without_code_says_so()
    {
        var (abi, _, _) = JsTools.Contract("Probe");
        using var chain = TestChain.Start();
        var nobody = new Contract(chain.Eth, abi, EthereumAddress.Parse("0x000000000000000000000000000000000000dEaD"));
        Assert.Contains("no contract at", (await Assert.ThrowsAsync<InvalidOperationException>(() => nobody.CallAsync("count", []))).Message);
    }
}
