using Xunit.Abstractions;

namespace Validium.Contracts.Tests;

/// <summary>Timelocked owner changes and the price oracle's rules, on anvil.</summary>
public class GovernanceTests(BatchProver prover, ITestOutputHelper output) : IClassFixture<BatchProver>
{
    [SkippableFact]
    public void OwnerChangesWaitForTheTimelockAndTheOracleRefusesBadRounds()
    {
        using var verifier = prover.WriteVerifier();
        var result = ContractScript.Run(output, prover, "governance.mjs", verifier.Path);
        output.WriteLine(ContractScript.Json(result));
        Assert.True(result["rejections"]!.AsObject().Count >= 14);
    }
}
