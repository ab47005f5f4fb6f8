using Microsoft.Extensions.Logging;
using Validium.Crypto;
using Validium.FirmwareHost;

namespace Validium.Accel.Fpga.Tests;

public class FpgaDispatchTests
{
    [Fact]
    public void HealthyBoardServesMsmAndPoseidonWithoutFallback()
    {
        using var h = new Harness(new AccelOptions { SpotCheckRate = 1 });
        var (p, s) = Harness.MsmInput(1, 128);
        Assert.Equal(Harness.Reference(p, s), h.Dispatcher.MsmG1(p, s));
        var inputs = Harness.MsmInput(2, 40).Scalars;
        var outputs = new Fr[20];
        h.Dispatcher.PoseidonBatch(inputs, 2, outputs);
        for (int i = 0; i < 20; i++) Assert.Equal(Poseidon.Hash(inputs.AsSpan(2 * i, 2)), outputs[i]);
        Assert.Equal(2, h.Board.JobsStarted);
        Assert.Equal(0, h.Dispatcher.TotalFallbacks);
        Assert.Same(h.Backend, h.Dispatcher.Select(AccelOp.MsmG1, 128));
    }

    [Fact]
    public void WrongMsmResultIsCaughtBySpotCheckAndTheCpuAnswerUsed()
    {
        using var h = new Harness(new AccelOptions { SpotCheckRate = 1 });
        h.Board.Faults.WrongResults = 1;
        var (p, s) = Harness.MsmInput(3, 64);
        Assert.Equal(Harness.Reference(p, s), h.Dispatcher.MsmG1(p, s));
        Assert.Equal(1, h.Board.JobsStarted);
        Assert.Equal(1, h.Dispatcher.FallbackCounts[(AccelOp.MsmG1, FallbackReason.SpotCheckMismatch, h.Backend.Device)]);
        Assert.Equal(1, h.FallbacksMetric(FallbackReason.SpotCheckMismatch));
        Assert.True(h.Log.Has(LogLevel.Warning, "SpotCheckMismatch"), h.Log.All);
        Assert.True(h.Dispatcher.Quarantined.ContainsKey(h.Backend.Device));
        Assert.Equal(Harness.Reference(p, s), h.Dispatcher.MsmG1(p, s));
        Assert.Equal(1, h.Board.JobsStarted);
    }

    [Fact]
    public void FlippedPoseidonBitsAreCaughtBySpotCheck()
    {
        using var h = new Harness(new AccelOptions { SpotCheckRate = 1 });
        h.Board.Faults.FlipResultBits = 1;
        var inputs = Harness.MsmInput(4, 30).Scalars;
        var outputs = new Fr[10];
        h.Dispatcher.PoseidonBatch(inputs, 3, outputs);
        for (int i = 0; i < 10; i++) Assert.Equal(Poseidon.Hash(inputs.AsSpan(3 * i, 3)), outputs[i]);
        Assert.Equal(1, h.FallbacksMetric(FallbackReason.SpotCheckMismatch));
    }

    [Fact]
    public void FlippedMsmBitsGiveAnOffCurvePointTheBackendRejects()
    {
        using var h = new Harness(new AccelOptions { SpotCheckRate = 0 });
        h.Board.Faults.FlipResultBits = 1;
        var (p, s) = Harness.MsmInput(5, 32);
        Assert.Equal(Harness.Reference(p, s), h.Dispatcher.MsmG1(p, s));
        Assert.Equal(1, h.FallbacksMetric(FallbackReason.DeviceError));
        Assert.True(h.Log.Has(LogLevel.Warning, "not a G1 point"), h.Log.All);
    }

    [Fact]
    public void HangTimesOutInTheDispatcherAndFallsBack()
    {
        using var h = new Harness(new AccelOptions { DeviceTimeout = TimeSpan.FromSeconds(1) }, new BoardClientOptions { JobTimeout = TimeSpan.FromSeconds(10) });
        h.Board.Faults.StuckBusy = 1;
        var (p, s) = Harness.MsmInput(6, 64);
        Assert.Equal(Harness.Reference(p, s), h.Dispatcher.MsmG1(p, s));
        Assert.Equal(1, h.FallbacksMetric(FallbackReason.Timeout));
        Assert.True(h.Log.Has(LogLevel.Warning, "Timeout"), h.Log.All);
        // The abandoned call sees the dispatcher's cancellation and resets the board, so the next job runs there.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (h.Board.Resets == 0 && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.True(h.Board.Resets == 1, h.BoardLog.All + "\n" + h.Log.All);
        Assert.Equal(Harness.Reference(p, s), h.Dispatcher.MsmG1(p, s));
        Assert.True(h.Dispatcher.TotalFallbacks == 1, h.Log.All + "\n" + h.BoardLog.All);
    }

    [Fact]
    public void HangCaughtByTheBoardClientResetsAndFallsBack()
    {
        using var h = new Harness(new AccelOptions { DeviceTimeout = TimeSpan.FromSeconds(30) }, new BoardClientOptions { JobTimeout = TimeSpan.FromMilliseconds(100) });
        h.Board.Faults.StuckBusy = 1;
        var inputs = Harness.MsmInput(7, 8).Scalars;
        var outputs = new Fr[8];
        h.Dispatcher.PoseidonBatch(inputs, 1, outputs);
        for (int i = 0; i < 8; i++) Assert.Equal(Poseidon.Hash(inputs.AsSpan(i, 1)), outputs[i]);
        Assert.Equal(1, h.FallbacksMetric(FallbackReason.DeviceError));
        Assert.True(h.Log.Has(LogLevel.Warning, "BoardTimeoutException"), h.Log.All);
        Assert.True(h.BoardLog.Has(LogLevel.Error, "STATUS=0x00000002"), h.BoardLog.All);
        Assert.Equal(1, h.Board.Resets);
    }

    [Fact]
    public void UnsupportedOpsStayOnTheCpu()
    {
        using var h = new Harness();
        Assert.DoesNotContain(AccelOp.Ntt, h.Backend.Capabilities.Ops);
        var values = Harness.MsmInput(8, 16).Scalars;
        var expect = (Fr[])values.Clone();
        h.Registry.Cpu.Ntt(expect, NttOptions.Forward);
        h.Dispatcher.Ntt(values, NttOptions.Forward);
        Assert.Equal(expect, values);
        Assert.Equal(0, h.Board.JobsStarted);
        Assert.Contains("Ntt", Assert.Throws<NotSupportedException>(() => h.Backend.Ntt(values, NttOptions.Forward)).Message);
        Assert.Equal(1, h.Dispatcher.FallbackCounts[(AccelOp.Ntt, FallbackReason.DeviceAbsent, null)]);
    }

    [Fact]
    public void IncompatibleBoardIsNotCreated()
    {
        using var board = new FirmwareHost.Simulator.SimulatedBoard();
        board.Faults.ReportedVersion = BoardConstants.PackVersion(0, 9, 0);
        Assert.False(FpgaBackend.TryCreate(() => FirmwareHost.Simulator.SimulatedXdma.Transport(board), 0, null, null, out var b, out var why));
        Assert.Null(b);
        Assert.Contains("0.9.0", why);
    }
}
