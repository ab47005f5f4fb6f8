using System.Text.Json;

namespace Validium.Cli.Tests;

public class AccelCommandTests
{
    /// <summary>ffjavascript's multiExpAffine results (accel/tests/vectors/ffjavascript.json) through the JSON file interface.</summary>
    [Fact]
    public async Task MsmFromFilesMatchesFfjavascript()
    {
        var dir = Directory.CreateTempSubdirectory("vld-msm-");
        try
        {
            foreach (var c in Cli.Vectors("ffjavascript.json").GetProperty("g1MultiExp").EnumerateArray())
            {
                if (c.GetProperty("result").ValueKind == JsonValueKind.String) continue;
                var points = c.GetProperty("points").EnumerateArray()
                    .Select(p => p.ValueKind == JsonValueKind.String ? new[] { "0", "0" } : new[] { p[0].GetString()!, p[1].GetString()! }).ToArray();
                var pf = Path.Combine(dir.FullName, "p.json");
                var sf = Path.Combine(dir.FullName, "s.json");
                File.WriteAllText(pf, JsonSerializer.Serialize(points));
                File.WriteAllText(sf, c.GetProperty("scalars").GetRawText());
                var (code, o, e) = await Cli.Run("accel", "msm", "--points", pf, "--scalars", sf, "--backend", "cpu");
                Assert.True(code == 0, e);
                var lines = Cli.Lines(o);
                Assert.Equal(c.GetProperty("result")[0].GetString(), lines[0]);
                Assert.Equal(c.GetProperty("result")[1].GetString(), lines[1]);
                Assert.StartsWith("time: ", lines[2]);
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task GeneratedInputsAreDeterministic()
    {
        var a = await Cli.Run("accel", "msm", "--size", "100", "--seed", "5");
        var b = await Cli.Run("accel", "msm", "--size", "100", "--seed", "5");
        Assert.Equal(0, a.Code);
        Assert.Equal(Cli.Lines(a.Out)[..2], Cli.Lines(b.Out)[..2]);
    }

    [Fact]
    public async Task BadMsmFilesAreRejectedClearly()
    {
        var dir = Directory.CreateTempSubdirectory("vld-msm-");
        try
        {
            var pf = Path.Combine(dir.FullName, "p.json");
            var sf = Path.Combine(dir.FullName, "s.json");
            File.WriteAllText(sf, "[\"1\"]");
            foreach (var (content, expect) in new[]
            {
                ("[[\"1\",\"3\"]]", "not on BN254 G1"),
                ("{\"x\":1}", "JSON array"),
                ("[[\"1\",\"2\"", "not valid JSON"),
                ("[[\"1\",\"2\"],[\"1\",\"2\"]]", "1 scalars"),
            })
            {
                File.WriteAllText(pf, content);
                var (code, _, e) = await Cli.Run("accel", "msm", "--points", pf, "--scalars", sf);
                Assert.Equal(2, code);
                Assert.Contains(expect, e);
            }
            var missing = await Cli.Run("accel", "msm", "--points", Path.Combine(dir.FullName, "nope.json"), "--scalars", sf);
            Assert.Equal(2, missing.Code);
            Assert.Contains("does not exist", missing.Err);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task DevicesListsTheCpuWithItsOps()
    {
        var (code, o, _) = await Cli.Run("accel", "devices");
        Assert.Equal(0, code);
        Assert.Contains("cpu:0", o);
        Assert.Contains("MsmG1", o);
    }
}
