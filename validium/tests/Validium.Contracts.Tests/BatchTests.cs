using Validium.L1.Contracts;
using Xunit.Abstractions;

namespace Validium.Contracts.Tests;

/// <summary>Batches on anvil: the happy path, every rejection, and the gas of submitBatch.</summary>
public class BatchTests(BatchProver prover, ITestOutputHelper output) : IClassFixture<BatchProver>
{
    [SkippableFact]
    public void DepositBatchWithdrawal()
    {
        using var verifier = prover.WriteVerifier();
        var result = ContractScript.Run(output, prover, "happy.mjs", verifier.Path);
        output.WriteLine(ContractScript.Json(result));
        Assert.InRange(result["gas"]!["submitBatch"]!.GetValue<int>(), 200_000, 2_000_000);
    }

    [SkippableFact]
    public void RejectsEveryBadBatchWithItsError()
    {
        using var verifier = prover.WriteVerifier();
        var result = ContractScript.Run(output, prover, "rejections.mjs", verifier.Path);
        output.WriteLine(ContractScript.Json(result));
        var rejections = result["rejections"]!.AsObject();
        Assert.True(rejections.Count >= 22, $"only {rejections.Count} rejection cases ran");
        Assert.All(rejections, r => Assert.NotEqual("ok", r.Value!.GetValue<string>()));
        var gas = result["gas"]!;
        Assert.True(gas["storageEventsAndRest"]!.GetValue<int>() > 0, "the parts add up to more than the whole");
    }

    [SkippableFact]
    public void CompressedProofsDecompressOnChainAndMalformedOnesAreRefused()
    {
        using var verifier = prover.WriteVerifier();
        var result = ContractScript.Run(output, prover, "compressed.mjs", verifier.Path);
        output.WriteLine(ContractScript.Json(result));
        Assert.Equal(72, result["decompressed"]!.GetValue<int>());
        var rejections = result["rejections"]!.AsObject();
        // 29, plus one for A and one for C when their x + p still fits under the flag bits.
        Assert.True(rejections.Count >= 29, $"only {rejections.Count} malformed encodings tried");
        Assert.All(rejections, r => Assert.NotEqual("ok", r.Value!.GetValue<string>()));
        Assert.StartsWith("failed", result["pairing"]!["outsideG2"]!.GetValue<string>());
        var gas = result["gas"]!;
        Assert.Equal(128, gas["calldataBytes"]!["submitBatch"]!.GetValue<int>() - gas["calldataBytes"]!["submitBatchCompressed"]!.GetValue<int>());
        Assert.InRange(gas["submitBatchCompressed"]!.GetValue<int>(), 200_000, 2_000_000);
        // The node's default encoding must be the one that measured cheaper here.
        Assert.Equal(BatchProof.Default == ProofEncoding.Uncompressed ? "uncompressed" : "compressed", result["cheaper"]!.GetValue<string>());
    }

    [SkippableFact]
    public void IgnoredForcedRequestFreezesAndEveryAccountEscapesOnce()
    {
        using var verifier = prover.WriteVerifier();
        var result = ContractScript.Run(output, prover, "escape.mjs", verifier.Path);
        output.WriteLine(ContractScript.Json(result));
        // Collateral plus PnL at the committed prices, worked out by hand: A +10 000, B −9 000, C −1 000.
        Assert.Equal(["5010000", "2991000", "1999000"], result["payouts"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("0", result["remaining"]!.GetValue<string>());
    }
}
