using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Validium.FirmwareHost;

public sealed class BoardClientOptions
{
    /// <summary>Longest wait for a job's ready signal before the board is reset.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At or above this die temperature (m°C) no job is started; the host waits for it to cool.</summary>
    public int ThrottleMilliCelsius { get; set; } = 85_000;

    /// <summary>How long to wait for a hot board to cool before giving up on it.</summary>
    public TimeSpan ThrottleWait { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ThrottlePoll { get; set; } = TimeSpan.FromMilliseconds(50);
}

public sealed record BoardInfo(uint Version, BoardCapabilities Capabilities, int MaxMsmLog, int MaxPoseidonArity)
{
    public string VersionText => BoardConstants.FormatVersion(Version);
}

public sealed record BoardSensors(int TemperatureMilliCelsius, int VccIntMillivolts, int VccAuxMillivolts, BoardStatus Status);

/// <summary>
/// Drives one board through any transport: checks identity and firmware version, runs one job at a time,
/// bounds every wait, resets and re-initialises a board that hangs, holds jobs back while the die is hot, and
/// logs each failure with the board's registers.
/// </summary>
public sealed class BoardClient : IDisposable
{
    private readonly IBoardTransport transport;
    private readonly BoardClientOptions options;
    private readonly ILogger logger;
    private readonly object jobLock = new();
    private BoardInfo? info;

    public BoardClient(IBoardTransport transport, BoardClientOptions? options = null, ILogger? logger = null)
    {
        this.transport = transport;
        this.options = options ?? new BoardClientOptions();
        this.logger = logger ?? NullLogger.Instance;
    }

    public IBoardTransport Transport => transport;

    public BoardInfo Info => info ?? throw new InvalidOperationException($"{transport.Name}: board not initialised; call Initialise first");

    /// <summary>Resets held since start: each one followed a hang or a cancelled job.</summary>
    public int Resets { get; private set; }

    /// <summary>Jobs that gave neither READY nor DONE within the job timeout (each was followed by a reset).</summary>
    public int Hangs { get; private set; }

    /// <summary>Jobs whose READY signal never came although STATUS showed DONE; their results were used.</summary>
    public int LostReadySignals { get; private set; }

    /// <summary>Jobs held back because the die was at or above the throttle point.</summary>
    public int ThermalHolds { get; private set; }

    /// <summary>Jobs refused because the die did not cool within the throttle wait.</summary>
    public int ThermalRefusals { get; private set; }

    /// <summary>Checks the board is ours and its firmware is compatible, then arms the ready signal.</summary>
    public BoardInfo Initialise()
    {
        uint id = transport.ReadRegister(Reg.Id);
        if (id != BoardConstants.IdValue) Refuse($"identity 0x{id:X8} is not an accelerator board (expected 0x{BoardConstants.IdValue:X8})");
        uint version = transport.ReadRegister(Reg.Version);
        int major = (int)(version >> 16), minor = (int)(version >> 8) & 0xFF;
        if (major != BoardConstants.SupportedMajor || minor < BoardConstants.MinimumMinor)
            Refuse($"firmware {BoardConstants.FormatVersion(version)} is incompatible; this host drives {BoardConstants.SupportedMajor}.x from {BoardConstants.SupportedMajor}.{BoardConstants.MinimumMinor}.0");
        var caps = (BoardCapabilities)transport.ReadRegister(Reg.Capabilities);
        int maxLog = (int)transport.ReadRegister(Reg.MaxMsmLog);
        int maxArity = (int)transport.ReadRegister(Reg.MaxPoseidonArity);
        if (maxLog > 30) Refuse($"MAX_MSM_LOG {maxLog} is out of range");
        transport.WriteRegister(Reg.IrqEnable, (uint)(IrqBits.Done | IrqBits.Error));
        transport.WriteRegister(Reg.IrqStatus, (uint)(IrqBits.Done | IrqBits.Error));
        transport.WriteRegister(Reg.Control, (uint)BoardControl.ClearDone);
        info = new BoardInfo(version, caps, maxLog, maxArity);
        logger.LogInformation("{Link}: board firmware {Version}, capabilities {Caps}, MSM up to 2^{MaxLog}, Poseidon arity up to {Arity}",
            transport.Name, info.VersionText, caps, maxLog, maxArity);
        return info;
    }

    public BoardSensors ReadSensors() => new(
        (int)transport.ReadRegister(Reg.Temperature),
        (int)transport.ReadRegister(Reg.VccInt),
        (int)transport.ReadRegister(Reg.VccAux),
        (BoardStatus)transport.ReadRegister(Reg.Status));

    /// <summary>
    /// Runs one job: the input goes to the input window, the result (exactly <paramref name="outputBytes"/>) comes
    /// back from the output window. Throws <see cref="BoardTimeoutException"/> after resetting a board that hung.
    /// </summary>
    public byte[] Run(BoardOpcode opcode, uint count, uint arity, ReadOnlySpan<byte> input, int outputBytes, CancellationToken ct)
    {
        if (input.Length > DataWindow.InputBytes) throw new ArgumentException($"{input.Length} input bytes exceed the {DataWindow.InputBytes}-byte input window");
        if (outputBytes < 0 || outputBytes > DataWindow.OutputBytes) throw new ArgumentOutOfRangeException(nameof(outputBytes), $"{outputBytes} is outside the output window");
        lock (jobLock)
        {
            _ = Info;
            WaitUntilCool(ct);
            if (((BoardStatus)transport.ReadRegister(Reg.Status) & BoardStatus.Busy) != 0)
                Recover("board was still BUSY before a new job");
            transport.WriteData(DataWindow.InputBase, input);
            transport.WriteRegister(Reg.Opcode, (uint)opcode);
            transport.WriteRegister(Reg.Count, count);
            transport.WriteRegister(Reg.Arity, arity);
            transport.WriteRegister(Reg.InputBytes, (uint)input.Length);
            transport.WriteRegister(Reg.Control, (uint)BoardControl.Start);
            bool ready;
            try
            {
                ready = transport.WaitReady(options.JobTimeout, ct);
            }
            catch (OperationCanceledException)
            {
                Recover($"{opcode} job cancelled by the caller");
                throw;
            }
            var status = (BoardStatus)transport.ReadRegister(Reg.Status);
            if (!ready)
            {
                if ((status & BoardStatus.Done) == 0)
                {
                    Hangs++;
                    string dump = DumpRegisters();
                    logger.LogError("{Link}: {Opcode} job of {Count} gave no ready signal within {Timeout} ms; resetting. Registers: {Registers}",
                        transport.Name, opcode, count, options.JobTimeout.TotalMilliseconds, dump);
                    Recover($"{opcode} job hung");
                    throw new BoardTimeoutException($"{transport.Name}: {opcode} job of {count} did not finish within {options.JobTimeout.TotalMilliseconds:0} ms; board reset. Registers: {dump}");
                }
                LostReadySignals++;
                logger.LogWarning("{Link}: ready signal lost although STATUS shows DONE; using the result. Registers: {Registers}", transport.Name, DumpRegisters());
            }
            if ((status & BoardStatus.Error) != 0)
            {
                var code = (BoardError)transport.ReadRegister(Reg.ErrorCode);
                string dump = DumpRegisters();
                logger.LogError("{Link}: {Opcode} job of {Count} failed with {Error}. Registers: {Registers}", transport.Name, opcode, count, code, dump);
                Acknowledge();
                string msg = $"{transport.Name}: {opcode} job of {count} failed with {code}. Registers: {dump}";
                if (code == BoardError.OverTemperature) throw new BoardOverTemperatureException(msg);
                throw new BoardJobException(code, msg);
            }
            uint produced = transport.ReadRegister(Reg.OutputBytes);
            if (produced != outputBytes)
            {
                string dump = DumpRegisters();
                logger.LogError("{Link}: {Opcode} job produced {Produced} bytes, expected {Expected}. Registers: {Registers}", transport.Name, opcode, produced, outputBytes, dump);
                Acknowledge();
                throw new BoardException($"{transport.Name}: {opcode} job produced {produced} bytes, expected {outputBytes}. Registers: {dump}");
            }
            var result = new byte[outputBytes];
            transport.ReadData(DataWindow.OutputBase, result);
            Acknowledge();
            return result;
        }
    }

    /// <summary>Every readable register as NAME=value, for logs; a register that cannot be read says why.</summary>
    public string DumpRegisters()
    {
        var sb = new StringBuilder();
        foreach (var r in Reg.All)
        {
            if (r.Access == RegisterAccess.WriteOnly) continue;
            if (sb.Length > 0) sb.Append(' ');
            try
            {
                sb.Append(r.Name).Append("=0x").Append(transport.ReadRegister(r.Address).ToString("X8"));
            }
            catch (Exception ex) when (ex is BoardException or IOException)
            {
                sb.Append(r.Name).Append("=<").Append(ex.GetType().Name).Append('>');
            }
        }
        return sb.ToString();
    }

    private void WaitUntilCool(CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        bool logged = false;
        while (true)
        {
            int t = (int)transport.ReadRegister(Reg.Temperature);
            if (t < options.ThrottleMilliCelsius)
            {
                if (logged) logger.LogInformation("{Link}: die cooled to {Temp} m°C after {Ms} ms; resuming", transport.Name, t, waited.ElapsedMilliseconds);
                return;
            }
            if (!logged)
            {
                ThermalHolds++;
                logger.LogWarning("{Link}: die at {Temp} m°C, at or above the {Limit} m°C throttle point; holding jobs", transport.Name, t, options.ThrottleMilliCelsius);
                logged = true;
            }
            if (waited.Elapsed >= options.ThrottleWait)
            {
                ThermalRefusals++;
                string dump = DumpRegisters();
                logger.LogError("{Link}: die still at {Temp} m°C after {Ms} ms; refusing the job. Registers: {Registers}", transport.Name, t, waited.ElapsedMilliseconds, dump);
                throw new BoardOverTemperatureException($"{transport.Name}: die at {t} m°C did not cool below {options.ThrottleMilliCelsius} m°C within {options.ThrottleWait.TotalMilliseconds:0} ms. Registers: {dump}");
            }
            ct.WaitHandle.WaitOne(options.ThrottlePoll);
            ct.ThrowIfCancellationRequested();
        }
    }

    private void Acknowledge()
    {
        transport.WriteRegister(Reg.IrqStatus, (uint)(IrqBits.Done | IrqBits.Error));
        transport.WriteRegister(Reg.Control, (uint)BoardControl.ClearDone);
    }

    private void Recover(string why)
    {
        Resets++;
        logger.LogWarning("{Link}: resetting the board ({Why})", transport.Name, why);
        transport.HardReset();
        Initialise();
    }

    private void Refuse(string why)
    {
        string dump = DumpRegisters();
        logger.LogError("{Link}: refusing the board: {Why}. Registers: {Registers}", transport.Name, why, dump);
        throw new IncompatibleBoardException($"{transport.Name}: {why}. Registers: {dump}");
    }

    public void Dispose() => transport.Dispose();
}
