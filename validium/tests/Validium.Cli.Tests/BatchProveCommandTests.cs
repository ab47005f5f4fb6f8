using System.Text.Json;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Proving.Groth16;
using Validium.Proving.Tests;

namespace Validium.Cli.Tests;

/// <summary>`vld batch prove`: a batch the batcher persisted, proven again offline, checked by snarkjs.</summary>
public class BatchProveCommandTests
{
    private static readonly CircuitConfig Config = new()
    {
        AccountDepth = 4, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Shape = new BatchShape(2, 0, 0),
        Instruments = [new InstrumentParams(1, 1, 1, 0, 0, 100_000, 50_000)],
    };

    private static string Snarkjs(string root) => Path.Combine(root, "node_modules", ".bin", "snarkjs");

    /// <summary>A data directory holding one proven batch of two deposits, made by the batcher itself.</summary>
    private static async Task<(string Dir, BatchRecord Batch)> DataDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("vld-batch-prove-test-").FullName;
        var store = BatchStore.Initialize(dir, Config, Setup.Run(new BatchCircuit(Config).Compile().R1cs, devSeed: 3));
        var cpu = new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });
        await using var b = BatchPipeline.Start(store, cpu, new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) });
        await b.OracleCommittedAsync(new OracleRound(1, 1_700_000_000, [50_000]));
        for (int i = 1; i <= 2; i++)
        {
            var key = EdDsaPoseidon.PrivateToPublic([(byte)i, .. new byte[31]]);
            await b.AddAsync(i, [new DepositOp((ulong)i, key, 1000, 1000 + i)], [], []);
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return (dir, await b.Released.ReadAsync(cts.Token));
    }

    [SkippableFact]
    public async Task ReprovesAPersistedBatchIntoFilesSnarkjsVerifies()
    {
        var root = NodeTool.RequireNode("snarkjs");
        var (dir, batch) = await DataDirectory();
        try
        {
            var outDir = Path.Combine(dir, "out");
            var (code, output, err) = await Cli.Run("batch", "prove", "--data", dir, "--batch", "1", "--out", outDir, "--backend", "cpu");
            Assert.True(code == 0, err);
            Assert.Contains("batch 1 (proven, cut by size): 2 deposits", output);
            string vk = Path.Combine(outDir, "verification_key.json"), pub = Path.Combine(outDir, "public.json"), proof = Path.Combine(outDir, "proof.json");
            var signals = JsonSerializer.Deserialize<string[]>(File.ReadAllText(pub))!;
            Assert.Equal(batch.PublicInputs.Select(p => p.ToString()), signals);
            // A fresh proof (new blinding), not the persisted one copied out.
            Assert.NotEqual(batch.Proof, SnarkjsJsonProof(proof));

            var verify = NodeTool.Run(root, TimeSpan.FromMinutes(2), Snarkjs(root), "groth16", "verify", vk, pub, proof);
            Assert.True(verify.Code == 0, verify.Out + verify.Err);
            Assert.Contains("OK!", verify.Out);

            signals[1] = "1";
            File.WriteAllText(pub, JsonSerializer.Serialize(signals));
            var forged = NodeTool.Run(root, TimeSpan.FromMinutes(2), Snarkjs(root), "groth16", "verify", vk, pub, proof);
            Assert.DoesNotContain("OK!", forged.Out);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Proof SnarkjsJsonProof(string path) => Proving.Formats.SnarkjsJson.ReadProof(File.ReadAllText(path), path);

    [Fact]
    public async Task DamagedOrMissingDataEndsWithOneClearLine()
    {
        var (dir, _) = await DataDirectory();
        try
        {
            var (code, _, err) = await Cli.Run("batch", "prove", "--data", dir, "--batch", "2");
            Assert.Equal(2, code);
            Assert.Contains("batch 2 is not in", err);

            var path = Directory.GetFiles(Path.Combine(dir, "batches")).Single();
            var bytes = File.ReadAllBytes(path);
            bytes[^20] ^= 0x01;
            File.WriteAllBytes(path, bytes);
            (code, _, err) = await Cli.Run("batch", "prove", "--data", dir, "--batch", "1");
            Assert.Equal(2, code);
            Assert.StartsWith("vld: batch record ", err);
            Assert.Contains("SHA-256", err);
            Assert.Single(Cli.Lines(err));

            (code, _, err) = await Cli.Run("batch", "prove", "--data", Path.Combine(dir, "batches"), "--batch", "1");
            Assert.Equal(2, code);
            Assert.Contains("not a batcher data directory", err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
