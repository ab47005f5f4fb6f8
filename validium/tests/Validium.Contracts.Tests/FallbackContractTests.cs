using Validium.Crypto;
using Validium.Proving.Solidity;
using Xunit.Abstractions;

namespace Validium.Contracts.Tests;

/// <summary>The on-chain data fallback: PoseidonSponge.sol and Validium.submitBatchWithData on anvil (fallback.mjs).</summary>
public class FallbackContractTests(BatchProver prover, ITestOutputHelper output) : IClassFixture<BatchProver>
{
    [Fact]
    public void CheckedInSpongeIsWhatTheGeneratorWrites()
    {
        var file = Path.Combine(ContractScript.RepositoryRoot(), "validium", "contracts", "PoseidonSponge.sol");
        Assert.True(File.ReadAllText(file) == PoseidonSpongeEmitter.Emit(), "PoseidonSponge.sol is stale: vld contracts gen-sponge --out validium/contracts/PoseidonSponge.sol");
    }

    [Fact]
    public void ConstantsFitTheCodeSizeLimitAndCoverEveryConstant()
    {
        var parts = PoseidonSpongeEmitter.Parts();
        var opt = PoseidonParameters.Get(17).Optimized;
        Assert.All(parts, p => Assert.InRange(p.Length, 33, 24_576));
        Assert.All(parts, p => Assert.Equal(0, p[0]));
        Assert.Equal(opt.C.Length + opt.S.Length + opt.M.Length + opt.P.Length, parts.Sum(p => (p.Length - 1) / 32));
    }

    [SkippableFact]
    public void SpongeMatchesOnChainAndSubmitBatchWithDataAcceptsOnlyTheCommittedData()
    {
        using var verifier = prover.WriteVerifier();
        var result = ContractScript.Run(output, prover, "fallback.mjs", verifier.Path);
        output.WriteLine(ContractScript.Json(result["gas"]!));
        output.WriteLine(ContractScript.Json(result["rejections"]!));
        // fallback.mjs checked each on-chain commitment against circomlibjs; here against Validium.Crypto as well.
        var sponges = result["sponges"]!.AsArray();
        Assert.Equal(18, sponges.Count);
        foreach (var s in sponges)
        {
            var words = s!["words"]!.AsArray().Select(w => Fr.Parse(w!.GetValue<string>())).ToArray();
            Assert.Equal(PoseidonSponge.Commit(words).ToString(), s["commitment"]!.GetValue<string>());
        }
        var rejections = result["rejections"]!.AsObject();
        Assert.True(rejections.Count >= 10, $"only {rejections.Count} rejection cases ran");
        Assert.All(rejections, r => Assert.NotEqual("ok", r.Value!.GetValue<string>()));
        Assert.Equal("WrongConstants(0)", result["spongeRefusals"]!["swappedParts"]!.GetValue<string>());
        var gas = result["gas"]!;
        Assert.True(gas["proofAndRest"]!.GetValue<int>() > 0, "the parts add up to more than the whole");
    }
}
