using System.Diagnostics;
using System.Text.Json;
using Validium.L1.Abi;

namespace Validium.Settlement;

/// <summary>Compiling the contracts failed, or node or the repository's build script is missing.</summary>
public sealed class ContractBuildException(string message) : Exception(message);

public sealed record ContractArtifact(ContractAbi Abi, byte[] Bytecode);

/// <summary>
/// The contract set compiled by the repository's build.mjs (the one place compiler settings live), with a batch
/// verifier generated from a verifying key as the extra source "Groth16Verifier".
/// </summary>
public static class ContractArtifacts
{
    public static readonly string[] Names =
        ["TestToken", "PoseidonT3", "PoseidonT4", "PoseidonT5", "PoseidonT6", "EdDsaPoseidonVerifier", "PriceOracle", "Groth16Verifier", "Validium",
         .. Proving.Solidity.PoseidonSpongeEmitter.ContractNames()];

    /// <summary>The directory holding validium/contracts/build.mjs: <paramref name="given"/>, else the first ancestor of the working or the program's directory.</summary>
    public static DirectoryInfo FindRepo(DirectoryInfo? given)
    {
        static bool IsRepo(DirectoryInfo d) => File.Exists(BuildScript(d));
        if (given is not null)
            return IsRepo(given) ? given : throw new ContractBuildException($"{given.FullName} has no validium/contracts/build.mjs");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (IsRepo(d)) return d;
        throw new ContractBuildException("cannot find the contracts (validium/contracts/build.mjs) above the working directory");
    }

    private static string BuildScript(DirectoryInfo repo) => Path.Combine(repo.FullName, "validium", "contracts", "build.mjs");

    public static Dictionary<string, ContractArtifact> Compile(DirectoryInfo repo, string verifierSource)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(verifierSource);
        var tmp = Directory.CreateTempSubdirectory("vld-contracts-");
        try
        {
            var sol = Path.Combine(tmp.FullName, "BatchVerifier.sol");
            File.WriteAllText(sol, verifierSource);
            var outDir = Path.Combine(tmp.FullName, "out");
            var psi = new ProcessStartInfo("node") { WorkingDirectory = repo.FullName, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { BuildScript(repo), "--out", outDir, "--extra", sol }) psi.ArgumentList.Add(a);
            Process p;
            try
            {
                p = Process.Start(psi)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new ContractBuildException("node is not installed: the contracts are compiled with the repository's solc through node");
            }
            using (p)
            {
                var err = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0)
                {
                    var first = err.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
                    throw new ContractBuildException($"compiling the contracts failed (node build.mjs exit {p.ExitCode}): {first}");
                }
            }
            var artifacts = new Dictionary<string, ContractArtifact>(StringComparer.Ordinal);
            foreach (var name in Names)
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, name + ".json")));
                artifacts[name] = new ContractArtifact(ContractAbi.FromJson(doc.RootElement.GetProperty("abi")), L1.Hex.Decode(doc.RootElement.GetProperty("bytecode").GetString()!));
            }
            return artifacts;
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }
}
