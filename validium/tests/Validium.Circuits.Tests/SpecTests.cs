using System.Numerics;
using System.Text.Json;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Proving.Tests;

namespace Validium.Circuits.Tests;

/// <summary>The hashes the circuit shares with the contract, against circomlibjs following the Solidity (spec-commitments.mjs).</summary>
public class SpecTests
{
    private const string Script = "validium/tests/Validium.Circuits.Tests/spec-commitments.mjs";

    [SkippableFact]
    public void ChainOracleAndWithdrawalsCommitmentsMatchTheContractsFormulas()
    {
        var root = NodeTool.RequireNode("circomlibjs");
        var head = Fr.FromUInt64(987654321);
        var key = EdDsaPoseidon.PrivateToPublic(new byte[32]);
        var depositor = (BigInteger.One << 159) + 12345;
        ulong[] prices = [50_000_000_000, 1, ulong.MaxValue, 3_000_000, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
        var keyB = EdDsaPoseidon.PrivateToPublic(Enumerable.Repeat((byte)7, 32).ToArray());
        var recipient = (BigInteger.One << 160) - 3;
        (BigInteger, ulong)[] withdrawals = [((BigInteger.One << 160) - 1, 5), (77, (ulong)long.MaxValue)];
        var input = JsonSerializer.Serialize(new
        {
            head = head.ToString(), depositor = depositor.ToString(), ax = key.X.ToString(), ay = key.Y.ToString(), amount = "1000000",
            fw = new { account = ulong.MaxValue.ToString(), recipient = recipient.ToString(), amount = long.MaxValue.ToString() },
            ft = new
            {
                a = "5", b = ulong.MaxValue.ToString(), instrument = uint.MaxValue.ToString(), size = long.MinValue.ToString(), price = "123456789",
                axA = key.X.ToString(), ayA = key.Y.ToString(), axB = keyB.X.ToString(), ayB = keyB.Y.ToString(),
            },
            round = "42", timestamp = "1700000000", prices = prices.Select(p => p.ToString()).ToArray(),
            withdrawals = withdrawals.Select(w => new[] { w.Item1.ToString(), w.Item2.ToString() }).ToArray(),
        });
        var (code, output, err) = NodeTool.Run(root, TimeSpan.FromMinutes(1), Script, input);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var js = doc.RootElement;

        Assert.Equal(js.GetProperty("head").GetString(), BatchEncoding.ChainL1(head, BatchEncoding.DepositL1Word(depositor), key.X, key.Y, 1_000_000).ToString());
        var afterDeposit = BatchEncoding.ChainL1(head, BatchEncoding.DepositL1Word(depositor), key.X, key.Y, 1_000_000);
        var fw = ForcedOp.Withdrawal(ulong.MaxValue, key, long.MaxValue, recipient);
        var ft = ForcedOp.Trade(5, ulong.MaxValue, uint.MaxValue, long.MinValue, 123_456_789, key, keyB);
        var forcedHead = BatchEncoding.ChainL1(BatchEncoding.ChainL1(afterDeposit, fw.Word, fw.A, fw.B, fw.C), ft.Word, ft.A, ft.B, ft.C);
        Assert.Equal(js.GetProperty("forced").GetString(), forcedHead.ToString());
        Assert.Equal(js.GetProperty("oracle").GetString(), BatchEncoding.OracleCommitment(42, 1_700_000_000, prices).ToString());
        Assert.Equal(js.GetProperty("withdrawals").GetString(), BatchEncoding.WithdrawalsCommitment(withdrawals).ToString());
    }
}
