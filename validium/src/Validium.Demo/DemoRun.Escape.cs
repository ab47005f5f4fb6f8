using System.Numerics;
using Validium.Accel;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.DevNet;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.Node;
using Validium.Settlement;
using Validium.State;

namespace Validium.Demo;

public sealed partial class DemoRun
{
    /// <summary>
    /// The escape hatch: the operator stops; a trader's forced withdrawal on L1 goes unserved past its deadline; anyone
    /// freezes the contract; the state is recovered from L1 and the committee's data, and every account of the last
    /// proven state escape-withdraws with its Merkle proof. Each payout must equal collateral + Σ(size·price −
    /// openNotional) at the last proven batch's oracle prices, computed here from the recovered leaves.
    /// </summary>
    private async Task<IReadOnlyList<EscapeFigures>> EscapeAsync(DevNetwork net, EthClient eth, Contract validium, NodeHost node, DemoTrader.Set traders, CancellationToken ct)
    {
        var m = net.Manifest;
        await node.StopAsync(ct).ConfigureAwait(false);
        report.Line("operator stopped: no more batches");
        var nonceDir = Path.Combine(Dir, "l1-nonces");
        var forcer = traders.Takers[0];
        var forcerSender = await L1Funding.SenderAsync(nonceDir, eth, forcer.L1Key, ct).ConfigureAwait(false);
        ulong amount = (ulong)(100 * Usd);
        var op = ForcedOp.Withdrawal((ulong)forcer.Account, forcer.L2Public, amount, Address(forcer.L1Key.Address));
        var domain = (BigInteger)(await validium.CallSingleAsync("domain").ConfigureAwait(false))!;
        var nonce = (BigInteger)(await validium.CallSingleAsync("forcedNonce", (BigInteger)forcer.Account).ConfigureAwait(false))!;
        var sig = EdDsaPoseidon.Sign(forcer.L2Private, Poseidon.Hash([Fr.FromBigInteger(domain), op.Word, op.C, Fr.FromBigInteger(nonce), Fr.Zero]));
        await Succeeded("forcedWithdrawal", validium.SendAsync(forcerSender, "forcedWithdrawal", [(BigInteger)forcer.Account, op.A.ToBigInteger(), op.B.ToBigInteger(),
            (BigInteger)amount, forcer.L1Key.Address, Signature(sig)], ct: ct)).ConfigureAwait(false);
        report.Line($"{forcer.Name} asked L1 for a forced withdrawal of {amount / (ulong)Usd} USD; the operator has {m.ForcedDelaySeconds} s to serve it");

        using (var rpc = new JsonRpcClient(net.Rpc))
        {
            await rpc.CallAsync("evm_increaseTime", [m.ForcedDelaySeconds + 60], ct).ConfigureAwait(false);
            await rpc.CallAsync("evm_mine", ct).ConfigureAwait(false);
        }
        var faucet = await L1Funding.SenderAsync(nonceDir, eth, m.OpenKey(m.Traders.Faucet), ct).ConfigureAwait(false);
        await Succeeded("freeze", validium.SendAsync(faucet, "freeze", [], ct: ct)).ConfigureAwait(false);
        report.Line($"the deadline passed unserved (anvil's clock moved {m.ForcedDelaySeconds + 60} s): the contract is frozen");

        var history = await L1History.ReadAsync(eth, net.Validium, m.Contracts.DeploymentBlock, ct: ct).ConfigureAwait(false);
        var config = await L1History.ReadCircuitConfigAsync(eth, net.Validium, ct).ConfigureAwait(false);
        var recovered = Path.Combine(Dir, "escape", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        using var dac = new DacReader(net.MemberUrls);
        var accel = new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });
        var (snapshot, batches) = await StateRecovery.RecoverAsync(history, new BatchDataSource(eth, net.Validium, dac), config, recovered, accel, ct: ct).ConfigureAwait(false);
        report.Line($"state recovered from L1 and the committee's data: {batches.Count} batch(es) replayed, root {snapshot.Root} = L1's, {snapshot.Mirror.Accounts.Count} account(s)");

        var round = history.OracleRounds[snapshot.OracleRound];
        await Succeeded("setEscapePrices", validium.SendAsync(faucet, "setEscapePrices", [(BigInteger)round.Timestamp, round.Prices.Select(p => (object?)(BigInteger)p).ToArray()], ct: ct))
            .ConfigureAwait(false);
        var byAccount = traders.All.Where(t => t.Account >= 0).ToDictionary(t => (ulong)t.Account);
        var results = new List<EscapeFigures>();
        var funding = new L1Funding(eth, m);
        using var store = StateStore.Open(Path.Combine(recovered, StateRecovery.StateDirectory), accel);
        foreach (var (account, data) in snapshot.Mirror.Accounts.OrderBy(a => a.Key))
        {
            if (!byAccount.TryGetValue(account, out var t))
                throw new InvalidOperationException($"account {account} of the proven state is not one of this run's traders (a devnet reused with another --seed): its key is not here to escape with");
            BigInteger expected = data.Collateral;
            for (int i = 0; i < data.Positions.Length; i++)
                expected += (BigInteger)data.Positions[i].Size * round.Prices[i] - data.Positions[i].OpenNotional;
            if (expected < 0) expected = 0;
            var proof = EscapeProof.Build(store, snapshot, account);
            var sender = await L1Funding.SenderAsync(nonceDir, eth, t.L1Key, ct).ConfigureAwait(false);
            var recipient = t.L1Key.Address;
            var word = 4 + ((BigInteger)account << 8) + (Address(recipient) << 72);
            var escapeSig = EdDsaPoseidon.Sign(t.L2Private, Poseidon.Hash([Fr.FromBigInteger(domain), Fr.FromBigInteger(word), Fr.Zero, Fr.Zero, Fr.Zero]));
            var before = await funding.TokenBalanceAsync(recipient).ConfigureAwait(false);
            await Succeeded($"escapeWithdraw of account {account}", validium.SendAsync(sender, "escapeWithdraw", [(BigInteger)account, Leaf(proof), Positions(proof),
                Siblings(proof), recipient, Signature(escapeSig)], ct: ct)).ConfigureAwait(false);
            var paid = await funding.TokenBalanceAsync(recipient).ConfigureAwait(false) - before;
            results.Add(new EscapeFigures((int)account, Text(expected), Text(paid), paid == expected));
            report.Line($"  account {account,3} ({t.Name,-14}) proven value {Text(expected),18}  paid on L1 {Text(paid),18}  {(paid == expected ? "match" : "MISMATCH")}");
        }
        if (results.Count == 0) throw new InvalidOperationException("the proven state has no account to escape");
        if (results.FirstOrDefault(r => !r.Matches) is { } wrong)
            throw new InvalidOperationException($"account {wrong.Account} was paid {wrong.Paid}, but its last proven value is {wrong.Expected}");
        return results;
    }

    private static BigInteger Address(EthereumAddress a) => new(a.ToBytes(), isUnsigned: true, isBigEndian: true);

    private static object?[] Signature(EdDsaSignature s) => [s.R8.X.ToBigInteger(), s.R8.Y.ToBigInteger(), s.S];

    private static object?[] Leaf(System.Text.Json.Nodes.JsonObject proof)
    {
        var leaf = proof["leaf"]!;
        return [BigInteger.Parse((string)leaf["ax"]!), BigInteger.Parse((string)leaf["ay"]!), (BigInteger)(ulong)leaf["nonce"]!, (BigInteger)(long)leaf["collateral"]!];
    }

    private static object?[] Positions(System.Text.Json.Nodes.JsonObject proof) =>
        [.. proof["positions"]!.AsArray().Select(p => (object?)new object?[]
        {
            (BigInteger)(int)p!["instrument"]!, (BigInteger)(long)p["size"]!, (BigInteger)(long)p["openNotional"]!, (BigInteger)(long)p["fundingIndex"]!,
        })];

    private static object?[] Siblings(System.Text.Json.Nodes.JsonObject proof) =>
        [.. proof["siblings"]!.AsArray().Select(s => (object?)BigInteger.Parse((string)s!))];

    private static async Task Succeeded(string what, Task<TransactionReceipt> send)
    {
        var receipt = await send.ConfigureAwait(false);
        if (!receipt.Succeeded) throw new InvalidOperationException($"{what} reverted (transaction {Convert.ToHexString(receipt.TransactionHash)})");
    }
}
