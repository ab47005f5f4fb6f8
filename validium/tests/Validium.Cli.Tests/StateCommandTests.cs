namespace Validium.Cli.Tests;

public class StateCommandTests
{
    [Fact]
    public async Task BenchCommitsBatchesAndContinuesInAKeptDatabase()
    {
        var dir = Directory.CreateTempSubdirectory("vld-state-");
        try
        {
            var args = new[] { "state", "bench", "--leaves", "40", "--depth", "10", "--batches", "2", "--no-sync", "--dir", dir.FullName };
            var (code, o, e) = await Cli.Run(args);
            Assert.True(code == 0, e);
            var lines = Cli.Lines(o);
            Assert.StartsWith("batch 1: ", lines[1]);
            Assert.StartsWith("batch 2: ", lines[2]);
            Assert.Contains(" hashes in ", lines[2]);
            Assert.Contains("verifies", lines[^1]);

            (code, o, e) = await Cli.Run(args);
            Assert.True(code == 0, e);
            Assert.StartsWith("batch 3: ", Cli.Lines(o)[1]);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData("--depth", "0", "--depth must be within 1..64, got 0")]
    [InlineData("--depth", "65", "--depth must be within 1..64, got 65")]
    [InlineData("--leaves", "0", "--leaves must be at least 1")]
    [InlineData("--batches", "-1", "--batches must be at least 1")]
    public async Task BadBenchArgumentsAreOneLineAndExitCode2(string option, string value, string message)
    {
        var (code, _, e) = await Cli.Run("state", "bench", option, value, "--no-sync");
        Assert.Equal(2, code);
        Assert.Equal($"vld: {message}", e.Trim());
    }
}
