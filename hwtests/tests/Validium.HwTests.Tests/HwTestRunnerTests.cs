using Validium.Accel;

namespace Validium.HwTests.Tests;

public class HwTestRunnerTests
{
    private static HarnessOptions Options(TempDir tmp) => new() { DevDir = tmp.Path };

    /// <summary>What CI gets from `vld hw test` on a machine without hardware.</summary>
    [Fact]
    public void PlainRunPassesOnTheCpuTheEmulatedGpuAndBothSimulatedLinksAndSkipsHardware()
    {
        using var tmp = new TempDir();
        var r = HwTestRunner.Run(Options(tmp));
        Assert.True(r.Failed == 0, string.Join("\n", r.Checks.Where(c => c.Status == CheckStatus.Failed).Select(c => $"{c.Device}/{c.Check}: {c.Detail}")));
        foreach (var (device, check) in new[]
        {
            ("cpu", "msm-g1"), ("cpu", "poseidon-batch"),
            ("gpu-cpu-sim", "init"), ("gpu-cpu-sim", "msm-g1"), ("gpu-cpu-sim", "poseidon-batch"),
            ("fpga-sim", "init"), ("fpga-sim", "link"), ("fpga-sim", "sensors"), ("fpga-sim", "msm-g1"), ("fpga-sim", "poseidon-batch"),
            ("fpga-sim-xdma", "msm-g1"), ("fpga-sim-xdma", "poseidon-batch"),
        })
            Assert.Equal(CheckStatus.Passed, Assert.Single(r.Checks, c => c.Device == device && c.Check == check).Status);
        foreach (var device in new[] { "gpu", "fpga-xdma0", "fpga-spidev0.0" })
        {
            var skipped = r.Checks.Where(c => c.Device == device).ToList();
            Assert.NotEmpty(skipped);
            Assert.All(skipped, c =>
            {
                Assert.Equal(CheckStatus.Skipped, c.Status);
                Assert.StartsWith("hardware only: ", c.Detail);
            });
        }
        Assert.Equal(r.Checks.Count, r.Passed + r.Skipped);
    }

    /// <summary>A wrong answer the dispatcher corrected is still the device failing: the harness must say so.</summary>
    [Fact]
    public void ADeviceWhoseCallsFellBackFailsItsCheck()
    {
        using var tmp = new TempDir();
        using var s = DeviceSession.Open(Targets.FpgaSimXdmaTarget, Options(tmp), board => board.Faults.WrongResults = 1);
        var r = Conformance.Run(s, Conformance.MsmG1, 1);
        Assert.Equal(CheckStatus.Failed, r.Status);
        Assert.Contains("ran on the CPU instead: SpotCheckMismatch", r.Detail);
        Assert.Equal([Handling.Quarantine, Handling.CpuFallback], r.Observed!.Handling);
    }

    [Fact]
    public void ABoardWhoseEngineNeverAnswersFailsOnRealXdmaCode()
    {
        using var tmp = new TempDir();
        var r = HwTestRunner.Run(new HarnessOptions { DevDir = tmp.FakeXdmaBoard() }, ["fpga-xdma0"]);
        var checks = r.Checks.ToDictionary(c => c.Check);
        Assert.Equal(CheckStatus.Passed, checks["init"].Status);
        Assert.Equal(CheckStatus.Passed, checks["link"].Status);
        Assert.Equal(CheckStatus.Passed, checks["sensors"].Status);
        Assert.Equal(CheckStatus.Failed, checks["msm-g1"].Status);
        Assert.Contains("produced 0 bytes, expected 64", checks["msm-g1"].Detail);
        Assert.Equal(CheckStatus.Failed, checks["poseidon-batch"].Status);
        Assert.Contains(Handling.CpuFallback, checks["poseidon-batch"].Observed!.Handling);
    }

    public static TheoryData<string, Handling[], Handling[], string> Faults => new()
    {
        // fault, handling seen in the MSM check, in the Poseidon check, a phrase the detection must contain
        { "crc", [Handling.Retry], [Handling.Retry], "CRC mismatch on 2 SPI frame(s)" },
        { "bitflip", [Handling.CpuFallback], [Handling.Quarantine, Handling.CpuFallback], "" },
        { "stuck-busy", [Handling.Reset, Handling.CpuFallback], [Handling.Reset, Handling.CpuFallback], "BoardTimeoutException" },
        { "lost-ready", [Handling.StatusRecovery], [Handling.StatusRecovery], "STATUS showed DONE" },
        { "bad-version", [Handling.Refusal, Handling.CpuFallback], [Handling.Refusal, Handling.CpuFallback], "firmware 0.9.0 is incompatible" },
        { "over-temp", [Handling.Refusal, Handling.Throttle, Handling.CpuFallback], [Handling.Refusal, Handling.Throttle, Handling.CpuFallback], "did not cool below 85000" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void EachFaultIsDetectedAndHandledAsTheDriverDoes(string fault, Handling[] msm, Handling[] poseidon, string phrase)
    {
        using var tmp = new TempDir();
        var r = HwTestRunner.Run(Options(tmp), null, FaultInjection.Parse(fault));
        Assert.Equal(fault, r.Fault);
        Assert.Equal(2, r.Checks.Count);
        foreach (var (c, expected) in r.Checks.Zip(new[] { msm, poseidon }))
        {
            string why = $"{c.Check}: {c.Detail}\n{string.Join("\n", c.Observed!.Detected)}";
            Assert.True(c.Status == CheckStatus.Passed, why);
            Assert.Equal("fpga-sim", c.Device);
            Assert.True(c.FaultFired);
            Assert.Equal(expected, c.Observed.Handling);
            Assert.Contains(c.Observed.Detected, d => d.Contains(phrase, StringComparison.Ordinal));
            Assert.NotEmpty(c.Observed.Log);
        }
        if (fault == "bitflip")
        {
            // An MSM result with flipped bits is off the curve, which the backend itself rejects; flipped hashes are
            // still field elements, so only the dispatcher's spot-check can catch them.
            Assert.Contains(r.Checks[0].Observed!.Detected, d => d.Contains("is not a G1 point", StringComparison.Ordinal));
            Assert.Contains(r.Checks[1].Observed!.Detected, d => d.StartsWith("spot-check mismatch", StringComparison.Ordinal));
            Assert.Equal(FallbackReason.SpotCheckMismatch, r.Checks[1].Observed!.Fallbacks[0].Reason);
        }
    }

    [Fact]
    public void StuckBusyOnTheXdmaLinkIsCaughtByPollingStatus()
    {
        using var tmp = new TempDir();
        var r = HwTestRunner.Run(Options(tmp), ["fpga-sim-xdma"], FaultKind.StuckBusy);
        Assert.All(r.Checks, c =>
        {
            Assert.Equal(CheckStatus.Passed, c.Status);
            Assert.Equal([Handling.Reset, Handling.CpuFallback], c.Observed!.Handling);
        });
    }

    [Theory]
    [InlineData("cpu", "crc", "board simulator")]
    [InlineData("fpga-sim-xdma", "crc", "SPI + GPIO")]
    [InlineData("fpga-sim-xdma", "lost-ready", "SPI + GPIO")]
    [InlineData("quantum", "crc", "unknown device 'quantum'")]
    public void FaultsOnlyGoWhereTheyCanShow(string device, string fault, string message)
    {
        using var tmp = new TempDir();
        var ex = Assert.Throws<ArgumentException>(() => HwTestRunner.Run(Options(tmp), [device], FaultInjection.Parse(fault)));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void UnknownFaultNamesTheKnownOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => FaultInjection.Parse("melt"));
        Assert.Contains("crc, bitflip, stuck-busy, lost-ready, bad-version, over-temp", ex.Message);
    }
}
