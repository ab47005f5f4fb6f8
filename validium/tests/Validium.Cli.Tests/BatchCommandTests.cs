using System.Text.Json;
using Validium.Proving.Tests;

namespace Validium.Cli.Tests;

/// <summary>`vld batch demo`: a proven batch that snarkjs, an independent verifier, accepts.</summary>
public class BatchCommandTests
{
    private static string Snarkjs(string root) => Path.Combine(root, "node_modules", "snarkjs", "build", "cli.cjs");

    [SkippableFact]
    public async Task DemoWritesAProofSnarkjsVerifies()
    {
        var root = NodeTool.RequireNode("snarkjs");
        var dir = Directory.CreateTempSubdirectory("vld-batch-demo-test-").FullName;
        try
        {
            // Small trees keep the circuit under 2^16 constraints, so the development setup stays quick.
            var (code, output, err) = await Cli.Run("batch", "demo", "--trades", "1", "--out", dir, "--account-depth", "4", "--fill-depth", "8");
            Assert.True(code == 0, err);
            Assert.Contains("1 trades", output);
            string vk = Path.Combine(dir, "verification_key.json"), pub = Path.Combine(dir, "public.json"), proof = Path.Combine(dir, "proof.json");
            var signals = JsonSerializer.Deserialize<string[]>(File.ReadAllText(pub))!;
            Assert.Equal(8, signals.Length);
            Assert.Equal("1", signals[7]);
            Assert.Contains($"batchNumber = 1", output);

            var verify = NodeTool.Run(root, TimeSpan.FromMinutes(2), Snarkjs(root), "groth16", "verify", vk, pub, proof);
            Assert.True(verify.Code == 0, verify.Out + verify.Err);
            Assert.Contains("OK!", verify.Out);

            // The same proof for another data commitment is refused: snarkjs is really checking.
            signals[2] = "1";
            File.WriteAllText(pub, JsonSerializer.Serialize(signals));
            var forged = NodeTool.Run(root, TimeSpan.FromMinutes(2), Snarkjs(root), "groth16", "verify", vk, pub, proof);
            Assert.DoesNotContain("OK!", forged.Out);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task DemoRefusesZeroTrades()
    {
        var (code, _, err) = await Cli.Run("batch", "demo", "--trades", "0", "--out", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains("--trades must be", err);
    }
}
