using System.Numerics;
using System.Text.Json;
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
        (BigInteger, ulong)[] withdrawals = [((BigInteger.One << 160) - 1, 5), (77, (ulong)long.MaxValue)];
        var input = JsonSerializer.Serialize(new
        {
            head = head.ToString(), depositor = depositor.ToString(), ax = key.X.ToString(), ay = key.Y.ToString(), amount = "1000000",
            round = "42", timestamp = "1700000000", prices = prices.Select(p => p.ToString()).ToArray(),
            withdrawals = withdrawals.Select(w => new[] { w.Item1.ToString(), w.Item2.ToString() }).ToArray(),
        });
        var (code, output, err) = NodeTool.Run(root, TimeSpan.FromMinutes(1), Script, input);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var js = doc.RootElement;

        Assert.Equal(js.GetProperty("head").GetString(), BatchEncoding.ChainL1(head, BatchEncoding.DepositL1Word(depositor), key.X, key.Y, 1_000_000).ToString());
        Assert.Equal(js.GetProperty("oracle").GetString(), BatchEncoding.OracleCommitment(42, 1_700_000_000, prices).ToString());
        Assert.Equal(js.GetProperty("withdrawals").GetString(), BatchEncoding.WithdrawalsCommitment(withdrawals).ToString());
    }
}
