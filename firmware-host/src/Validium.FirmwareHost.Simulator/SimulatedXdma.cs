namespace Validium.FirmwareHost.Simulator;

/// <summary>The board's XDMA character devices in memory: the user register window and the two DMA streams.</summary>
public static class SimulatedXdma
{
    public static XdmaTransport Transport(SimulatedBoard board, string name = "xdma-sim") =>
        new(new UserWindow(board), new HostToCard(board), new CardToHost(board), name);

    private sealed class UserWindow(SimulatedBoard board) : IRandomAccessChannel
    {
        public int Read(Span<byte> buffer, long offset)
        {
            CheckRegisterAccess(buffer.Length, offset);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer, board.ReadRegister((uint)offset));
            return 4;
        }

        public void Write(ReadOnlySpan<byte> buffer, long offset)
        {
            CheckRegisterAccess(buffer.Length, offset);
            board.WriteRegister((uint)offset, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(buffer));
        }

        // AXI-Lite moves one 32-bit word per access; anything else is a bus error on the real device.
        private static void CheckRegisterAccess(int length, long offset)
        {
            if (length != 4 || offset < 0 || offset > uint.MaxValue) throw new IOException($"register access of {length} bytes at 0x{offset:X}: only aligned 4-byte accesses are valid");
        }

        public void Dispose()
        {
        }
    }

    private sealed class HostToCard(SimulatedBoard board) : IRandomAccessChannel
    {
        public int Read(Span<byte> buffer, long offset) => throw new IOException("the host-to-card stream is write-only");

        public void Write(ReadOnlySpan<byte> buffer, long offset) => board.WriteData(checked((uint)offset), buffer);

        public void Dispose()
        {
        }
    }

    private sealed class CardToHost(SimulatedBoard board) : IRandomAccessChannel
    {
        public int Read(Span<byte> buffer, long offset)
        {
            board.ReadData(checked((uint)offset), buffer);
            return buffer.Length;
        }

        public void Write(ReadOnlySpan<byte> buffer, long offset) => throw new IOException("the card-to-host stream is read-only");

        public void Dispose()
        {
        }
    }
}
