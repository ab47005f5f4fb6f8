using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Validium.Node.Tests;

/// <summary>The node carries the Validium contract's ABI instead of compiling the contracts at start; it must be the contract's.</summary>
public sealed class ContractAbiTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("validium-node-abi-");

    public void Dispose() => dir.Delete(true);

    [SkippableFact]
    public async Task The_embedded_Validium_ABI_is_the_compiled_contracts()
    {
        var repo = Settlement.ContractArtifacts.FindRepo(null);
        var psi = new ProcessStartInfo("node") { WorkingDirectory = repo.FullName, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(repo.FullName, "validium", "contracts", "build.mjs"), "--out", dir.FullName }) psi.ArgumentList.Add(a);
        Process? p = null;
        try
        {
            p = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Skip.If(true, "node is not installed");
        }
        using (p)
        {
            var err = p!.StandardError.ReadToEndAsync();
            await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, await err);
        }
        var compiled = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir.FullName, "Validium.json")))!["abi"];
        using var embedded = typeof(NodeHost).Assembly.GetManifestResourceStream("Validium.Node.Validium.abi.json")!;
        Assert.True(JsonNode.DeepEquals(compiled, JsonNode.Parse(embedded)),
            "Hosting/Validium.abi.json differs from the compiled Validium contract's ABI: regenerate it (README, Generated code)");
    }
}
