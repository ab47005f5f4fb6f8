using System.Diagnostics;

namespace Validium.Proving.Tests;

/// <summary>Runs the repository's node scripts (snarkjs, solc, anvil through ethers) as independent checkers.</summary>
internal static class NodeTool
{
    public static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "package.json")) && Directory.Exists(Path.Combine(d.FullName, "validium"))) return d.FullName;
        Skip.If(true, "not running from a checkout: the node scripts are not beside the tests");
        return "";
    }

    /// <summary>Skips (with the reason) unless node and the pinned packages are installed, as the README's test command does.</summary>
    public static string RequireNode(string package)
    {
        var root = RepositoryRoot();
        Skip.IfNot(Directory.Exists(Path.Combine(root, "node_modules", package)), $"node_modules/{package} is missing: run npm ci (the README's test command does)");
        return root;
    }

    public static (int Code, string Out, string Err) Run(string root, TimeSpan timeout, params string[] args)
    {
        using var p = Start(root, redirectInput: false, args);
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s");
        }
        return (p.ExitCode, output, err.Result);
    }

    /// <summary>Starts node with stdout and stderr (and, for scripts that converse, stdin) redirected; skips when node is missing.</summary>
    public static Process Start(string root, bool redirectInput, params string[] args)
    {
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            return Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Skip.If(true, "node is not installed (the README's test command installs it)");
            throw;
        }
    }
}
