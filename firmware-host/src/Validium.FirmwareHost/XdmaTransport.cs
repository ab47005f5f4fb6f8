using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Validium.FirmwareHost;

/// <summary>A byte-addressed device file: read and write at an offset (pread/pwrite).</summary>
public interface IRandomAccessChannel : IDisposable
{
    int Read(Span<byte> buffer, long offset);

    void Write(ReadOnlySpan<byte> buffer, long offset);
}

/// <summary>A real device file (an XDMA character device, or any file) through <see cref="RandomAccess"/>.</summary>
public sealed class FileChannel(SafeFileHandle handle) : IRandomAccessChannel
{
    public static FileChannel Open(string path, FileAccess access) =>
        new(File.OpenHandle(path, FileMode.Open, access, FileShare.ReadWrite));

    public int Read(Span<byte> buffer, long offset) => RandomAccess.Read(handle, buffer, offset);

    public void Write(ReadOnlySpan<byte> buffer, long offset) => RandomAccess.Write(handle, buffer, offset);

    public void Dispose() => handle.Dispose();
}

/// <summary>
/// PCIe through the Xilinx XDMA driver: the register window is the AXI-Lite "user" device, the data windows are
/// the host-to-card and card-to-host DMA streams, addressed by file offset. There is no ready line, so waits
/// poll STATUS; reset is SOFT_RESET.
/// </summary>
public sealed class XdmaTransport(IRandomAccessChannel user, IRandomAccessChannel h2c, IRandomAccessChannel c2h, string name) : IBoardTransport
{
    /// <summary>Opens /dev/xdma{index}_user, _h2c_0 and _c2h_0.</summary>
    public static XdmaTransport Open(int index = 0, string devDir = "/dev")
    {
        string p = Path.Combine(devDir, $"xdma{index}");
        return new XdmaTransport(
            FileChannel.Open(p + "_user", FileAccess.ReadWrite),
            FileChannel.Open(p + "_h2c_0", FileAccess.Write),
            FileChannel.Open(p + "_c2h_0", FileAccess.Read),
            $"xdma{index}");
    }

    public string Name => name;

    public uint ReadRegister(uint address)
    {
        Span<byte> b = stackalloc byte[4];
        ReadFully(user, b, address, "register");
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public void WriteRegister(uint address, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        user.Write(b, address);
    }

    public void WriteData(uint address, ReadOnlySpan<byte> data) => h2c.Write(data, address);

    public void ReadData(uint address, Span<byte> data) => ReadFully(c2h, data, address, "card-to-host stream");

    public bool WaitReady(TimeSpan timeout, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var s = (BoardStatus)ReadRegister(Reg.Status);
            if ((s & (BoardStatus.Done | BoardStatus.Error)) != 0) return true;
            if (sw.Elapsed >= timeout) return false;
            ct.ThrowIfCancellationRequested();
            Thread.Sleep(1);
        }
    }

    public void HardReset() => WriteRegister(Reg.Control, (uint)BoardControl.SoftReset);

    private void ReadFully(IRandomAccessChannel ch, Span<byte> buffer, long offset, string what)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = ch.Read(buffer[done..], offset + done);
            if (n <= 0) throw new BoardException($"{name}: {what} ended at offset 0x{offset + done:X} ({done} of {buffer.Length} bytes read)");
            done += n;
        }
    }

    public void Dispose()
    {
        user.Dispose();
        h2c.Dispose();
        c2h.Dispose();
    }
}
