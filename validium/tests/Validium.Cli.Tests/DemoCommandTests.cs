namespace Validium.Cli.Tests;

/// <summary>`vld demo`'s own handling: bad options, --reset's guard, a failed stage's exit code (the run itself is tested in Validium.Demo.Tests).</summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("vld-demo-");

    public void Dispose() => dir.Delete(true);

    [Fact]
    public async Task Bad_options_are_named_and_exit_2_before_anything_is_written()
    {
        var target = Path.Combine(dir.FullName, "d");
        var (code, _, err) = await Cli.Run("demo", "--dir", target, "--quick", "--traders", "1", "--duration", "2");
        Assert.Equal(2, code);
        Assert.Contains("--duration must be 5..86400 seconds, got 2", err);
        Assert.Contains("--traders must be 2..14", err);
        Assert.Single(Cli.Lines(err));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Reset_removes_only_a_demo_directory()
    {
        var precious = Path.Combine(dir.FullName, "precious.txt");
        File.WriteAllText(precious, "not a demo");
        var (code, _, err) = await Cli.Run("demo", "--dir", dir.FullName, "--quick", "--reset");
        Assert.Equal(2, code);
        Assert.Contains("does not look like a demo directory", err);
        Assert.True(File.Exists(precious));
    }

    [Fact]
    public async Task A_failed_stage_exits_1_naming_it()
    {
        var devnet = Directory.CreateDirectory(Path.Combine(dir.FullName, "devnet"));
        File.WriteAllText(Path.Combine(devnet.FullName, "devnet.json"), "[]");
        var (code, _, err) = await Cli.Run("demo", "--dir", dir.FullName, "--quick");
        Assert.Equal(1, code);
        Assert.StartsWith("vld demo: stage 'devnet' failed:", err);
        Assert.Contains("not a devnet manifest", err);
    }
}
