namespace Validium.Proving.Tests;

/// <summary>The checked-in files made by validium/tests/fixtures/make-fixtures.sh, and a way to run snarkjs on them.</summary>
internal static class Fixtures
{
    public static string Dir { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string PathOf(string name) => Path.Combine(Dir, name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    /// <summary>The repository's node_modules/snarkjs CLI, found by walking up from the test binaries; null when not installed.</summary>
    private static readonly string? SnarkjsCli = FindSnarkjs();

    private static string? FindSnarkjs()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var cli = Path.Combine(d.FullName, "node_modules", "snarkjs", "build", "cli.cjs");
            if (File.Exists(cli)) return cli;
        }
        return null;
    }

    private static bool NodeOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(p => File.Exists(Path.Combine(p, "node")));

    public static void SkipWithoutSnarkjs()
    {
        Skip.If(!NodeOnPath(), "node is not on PATH");
        Skip.If(SnarkjsCli == null, "node_modules/snarkjs is not installed (run scripts/bootstrap.sh)");
    }

    /// <summary>Runs snarkjs and returns its output; a non-zero exit fails the test with that output.</summary>
    public static string Snarkjs(params string[] args)
    {
        var (exitCode, output) = RunSnarkjs(args);
        Assert.True(exitCode == 0, $"snarkjs {string.Join(' ', args)} exited {exitCode}:\n{output}");
        return output;
    }

    public static (int ExitCode, string Output) RunSnarkjs(params string[] args)
    {
        var (code, stdout, stderr) = NodeTool.Run(AppContext.BaseDirectory, TimeSpan.FromMinutes(2), [SnarkjsCli!, .. args]);
        return (code, stdout + stderr);
    }
}

/// <summary>A scratch directory removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("validium-formats-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
