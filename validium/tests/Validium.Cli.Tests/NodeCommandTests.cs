namespace Validium.Cli.Tests;

/// <summary>`vld node run` refuses bad settings before starting anything (the node itself is tested in Validium.Node.Tests).</summary>
public sealed class NodeCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("vld-node-");

    public void Dispose() => dir.Delete(true);

    [Fact]
    public async Task Bad_settings_are_listed_one_per_line_and_exit_2()
    {
        var (code, _, err) = await Cli.Run("node", "run", "--data", dir.FullName, "--urls", "nonsense", "--set", "Batcher:QueueCapacity=0", "--set", "Exchange:DepthLevels=many");
        Assert.Equal(2, code);
        var lines = Cli.Lines(err);
        Assert.Equal("vld: the node's configuration has 3 bad settings:", lines[0]);
        Assert.Equal(
        [
            "Api:Urls: 'nonsense' is not an http(s) URL",
            "Batcher:QueueCapacity: '0' is outside 1..1024",
            "Exchange:DepthLevels: 'many' is not a whole number",
        ], lines[1..]);
        Assert.Empty(dir.GetFileSystemInfos());
    }

    [Fact]
    public async Task A_set_without_a_value_is_a_usage_error()
    {
        var (code, _, err) = await Cli.Run("node", "run", "--data", dir.FullName, "--set", "Batcher:QueueCapacity");
        Assert.Equal(2, code);
        Assert.Contains("expected KEY=VALUE", err);
    }

    [Fact]
    public async Task A_config_file_that_does_not_exist_is_named()
    {
        var missing = Path.Combine(dir.FullName, "node.json");
        var (code, _, err) = await Cli.Run("node", "run", "--config", missing);
        Assert.Equal(2, code);
        Assert.Contains($"--config {missing}: no such file", err);
    }

    [Fact]
    public async Task A_devnet_manifest_that_does_not_exist_is_named_and_nothing_is_written()
    {
        var missing = Path.Combine(dir.FullName, "devnet", "devnet.json");
        var (code, _, err) = await Cli.Run("node", "run", "--data", Path.Combine(dir.FullName, "data"), "--devnet", missing);
        Assert.Equal(2, code);
        Assert.Contains($"Devnet:Manifest: devnet manifest {missing} does not exist", err);
        Assert.Empty(dir.GetFileSystemInfos());
    }
}
