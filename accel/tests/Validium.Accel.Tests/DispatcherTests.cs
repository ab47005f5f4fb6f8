using System.Diagnostics.Metrics;
using Validium.Crypto;

namespace Validium.Accel.Tests;

public class DispatcherTests
{
    private static (AccelDispatcher D, BackendRegistry R) Make(AccelOptions o, params IAccelBackend[] devices)
    {
        var r = new BackendRegistry();
        foreach (var d in devices) r.Register(d);
        return (new AccelDispatcher(r, o), r);
    }

    private static (G1Affine[] P, Fr[] S, G1Jacobian Expected) Msm(int seed, int n = 20)
    {
        var inp = new Inputs(seed);
        var p = inp.G1Points(n);
        var s = inp.Scalars(n);
        return (p, s, Reference.Msm(p, s));
    }

    [Fact]
    public void ExplicitGpuModeWithoutAGpuFallsBackAndSaysWhy()
    {
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Gpu });
        using var _ = r;
        var (p, s, expected) = Msm(1);
        Assert.True(expected == d.MsmG1(p, s));
        var e = Assert.Single(d.RecentFallbacks);
        Assert.Equal(FallbackReason.DeviceAbsent, e.Reason);
        Assert.Contains("no gpu device implements MsmG1", e.Detail);
    }

    [Fact]
    public void AutoModeWithoutDevicesUsesTheCpuQuietly()
    {
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Auto });
        using var _ = r;
        var (p, s, expected) = Msm(2);
        Assert.True(expected == d.MsmG1(p, s));
        Assert.Equal(0, d.TotalFallbacks);
        Assert.Equal(DeviceKind.Cpu, d.Select(AccelOp.MsmG1, 20).Device.Kind);
    }

    [Fact]
    public void AHealthyDeviceIsUsedAndSpotChecked()
    {
        var gpu = new FaultyBackend(DeviceKind.Gpu, Fault.None);
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Gpu, SpotCheckRate = 1 }, gpu);
        using var _ = r;
        var (p, s, expected) = Msm(3);
        Assert.True(expected == d.MsmG1(p, s));
        Assert.Equal(1, gpu.Calls);
        Assert.Equal(0, d.TotalFallbacks);
    }

    [Fact]
    public void AHungDeviceTimesOutAndTheCpuAnswers()
    {
        var gpu = new FaultyBackend(DeviceKind.Gpu, Fault.Hang);
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Gpu, DeviceTimeout = TimeSpan.FromMilliseconds(200) }, gpu);
        using var _ = r;
        var (p, s, expected) = Msm(4);
        Assert.True(expected == d.MsmG1(p, s));
        Assert.Equal(FallbackReason.Timeout, Assert.Single(d.RecentFallbacks).Reason);
    }

    [Fact]
    public void ADeviceErrorFallsBackWithTheErrorText()
    {
        var gpu = new FaultyBackend(DeviceKind.Fpga, Fault.Throw);
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Fpga }, gpu);
        using var _ = r;
        var x = new Inputs(5).Scalars(16);
        var y = (Fr[])x.Clone();
        d.Ntt(y, NttOptions.Forward);
        Assert.True(Reference.Dft(x, Fr.One).SequenceEqual(y));
        var e = Assert.Single(d.RecentFallbacks);
        Assert.Equal(FallbackReason.DeviceError, e.Reason);
        Assert.Contains("CRC error", e.Detail);
    }

    [Fact]
    public void AWrongAnswerIsCaughtAndTheDeviceQuarantined()
    {
        var gpu = new FaultyBackend(DeviceKind.Gpu, Fault.WrongResult);
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Auto, SpotCheckRate = 1 }, gpu);
        using var _ = r;
        var (p, s, expected) = Msm(6);
        Assert.True(expected == d.MsmG1(p, s));
        Assert.Equal(FallbackReason.SpotCheckMismatch, Assert.Single(d.RecentFallbacks).Reason);
        Assert.Contains(gpu.Device, d.Quarantined.Keys);
        Assert.True(expected == d.MsmG1(p, s));
        Assert.Equal(1, gpu.Calls);
        Assert.Equal(FallbackReason.Quarantined, d.RecentFallbacks[^1].Reason);
    }

    [Fact]
    public void WrongNttOutputIsReplacedByTheCpuResult()
    {
        var gpu = new FaultyBackend(DeviceKind.Gpu, Fault.WrongResult);
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Gpu, SpotCheckRate = 1 }, gpu);
        using var _ = r;
        var x = new Inputs(7).Scalars(32);
        var y = (Fr[])x.Clone();
        d.Ntt(y, NttOptions.Forward);
        Assert.True(Reference.Dft(x, Fr.One).SequenceEqual(y));
        Assert.Equal(FallbackReason.SpotCheckMismatch, Assert.Single(d.RecentFallbacks).Reason);
    }

    [Fact]
    public void CallsBeyondTheDeviceLimitStayOnTheCpu()
    {
        var gpu = new FaultyBackend(DeviceKind.Gpu, Fault.None, maxMsm: 8);
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Gpu }, gpu);
        using var _ = r;
        var (p, s, expected) = Msm(8);
        Assert.True(expected == d.MsmG1(p, s));
        Assert.Equal(0, gpu.Calls);
        Assert.Equal(FallbackReason.SizeBeyondDevice, Assert.Single(d.RecentFallbacks).Reason);
    }

    [Fact]
    public void CpuModeNeverTouchesADevice()
    {
        var gpu = new FaultyBackend(DeviceKind.Gpu, Fault.WrongResult);
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Cpu }, gpu);
        using var _ = r;
        var (p, s, expected) = Msm(9);
        Assert.True(expected == d.MsmG1(p, s));
        Assert.Equal(0, gpu.Calls);
    }

    [Fact]
    public void TheCallersCancellationIsNotAFallback()
    {
        var gpu = new FaultyBackend(DeviceKind.Gpu, Fault.Hang);
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Gpu, DeviceTimeout = TimeSpan.FromSeconds(30) }, gpu);
        using var _ = r;
        var (p, s, _) = Msm(10, 4);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.ThrowsAny<OperationCanceledException>(() => d.MsmG1(p, s, cts.Token));
        Assert.Equal(0, d.TotalFallbacks);
    }

    [Fact]
    public void FallbacksAreCountedInTheMetric()
    {
        long seen = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Name == "validium.accel.fallbacks") l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            foreach (var t in tags)
                if (t.Key == "reason" && (string?)t.Value == nameof(FallbackReason.DeviceAbsent)) Interlocked.Add(ref seen, v);
        });
        listener.Start();
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Fpga });
        using var _ = r;
        d.PoseidonBatch([Fr.One, Fr.Zero], 2, new Fr[1]);
        Assert.True(Interlocked.Read(ref seen) >= 1);
    }

    [Fact]
    public void RegisteringADeviceTwiceFailsNamingIt()
    {
        using var r = new BackendRegistry();
        r.Register(new FaultyBackend(DeviceKind.Gpu, Fault.None));
        var ex = Assert.Throws<InvalidOperationException>(() => r.Register(new FaultyBackend(DeviceKind.Gpu, Fault.None)));
        Assert.Contains("gpu:0", ex.Message);
    }

    [Fact]
    public void BadArgumentsFailBeforeAnyDeviceIsCalled()
    {
        var gpu = new FaultyBackend(DeviceKind.Gpu, Fault.None);
        var (d, r) = Make(new AccelOptions { Mode = AccelMode.Gpu }, gpu);
        using var _ = r;
        Assert.Throws<ArgumentException>(() => d.MsmG1(new G1Affine[2], new Fr[3]));
        Assert.Throws<ArgumentException>(() => d.Ntt(new Fr[6], NttOptions.Forward));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.PoseidonBatch(new Fr[17], 17, new Fr[1]));
        Assert.Throws<ArgumentException>(() => d.KeccakBatch(new byte[4], [0, 5], new byte[32]));
        Assert.Equal(0, gpu.Calls);
    }

    [Fact]
    public void ModesParseAndUnknownModesAreRejected()
    {
        Assert.Equal(AccelMode.Gpu, AccelOptions.ParseMode(" GPU "));
        Assert.Throws<ArgumentException>(() => AccelOptions.ParseMode("tpu"));
    }
}
