using System.Buffers.Binary;
using Validium.FirmwareHost;

namespace Validium.HwTests.Tests;

/// <summary>A folder of its own per test, removed afterwards, so tests run in parallel.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("vld-hw-").FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Plain files standing in for /dev/xdmaN_*: a register window whose registers hold whatever is written,
    /// preset to a healthy-looking board whose engine never produces a result (STATUS already DONE, OUTPUT_BYTES 0).
    /// </summary>
    public string FakeXdmaBoard(int index = 0)
    {
        string dev = Sub("dev");
        Directory.CreateDirectory(dev);
        var regs = new byte[Reg.WindowBytes];
        void Set(uint reg, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(regs.AsSpan((int)reg), v);
        Set(Reg.Id, BoardConstants.IdValue);
        Set(Reg.Version, BoardConstants.PackVersion(1, 2, 0));
        Set(Reg.Capabilities, (uint)(BoardCapabilities.MsmG1 | BoardCapabilities.Poseidon));
        Set(Reg.MaxMsmLog, 12);
        Set(Reg.MaxPoseidonArity, 16);
        Set(Reg.Status, (uint)BoardStatus.Done);
        Set(Reg.Temperature, 40_000);
        Set(Reg.VccInt, 850);
        Set(Reg.VccAux, 1800);
        File.WriteAllBytes(System.IO.Path.Combine(dev, $"xdma{index}_user"), regs);
        File.WriteAllBytes(System.IO.Path.Combine(dev, $"xdma{index}_h2c_0"), []);
        File.WriteAllBytes(System.IO.Path.Combine(dev, $"xdma{index}_c2h_0"), new byte[64]);
        return dev;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, true);
        }
        catch (IOException)
        {
            // A report file still open elsewhere must not fail the test that made it.
        }
    }
}
