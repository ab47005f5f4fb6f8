using System.Diagnostics;

namespace Validium.Crypto.Tests;

/// <summary>
/// The checked-in vectors are only as good as their provenance: rerun each generator with the pinned
/// tools (circomlibjs, ffjavascript, ethers, a real anvil) and require the same bytes.
/// </summary>
public class VectorScriptTests
{
    public static TheoryData<string, string> Scripts() => new()
    {
        { "gen-circomlib.mjs", "circomlib.json" },
        { "gen-ffjavascript.mjs", "ffjavascript.json" },
        { "gen-pairing.mjs", "pairing.json" },
        { "gen-ethers.mjs", "ethers.json" },
        { "gen-anvil.mjs", "anvil-precompiles.json" },
        { "gen-compression.mjs", "compression.json" },
    };

    private static string? RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "package.json")) && Directory.Exists(Path.Combine(d.FullName, "accel", "tests", "vectors"))) return d.FullName;
        return null;
    }

    private static bool NodeAvailable()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            p!.WaitForExit(10_000);
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Scripts))]
    public void GeneratorReproducesTheCheckedInFile(string script, string output)
    {
        var root = RepositoryRoot();
        Skip.If(root is null, "not running from a checkout: the generator scripts are not beside the tests");
        Skip.IfNot(NodeAvailable(), "node is not installed (the README's test command installs it)");
        Skip.IfNot(Directory.Exists(Path.Combine(root!, "node_modules", "circomlibjs")), "node_modules is missing: run npm ci (the README's test command does)");

        var outDir = Directory.CreateTempSubdirectory("vectors-");
        try
        {
            var psi = new ProcessStartInfo("node", Path.Combine(root!, "accel", "tests", "vectors", script))
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.Environment["VECTORS_OUT"] = outDir.FullName;
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(120_000), $"{script} did not finish within 120 s");
            Assert.True(p.ExitCode == 0, $"{script} failed: {stderr.Result}");
            var fresh = File.ReadAllText(Path.Combine(outDir.FullName, output));
            var checkedIn = File.ReadAllText(Path.Combine(root!, "accel", "tests", "vectors", output));
            Assert.True(fresh == checkedIn, $"{script} now writes a different {output}: regenerate it and review the diff");
        }
        finally
        {
            outDir.Delete(true);
        }
    }
}
