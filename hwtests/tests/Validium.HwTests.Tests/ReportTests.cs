using System.Buffers.Binary;
using System.Text.Json;

namespace Validium.HwTests.Tests;

public class ReportTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The PNG signature, then IHDR first with a non-empty image (width and height big-endian).</summary>
    private static void AssertPng(string path)
    {
        var b = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, b[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(b, 12, 4));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(16)) >= 300);
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(20)) >= 300);
        Assert.True(b.Length > 5_000, $"{path} is only {b.Length} bytes: an empty chart?");
    }

    [Fact]
    public void TestReportIsWrittenAsJsonMarkdownAndPng()
    {
        using var tmp = new TempDir();
        var r = HwTestRunner.Run(new HarnessOptions { DevDir = tmp.Path }, ["cpu", "fpga-sim-xdma", "gpu"]);
        var f = Reports.Write(tmp.Sub("out"), r);
        Assert.Equal(tmp.Sub("out/test.json"), f.Json);
        using (var doc = JsonDocument.Parse(File.ReadAllText(f.Json)))
        {
            var checks = doc.RootElement.GetProperty("checks");
            Assert.Equal(r.Checks.Count, checks.GetArrayLength());
            Assert.Equal("passed", checks[0].GetProperty("status").GetString());
            Assert.Equal(r.Passed, doc.RootElement.GetProperty("passed").GetInt32());
            Assert.Equal(3, doc.RootElement.GetProperty("skipped").GetInt32());
        }
        string md = File.ReadAllText(f.Markdown);
        Assert.Contains("| Device | Check | Result | ms | Detail |", md);
        Assert.Contains($"**{r.Passed} passed, 0 failed, 3 skipped.**", md);
        Assert.Contains("| gpu | init | skip |", md);
        AssertPng(f.Chart);
        Assert.Empty(Directory.GetFiles(tmp.Sub("out"), "*.tmp"));
    }

    [Fact]
    public void FaultReportNamesTheFaultAndQuotesTheDriver()
    {
        using var tmp = new TempDir();
        var r = HwTestRunner.Run(new HarnessOptions { DevDir = tmp.Path }, null, FaultKind.StuckBusy);
        var f = Reports.Write(tmp.Path, r);
        Assert.EndsWith("test-stuck-busy.json", f.Json);
        using (var doc = JsonDocument.Parse(File.ReadAllText(f.Json)))
        {
            var c = doc.RootElement.GetProperty("checks")[0];
            Assert.Equal("stuck-busy", c.GetProperty("fault").GetString());
            Assert.Equal(["reset", "cpu-fallback"], c.GetProperty("observed").GetProperty("handling").EnumerateArray().Select(h => h.GetString()));
        }
        string md = File.ReadAllText(f.Markdown);
        Assert.Contains("### fpga-sim / msm-g1 with stuck-busy (fired)", md);
        Assert.Contains("- Handling: reset, cpu-fallback", md);
        Assert.Contains("gave no ready signal within 1000 ms; resetting", md);
        AssertPng(f.Chart);
    }

    [Fact]
    public void ProbeAndBenchReportsParse()
    {
        using var tmp = new TempDir();
        var probe = DeviceProbe.Run(new HarnessOptions { DevDir = tmp.Path });
        var pf = Reports.Write(tmp.Sub("p"), probe);
        using (var doc = JsonDocument.Parse(File.ReadAllText(pf.Json)))
            Assert.Contains(doc.RootElement.GetProperty("devices").EnumerateArray(), d => d.GetProperty("category").GetString() == "simulator");
        Assert.Contains("| simulator | fpga-sim |", File.ReadAllText(pf.Markdown));
        AssertPng(pf.Chart);

        var bench = HwBenchRunner.Run(new HarnessOptions { DevDir = tmp.Path }, [8], 1, ["cpu", "fpga-sim-xdma"], probe);
        var bf = Reports.Write(tmp.Sub("b"), bench);
        using (var doc = JsonDocument.Parse(File.ReadAllText(bf.Json)))
            Assert.Equal(4, doc.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Contains("| fpga-sim-xdma | msm-g1 | 8 |", File.ReadAllText(bf.Markdown));
        AssertPng(bf.Chart);
    }
}
