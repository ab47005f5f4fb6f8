using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Validium.Proving.Tests;
using Xunit.Abstractions;

namespace Validium.Contracts.Tests;

/// <summary>
/// Runs one of validium/contracts/test/*.mjs (ethers + solc + its own anvil) and serves its proof requests:
/// the script writes {"prove": [publicInputs]} lines on stdout, we answer with a proof on its stdin, and its last
/// line is {"result": ...}. Skips, with the reason, when node or the pinned node packages are missing.
/// </summary>
internal static class ContractScript
{
    public static string RepositoryRoot() => NodeTool.RepositoryRoot();

    public static JsonNode Run(ITestOutputHelper output, BatchProver? prover, string script, params string[] args)
    {
        var root = RepositoryRoot();
        foreach (var package in new[] { "solc", "ethers", "circomlibjs", "@foundry-rs/anvil-linux-amd64" }) NodeTool.RequireNode(package);
        var p = NodeTool.Start(root, redirectInput: true, [Path.Combine("validium", "contracts", "test", script), .. args]);
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync();
            JsonNode? result = null;
            var watch = Stopwatch.StartNew();
            try
            {
                while (p.StandardOutput.ReadLine() is { } line)
                {
                    var msg = JsonNode.Parse(line) ?? throw new InvalidDataException($"{script} wrote '{line}'");
                    if (msg["prove"] is JsonArray inputs)
                    {
                        if (prover is null) throw new InvalidOperationException($"{script} asked for a proof but the test gave no prover");
                        p.StandardInput.WriteLine(prover.Prove(inputs.Select(x => x!.GetValue<string>()).ToArray()));
                        p.StandardInput.Flush();
                    }
                    else if (msg["result"] is { } r) result = r;
                    if (watch.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"{script} did not finish within 5 minutes");
                }
                p.WaitForExit();
            }
            finally
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            var stderr = err.Result;
            if (stderr.Length > 0) output.WriteLine(stderr);
            Assert.True(p.ExitCode == 0, $"{script} failed (exit {p.ExitCode}):\n{stderr}");
            return result ?? throw new InvalidDataException($"{script} ended without a result");
        }
    }

    public static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
