using System.Buffers.Binary;
using Validium.Accel.Cpu;
using Validium.Crypto;

namespace Validium.FirmwareHost.Simulator;

/// <summary>
/// The accelerator board in-process: the register map and data windows of hardware.md, MSM and Poseidon engines
/// computed with Validium.Crypto behind a latency model, GPIO lines, FPGA configuration, and injectable faults.
/// Transports reach it through <see cref="SimulatedSpiDevice"/>, <see cref="SimulatedGpioDriver"/> and
/// <see cref="SimulatedXdma"/>, exactly as they would reach hardware.
/// </summary>
public sealed partial class SimulatedBoard : IDisposable
{
    private const int MsmRecord = 96;
    private const int Word = 32;

    private readonly object gate = new();
    private readonly SimulatedBoardOptions options;
    private readonly CpuBackend engine = new(1);
    private readonly byte[] input = new byte[DataWindow.InputBytes];
    private readonly byte[] output = new byte[DataWindow.OutputBytes];
    private readonly Dictionary<uint, uint> rw = [];
    private BoardStatus status = BoardStatus.Idle;
    private uint irqEnable, irqStatus, errorCode, outputBytes, jobId;
    private bool readyLost;
    private int generation;
    private CancellationTokenSource jobCancel = new();

    public SimulatedBoard(SimulatedBoardOptions? options = null)
    {
        this.options = options ?? new SimulatedBoardOptions();
        TemperatureMilliCelsius = this.options.TemperatureMilliCelsius;
        rw[Reg.ThermalLimit] = (uint)this.options.ThermalLimitMilliCelsius;
    }

    public BoardFaults Faults { get; } = new();

    /// <summary>The die temperature the sensor reports; tests raise it to provoke throttling.</summary>
    public int TemperatureMilliCelsius { get; set; }

    public int JobsStarted { get; private set; }

    public int Resets { get; private set; }

    public bool ReadyLine
    {
        get { lock (gate) return !readyLost && (irqStatus & irqEnable) != 0; }
    }

    public bool ErrorLine
    {
        get { lock (gate) return (status & BoardStatus.Error) != 0; }
    }

    public uint ReadRegister(uint address)
    {
        lock (gate)
        {
            return address switch
            {
                Reg.Id => BoardConstants.IdValue,
                Reg.Version => Faults.ReportedVersion ?? options.Version,
                Reg.Capabilities => (uint)options.Capabilities,
                Reg.MaxMsmLog => (uint)options.MaxMsmLog,
                Reg.MaxPoseidonArity => (uint)options.MaxPoseidonArity,
                Reg.Status => (uint)(status | (Hot ? BoardStatus.Throttled : 0)),
                Reg.Control => 0,
                Reg.IrqEnable => irqEnable,
                Reg.IrqStatus => irqStatus,
                Reg.ErrorCode => errorCode,
                Reg.OutputBytes => outputBytes,
                Reg.Temperature => (uint)TemperatureMilliCelsius,
                Reg.VccInt => 850,
                Reg.VccAux => 1800,
                Reg.JobId => jobId,
                _ when address < Reg.WindowBytes && address % 4 == 0 => rw.GetValueOrDefault(address),
                _ => throw new ArgumentOutOfRangeException(nameof(address), $"register address 0x{address:X} is outside the window or unaligned"),
            };
        }
    }

    public void WriteRegister(uint address, uint value)
    {
        if (address >= Reg.WindowBytes || address % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(address), $"register address 0x{address:X} is outside the window or unaligned");
        lock (gate)
        {
            var def = Reg.All.FirstOrDefault(r => r.Address == address);
            switch (address)
            {
                case Reg.Control: Control((BoardControl)value); break;
                case Reg.IrqEnable: irqEnable = value & 3; break;
                case Reg.IrqStatus: irqStatus &= ~value; break;
                default:
                    // Writes to read-only registers are ignored, as on the hardware.
                    if (def is null || def.Access == RegisterAccess.ReadWrite) rw[address] = value;
                    break;
            }
        }
    }

    public void WriteData(uint address, ReadOnlySpan<byte> data)
    {
        long off = (long)address - DataWindow.InputBase;
        if (off < 0 || off + data.Length > DataWindow.InputBytes)
            throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:X8}+{data.Length} is outside the input window");
        lock (gate) data.CopyTo(input.AsSpan((int)off));
    }

    public void ReadData(uint address, Span<byte> data)
    {
        long off = (long)address - DataWindow.OutputBase;
        if (off < 0 || off + data.Length > DataWindow.OutputBytes)
            throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:X8}+{data.Length} is outside the output window");
        lock (gate) output.AsSpan((int)off, data.Length).CopyTo(data);
    }

    /// <summary>The reset line or SOFT_RESET: abandons any job and returns every register to its power-on value.</summary>
    public void Reset()
    {
        lock (gate)
        {
            Resets++;
            Abandon();
            status = BoardStatus.Idle;
            irqEnable = irqStatus = errorCode = outputBytes = jobId = 0;
            rw.Clear();
            rw[Reg.ThermalLimit] = (uint)options.ThermalLimitMilliCelsius;
        }
    }

    private bool Hot => TemperatureMilliCelsius >= (int)rw.GetValueOrDefault(Reg.ThermalLimit);

    private void Control(BoardControl c)
    {
        if ((c & BoardControl.SoftReset) != 0) { Reset(); return; }
        if ((c & BoardControl.ClearDone) != 0)
        {
            status = (status & ~(BoardStatus.Done | BoardStatus.Error)) | ((status & BoardStatus.Busy) == 0 ? BoardStatus.Idle : 0);
            errorCode = 0;
            readyLost = false;
        }
        // START while BUSY is ignored, so a host may resend a frame whose answer it lost.
        if ((c & BoardControl.Start) != 0 && (status & BoardStatus.Busy) == 0) Start();
    }

    private void Start()
    {
        JobsStarted++;
        status = BoardStatus.Busy;
        readyLost = false;
        outputBytes = 0;
        var op = (BoardOpcode)rw.GetValueOrDefault(Reg.Opcode);
        uint count = rw.GetValueOrDefault(Reg.Count), arity = rw.GetValueOrDefault(Reg.Arity);
        var error = Hot ? BoardError.OverTemperature : Check(op, count, arity, rw.GetValueOrDefault(Reg.InputBytes));
        if (error != BoardError.None) { Finish(error, 0); return; }
        var data = input.AsSpan(0, (int)rw[Reg.InputBytes]).ToArray();
        if (BoardFaults.Take(ref Faults.StuckBusy)) return;
        int gen = ++generation;
        var ct = jobCancel.Token;
        var delay = options.Latency.For(op, count);
        // The engine gets its own thread, as hardware would: a host blocking pool threads while it waits must not starve it.
        _ = Task.Factory.StartNew(() =>
        {
            if (delay > TimeSpan.Zero && ct.WaitHandle.WaitOne(delay)) return;
            Execute(gen, op, (int)count, (int)arity, data);
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private BoardError Check(BoardOpcode op, uint count, uint arity, uint inputBytes)
    {
        switch (op)
        {
            case BoardOpcode.MsmG1 when (options.Capabilities & BoardCapabilities.MsmG1) != 0:
                if (count > 1u << options.MaxMsmLog) return BoardError.BadCount;
                return inputBytes == (ulong)count * MsmRecord ? BoardError.None : BoardError.InputLengthMismatch;
            case BoardOpcode.PoseidonBatch when (options.Capabilities & BoardCapabilities.Poseidon) != 0:
                if (arity < 1 || arity > options.MaxPoseidonArity) return BoardError.BadArity;
                if ((ulong)count * Word > DataWindow.OutputBytes) return BoardError.BadCount;
                return inputBytes == (ulong)count * arity * Word ? BoardError.None : BoardError.InputLengthMismatch;
            default:
                return BoardError.BadOpcode;
        }
    }

    private void Execute(int gen, BoardOpcode op, int count, int arity, byte[] data)
    {
        byte[] result;
        bool wrong;
        lock (gate) wrong = BoardFaults.Take(ref Faults.WrongResults);
        try
        {
            result = op == BoardOpcode.MsmG1 ? Msm(data, count, wrong) : Poseidon(data, count, arity, wrong);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
        {
            lock (gate) if (gen == generation) Finish(BoardError.MalformedInput, 0);
            return;
        }
        lock (gate)
        {
            if (gen != generation) return;
            if (BoardFaults.Take(ref Faults.FlipResultBits))
                for (int i = Word - 1; i < result.Length; i += Word) result[i] ^= 1;
            result.CopyTo(output, 0);
            Finish(BoardError.None, (uint)result.Length);
        }
    }

    private void Finish(BoardError error, uint produced)
    {
        errorCode = (uint)error;
        outputBytes = produced;
        status = error == BoardError.None ? BoardStatus.Done : BoardStatus.Error;
        if (error == BoardError.None) jobId++;
        irqStatus |= (uint)(error == BoardError.None ? IrqBits.Done : IrqBits.Error);
        readyLost = BoardFaults.Take(ref Faults.LostReady);
    }

    private void Abandon()
    {
        generation++;
        // Cancelled, not disposed: the engine thread of the abandoned job may still be waiting on its token.
        jobCancel.Cancel();
        jobCancel = new CancellationTokenSource();
    }

    private byte[] Msm(byte[] data, int n, bool wrong)
    {
        var points = new G1Affine[n];
        var scalars = new Fr[n];
        for (int i = 0; i < n; i++)
        {
            var rec = data.AsSpan(i * MsmRecord, MsmRecord);
            points[i] = G1Affine.ReadUncompressed(rec[..64]);
            scalars[i] = Fr.ReadBigEndian(rec[64..]);
        }
        var sum = engine.MsmG1(points, scalars);
        if (wrong) sum = sum.AddMixed(G1Affine.Generator);
        return sum.ToAffine().ToUncompressed();
    }

    private static byte[] Poseidon(byte[] data, int count, int arity, bool wrong)
    {
        var inputs = new Fr[count * arity];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = Fr.ReadBigEndian(data.AsSpan(i * Word, Word));
        var hashes = new Fr[count];
        Validium.Crypto.Poseidon.HashBatch(inputs, arity, hashes);
        var result = new byte[count * Word];
        for (int i = 0; i < count; i++) (wrong ? hashes[i] + Fr.One : hashes[i]).WriteBigEndian(result.AsSpan(i * Word));
        return result;
    }

    public void Dispose()
    {
        lock (gate) Abandon();
        engine.Dispose();
    }
}
