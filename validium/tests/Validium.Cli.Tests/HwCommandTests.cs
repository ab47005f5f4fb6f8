using System.Buffers.Binary;
using System.Text.Json;
using Validium.FirmwareHost;

namespace Validium.Cli.Tests;

public class HwCommandTests
{
    /// <summary>
    /// CI's run of the harness: `vld hw test` as a bench engineer types it, on a machine without hardware. The CPU
    /// backend, the GPU kernels on ILGPU's CPU accelerator and the board simulator pass; hardware is skipped, with why.
    /// </summary>
    [Fact]
    public async Task TestPassesOnThisMachineAndWritesTheReport()
    {
        var dir = Directory.CreateTempSubdirectory("vld-hw-");
        try
        {
            var (code, o, e) = await Cli.Run("hw", "test", "--out", dir.FullName, "--dev-dir", dir.FullName);
            Assert.True(code == 0, o + e);
            foreach (var line in new[] { "PASS  cpu ", "PASS  gpu-cpu-sim ", "PASS  fpga-sim ", "skip  gpu ", "skip  fpga-xdma0 " })
                Assert.Contains(line, o);
            Assert.Matches(@"checks: \d+ passed, 0 failed, \d+ skipped", o);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "test.json")));
            Assert.Equal(0, doc.RootElement.GetProperty("failed").GetInt32());
            Assert.True(File.Exists(Path.Combine(dir.FullName, "test.md")));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(dir.FullName, "test.png"))[..4]);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task InjectedCrcErrorsAreRetried()
    {
        var dir = Directory.CreateTempSubdirectory("vld-hw-");
        try
        {
            var (code, o, e) = await Cli.Run("hw", "test", "--inject", "crc", "--out", dir.FullName);
            Assert.True(code == 0, o + e);
            Assert.Contains("fault: crc", o);
            Assert.Contains("handling: retry", o);
            Assert.Contains("detected: CRC mismatch on 2 SPI frame(s)", o);
            Assert.Contains("retry 1 of 3", e);
            Assert.True(File.Exists(Path.Combine(dir.FullName, "test-crc.json")));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>A board that is there but whose engine never delivers: the run fails, and says where.</summary>
    [Fact]
    public async Task AFailingBoardEndsWithExitCode1()
    {
        var dir = Directory.CreateTempSubdirectory("vld-hw-");
        try
        {
            var regs = new byte[Reg.WindowBytes];
            foreach (var (reg, v) in new[] { (Reg.Id, BoardConstants.IdValue), (Reg.Version, BoardConstants.PackVersion(1, 2, 0)), (Reg.Capabilities, 3u),
                (Reg.MaxMsmLog, 12u), (Reg.MaxPoseidonArity, 16u), (Reg.Status, (uint)BoardStatus.Done), (Reg.Temperature, 40_000u), (Reg.VccInt, 850u), (Reg.VccAux, 1800u) })
                BinaryPrimitives.WriteUInt32LittleEndian(regs.AsSpan((int)reg), v);
            File.WriteAllBytes(Path.Combine(dir.FullName, "xdma0_user"), regs);
            File.WriteAllBytes(Path.Combine(dir.FullName, "xdma0_h2c_0"), []);
            File.WriteAllBytes(Path.Combine(dir.FullName, "xdma0_c2h_0"), []);
            var (code, o, _) = await Cli.Run("hw", "test", "--device", "fpga-xdma0", "--dev-dir", dir.FullName, "--out", Path.Combine(dir.FullName, "out"));
            Assert.Equal(1, code);
            Assert.Contains("PASS  fpga-xdma0       init", o);
            Assert.Contains("FAIL  fpga-xdma0       msm-g1", o);
            Assert.Contains("produced 0 bytes, expected 64", o);
            Assert.Contains("checks: 3 passed, 2 failed, 0 skipped", o);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task ProbeAsJsonListsTheSimulatorAndTheCpuAccelerator()
    {
        var dir = Directory.CreateTempSubdirectory("vld-hw-");
        try
        {
            var (code, o, e) = await Cli.Run("hw", "probe", "--json", "--out", dir.FullName, "--dev-dir", dir.FullName);
            Assert.True(code == 0, e);
            using var doc = JsonDocument.Parse(o);
            var devices = doc.RootElement.GetProperty("devices").EnumerateArray().ToList();
            Assert.Contains(devices, d => d.GetProperty("category").GetString() == "simulator" && d.GetProperty("usable").GetBoolean());
            Assert.Contains(devices, d => d.GetProperty("category").GetString() == "ilgpu");
            Assert.Contains(doc.RootElement.GetProperty("targets").EnumerateArray(), t => t.GetProperty("target").GetProperty("id").GetString() == "fpga-sim" && t.GetProperty("available").GetBoolean());
            Assert.True(File.Exists(Path.Combine(dir.FullName, "probe.png")));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task BenchTimesDevicesAgainstTheCpu()
    {
        var dir = Directory.CreateTempSubdirectory("vld-hw-");
        try
        {
            var (code, o, e) = await Cli.Run("hw", "bench", "--sizes", "8,20", "--repeat", "1", "--device", "cpu,fpga-sim-xdma", "--out", dir.FullName);
            Assert.True(code == 0, o + e);
            Assert.Equal(8, Cli.Lines(o).Count(l => l.Contains(" ms ", StringComparison.Ordinal) && l.Contains("x CPU", StringComparison.Ordinal)));
            Assert.Contains("1.00x CPU", o);
            Assert.True(File.Exists(Path.Combine(dir.FullName, "bench.png")));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData("unknown device 'tpu'", "hw", "test", "--device", "tpu")]
    [InlineData("unknown fault 'melt'", "hw", "test", "--inject", "melt")]
    [InlineData("faults are injected into the board simulator", "hw", "test", "--device", "cpu", "--inject", "crc")]
    [InlineData("lives on the SPI + GPIO link", "hw", "test", "--device", "fpga-sim-xdma", "--inject", "lost-ready")]
    [InlineData("'x' is not a whole number", "hw", "bench", "--sizes", "8,x")]
    [InlineData("size 0 is outside 1..65536", "hw", "bench", "--sizes", "0")]
    [InlineData("size 70000 is outside 1..65536", "hw", "bench", "--sizes", "70000")]
    public async Task BadArgumentsEndWithOneLineAndExitCode2(string message, params string[] args)
    {
        var dir = Directory.CreateTempSubdirectory("vld-hw-");
        try
        {
            var (code, _, e) = await Cli.Run([.. args, "--out", dir.FullName]);
            Assert.Equal(2, code);
            Assert.Contains(message, e);
            Assert.Empty(Directory.GetFiles(dir.FullName));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
