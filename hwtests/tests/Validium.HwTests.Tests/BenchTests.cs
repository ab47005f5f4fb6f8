namespace Validium.HwTests.Tests;

public class BenchTests
{
    [Fact]
    public void TimesEachDeviceAndOpBesideTheCpu()
    {
        using var tmp = new TempDir();
        var r = HwBenchRunner.Run(new HarnessOptions { DevDir = tmp.Path }, [5, 16], 2, ["cpu", "fpga-sim", "gpu"]);
        Assert.Equal(12, r.Rows.Count);
        foreach (var row in r.Rows.Where(b => b.Device != "gpu"))
        {
            Assert.True(row.Status == CheckStatus.Passed, $"{row.Device} {row.Op} {row.Size}: {row.Detail}");
            Assert.True(row.MinMs > 0 && row.MinMs <= row.MedianMs);
            Assert.NotNull(row.SpeedupVsCpu);
        }
        Assert.All(r.Rows.Where(b => b.Device == "cpu"), b => Assert.Equal(1.0, b.SpeedupVsCpu));
        Assert.All(r.Rows.Where(b => b.Device == "gpu"), b =>
        {
            Assert.Equal(CheckStatus.Skipped, b.Status);
            Assert.StartsWith("hardware only", b.Detail);
        });
    }

    [Fact]
    public void SizesBeyondABoardAreSkippedAndBadSizesRefused()
    {
        using var tmp = new TempDir();
        var r = HwBenchRunner.Run(new HarnessOptions { DevDir = tmp.Path }, [4097], 1, ["fpga-sim-xdma"]);
        var msm = Assert.Single(r.Rows, b => b.Op == "msm-g1");
        Assert.Equal(CheckStatus.Skipped, msm.Status);
        Assert.Contains("at most 4096 points", msm.Detail);
        var hashes = Assert.Single(r.Rows, b => b.Op == "poseidon-batch");
        Assert.True(hashes.Status == CheckStatus.Passed, hashes.Detail);
        Assert.Contains("outside 1..65536", Assert.Throws<ArgumentException>(() => HwBenchRunner.Run(new HarnessOptions { DevDir = tmp.Path }, [0], 1, ["cpu"])).Message);
        Assert.Contains("--repeat 0", Assert.Throws<ArgumentException>(() => HwBenchRunner.Run(new HarnessOptions { DevDir = tmp.Path }, [8], 0, ["cpu"])).Message);
    }
}
