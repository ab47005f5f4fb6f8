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
}
