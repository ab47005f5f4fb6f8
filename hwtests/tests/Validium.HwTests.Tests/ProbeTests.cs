namespace Validium.HwTests.Tests;

public class ProbeTests
{
    [Fact]
    public void FindsTheCpuTheIlgpuCpuAcceleratorAndTheSimulator()
    {
        using var tmp = new TempDir();
        var r = DeviceProbe.Run(new HarnessOptions { DevDir = tmp.Path });
        var sim = Assert.Single(r.Devices, d => d.Category == ProbeCategory.Simulator);
        Assert.True(sim.Usable);
        Assert.Contains("firmware 1.2.0", sim.Details);
        Assert.Contains(r.Devices, d => d.Category == ProbeCategory.Ilgpu && d.Usable && d.Details.StartsWith("CPU,", StringComparison.Ordinal));
        var targets = r.Targets.ToDictionary(t => t.Target.Id);
        Assert.True(targets["cpu"].Available);
        Assert.True(targets["gpu-cpu-sim"].Available);
        Assert.True(targets["fpga-sim"].Available);
        Assert.True(targets["fpga-sim-xdma"].Available);
        Assert.False(targets["fpga-xdma0"].Available);
        Assert.Contains("xdma*_user", targets["fpga-xdma0"].Reason);
        Assert.False(targets["fpga-spidev0.0"].Available);
        Assert.Contains("spidev*", targets["fpga-spidev0.0"].Reason);
    }

    [Fact]
    public void ListsDeviceNodesAndReadsABoardsIdentity()
    {
        using var tmp = new TempDir();
        string dev = tmp.FakeXdmaBoard(0);
        File.WriteAllBytes(Path.Combine(dev, "xdma1_user"), []);
        File.WriteAllBytes(Path.Combine(dev, "xdma2_user"), []);
        File.WriteAllBytes(Path.Combine(dev, "xdma2_h2c_0"), []);
        File.WriteAllBytes(Path.Combine(dev, "xdma2_c2h_0"), []);
        File.WriteAllBytes(Path.Combine(dev, "spidev1.0"), []);
        File.WriteAllBytes(Path.Combine(dev, "gpiochip0"), []);
        File.WriteAllBytes(Path.Combine(dev, "ttyS0"), []);
        var r = DeviceProbe.Run(new HarnessOptions { DevDir = dev });
        var byId = r.Devices.ToDictionary(d => d.Id);
        Assert.True(byId["xdma0"].Usable, byId["xdma0"].Status);
        Assert.Contains("ID 0x56414343, VERSION 1.2.0", byId["xdma0"].Details);
        Assert.False(byId["xdma1"].Usable);
        Assert.Contains("no xdma1_h2c_0, xdma1_c2h_0", byId["xdma1"].Status);
        Assert.False(byId["xdma2"].Usable);
        Assert.Contains("does not answer", byId["xdma2"].Status);
        Assert.Equal(ProbeCategory.Spidev, byId["spidev1.0"].Category);
        Assert.Equal(ProbeCategory.GpioChip, byId["gpiochip0"].Category);
        Assert.DoesNotContain(r.Devices, d => d.Id.Contains("tty", StringComparison.Ordinal));
        var targets = r.Targets.ToDictionary(t => t.Target.Id);
        Assert.True(targets["fpga-xdma0"].Available);
        Assert.False(targets["fpga-xdma2"].Available);
        Assert.True(targets["fpga-spidev1.0"].Available);
        Assert.DoesNotContain("fpga-spidev0.0", targets.Keys);
    }

    [Fact]
    public void SpiWithoutAGpioChipIsNotATarget()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp.Sub("spidev0.0"), []);
        var t = Assert.Single(DeviceProbe.Run(new HarnessOptions { DevDir = tmp.Path }).Targets, t => t.Target.Id == "fpga-spidev0.0");
        Assert.False(t.Available);
        Assert.Contains("gpiochip", t.Reason);
    }
}
