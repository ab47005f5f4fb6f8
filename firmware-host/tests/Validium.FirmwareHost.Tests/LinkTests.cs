using System.Buffers.Binary;
using System.IO.Hashing;
using CsCheck;
using Validium.FirmwareHost.Simulator;

namespace Validium.FirmwareHost.Tests;

public class LinkTests
{
    private static byte[] Bitstream()
    {
        var b = new List<byte>();
        b.AddRange(Enumerable.Repeat((byte)0xFF, 16));
        b.AddRange([0x00, 0x00, 0x00, 0xBB, 0x11, 0x22, 0x00, 0x44]);
        b.AddRange([0xAA, 0x99, 0x55, 0x66]);
        b.AddRange(Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)));
        b.AddRange([0x30, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x0D]);
        return [.. b];
    }

    [Fact]
    public void BitstreamLoadsThroughProgInitDone()
    {
        using var board = new SimulatedBoard();
        using var gpio = SimulatedTransports.Gpio(board);
        var loader = new BitstreamLoader(board.ConfigPort(), gpio);
        loader.Load(Bitstream(), TimeSpan.FromSeconds(2));
        Assert.Equal(1, board.Configurations);
        Assert.True(board.DoneLine);
        using var client = new BoardClient(SimulatedXdma.Transport(board));
        Assert.Equal(BoardCapabilities.MsmG1 | BoardCapabilities.Poseidon, client.Initialise().Capabilities);
    }

    [Fact]
    public void BitstreamRejectedByTheFpgaIsReported()
    {
        using var board = new SimulatedBoard();
        using var gpio = SimulatedTransports.Gpio(board);
        var loader = new BitstreamLoader(board.ConfigPort(), gpio);
        board.Faults.CorruptBitstreams = 1;
        var ex = Assert.Throws<BoardException>(() => loader.Load(Bitstream(), TimeSpan.FromSeconds(2)));
        Assert.Contains("INIT_B fell", ex.Message);
        Assert.Contains("DONE=Low", ex.Message);
        Assert.Throws<ArgumentException>(() => loader.Load(new byte[64], TimeSpan.FromSeconds(1)));
        var truncated = Bitstream()[..^8];
        Assert.Contains("DONE did not rise", Assert.Throws<BoardException>(() => loader.Load(truncated, TimeSpan.FromMilliseconds(100))).Message);
        loader.Load(Bitstream(), TimeSpan.FromSeconds(2));
        Assert.Equal(1, board.Configurations);
    }

    [Fact]
    public void SpiFrameCrcCatchesEveryFlippedBit()
    {
        Gen.Byte.Array[0, 64].Select(Gen.UInt, Gen.Int[0, 10_000]).Sample((payload, address, bitSeed) =>
        {
            var f = SpiFrame.Request(SpiCommand.WriteData, address, (uint)payload.Length, payload);
            Assert.True(SpiFrame.CrcOk(f));
            Assert.Equal(Crc32.HashToUInt32(f.AsSpan(0, f.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(f.Length - 4)));
            int bit = bitSeed % (f.Length * 8);
            f[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(SpiFrame.CrcOk(f));
        });
    }

    [Fact]
    public void SimulatorAnswersMalformedFramesWithStatusNotData()
    {
        using var board = new SimulatedBoard();
        using var spi = new SimulatedSpiDevice(board);
        spi.Write(SpiFrame.Request((SpiCommand)0x7F, 0, 4, []));
        var r = new byte[9];
        spi.Read(r);
        Assert.Equal((byte)SpiResponseStatus.BadCommand, r[0]);
        spi.Write(SpiFrame.Request(SpiCommand.ReadData, 0x0500_0000, 16, []));
        spi.Read(r);
        Assert.Equal((byte)SpiResponseStatus.BadAddress, r[0]);
        Assert.True(SpiFrame.CrcOk(r));
    }

    /// <summary>Plain files stand in for the XDMA devices: registers and windows are addressed by file offset.</summary>
    [Fact]
    public void XdmaTransportUsesOffsetsInTheDeviceFiles()
    {
        string dir = Directory.CreateTempSubdirectory("xdma").FullName;
        try
        {
            foreach (var n in new[] { "xdma3_user", "xdma3_h2c_0", "xdma3_c2h_0" })
                File.WriteAllBytes(Path.Combine(dir, n), new byte[64]);
            using (var t = XdmaTransport.Open(3, dir))
            {
                Assert.Equal("xdma3", t.Name);
                t.WriteRegister(Reg.Scratch, 0x01020304);
                Assert.Equal(0x01020304u, t.ReadRegister(Reg.Scratch));
                t.WriteData(0x20, [9, 8, 7]);
                var ex = Assert.Throws<BoardException>(() => t.ReadData(0x3E, new byte[4]));
                Assert.Contains("2 of 4 bytes", ex.Message);
            }
            var user = File.ReadAllBytes(Path.Combine(dir, "xdma3_user"));
            Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32LittleEndian(user.AsSpan((int)Reg.Scratch)));
            Assert.Equal(new byte[] { 9, 8, 7 }, File.ReadAllBytes(Path.Combine(dir, "xdma3_h2c_0")).AsSpan(0x20, 3).ToArray());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
