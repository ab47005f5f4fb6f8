using System.Device.Spi;

namespace Validium.FirmwareHost.Simulator;

public sealed partial class SimulatedBoard
{
    private static readonly byte[] Sync = [0xAA, 0x99, 0x55, 0x66];

    // Type 1 write to CMD (0x30008001) with DESYNC (0x0000000D): the last command of a Xilinx bitstream.
    private static readonly byte[] Desync = [0x30, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x0D];

    private readonly List<byte> configStream = [];
    private bool progLow, initB = true, done = true, badBitstream;

    public bool InitBLine
    {
        get { lock (gate) return initB; }
    }

    public bool DoneLine
    {
        get { lock (gate) return done; }
    }

    /// <summary>Bitstreams accepted since start.</summary>
    public int Configurations { get; private set; }

    /// <summary>PROG_B low clears the fabric (INIT_B and DONE low); high again makes the FPGA ready for data.</summary>
    internal void DriveProgB(bool high)
    {
        lock (gate)
        {
            if (!high)
            {
                progLow = true;
                initB = done = false;
                configStream.Clear();
                badBitstream = BoardFaults.Take(ref Faults.CorruptBitstreams);
                Abandon();
                status = BoardStatus.None;
            }
            else if (progLow)
            {
                progLow = false;
                initB = true;
            }
        }
    }

    /// <summary>The configuration port clocks bits in only between INIT_B rising and DONE.</summary>
    internal void ConfigData(ReadOnlySpan<byte> data)
    {
        lock (gate)
        {
            if (progLow || !initB || done) return;
            configStream.AddRange(data);
            var all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(configStream);
            int sync = all.IndexOf(Sync);
            if (sync < 0 || all[sync..].IndexOf(Desync) < 0) return;
            if (badBitstream) { initB = false; return; }
            done = true;
            Configurations++;
            status = BoardStatus.Idle;
        }
    }

    /// <summary>The configuration SPI port (slave-serial DIN/CCLK).</summary>
    public SpiDevice ConfigPort(int busId = 1, int chipSelect = 0) => new ConfigSpi(this, busId, chipSelect);

    private sealed class ConfigSpi(SimulatedBoard board, int busId, int chipSelect) : SpiDevice
    {
        public override SpiConnectionSettings ConnectionSettings { get; } = new(busId, chipSelect);

        public override void Write(ReadOnlySpan<byte> buffer) => board.ConfigData(buffer);

        public override void WriteByte(byte value) => board.ConfigData([value]);

        // Slave-serial has no data out: DOUT is only for daisy chains, idle high.
        public override void Read(Span<byte> buffer) => buffer.Fill(0xFF);

        public override byte ReadByte() => 0xFF;

        public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            board.ConfigData(writeBuffer);
            readBuffer.Fill(0xFF);
        }
    }
}
