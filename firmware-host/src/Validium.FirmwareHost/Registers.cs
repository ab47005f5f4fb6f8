namespace Validium.FirmwareHost;

public enum RegisterAccess
{
    ReadOnly,
    ReadWrite,
    WriteOnly,
    WriteOneToClear,
}

/// <summary>One 32-bit register of the accelerator board; addresses are byte offsets in the register window.</summary>
public sealed record RegisterDef(string Name, uint Address, RegisterAccess Access, string Description);

/// <summary>
/// The register map of the MSM/Poseidon accelerator board, version 1. hardware.md documents the same table;
/// a test reads it from there and compares, so the two cannot drift apart.
/// </summary>
public static class Reg
{
    public const uint Id = 0x000;
    public const uint Version = 0x004;
    public const uint Capabilities = 0x008;
    public const uint MaxMsmLog = 0x00C;
    public const uint MaxPoseidonArity = 0x010;
    public const uint Status = 0x014;
    public const uint Control = 0x018;
    public const uint IrqEnable = 0x01C;
    public const uint IrqStatus = 0x020;
    public const uint ErrorCode = 0x024;
    public const uint Opcode = 0x028;
    public const uint Count = 0x02C;
    public const uint Arity = 0x030;
    public const uint InputBytes = 0x034;
    public const uint OutputBytes = 0x038;
    public const uint Temperature = 0x03C;
    public const uint ThermalLimit = 0x040;
    public const uint VccInt = 0x044;
    public const uint VccAux = 0x048;
    public const uint JobId = 0x04C;
    public const uint Scratch = 0x050;

    /// <summary>Size of the register window in bytes (registers and reserved space).</summary>
    public const uint WindowBytes = 0x1000;

    public static readonly IReadOnlyList<RegisterDef> All =
    [
        new("ID", Id, RegisterAccess.ReadOnly, "Board identity, always 0x56414343 ('VACC')"),
        new("VERSION", Version, RegisterAccess.ReadOnly, "Firmware version: major << 16 | minor << 8 | patch"),
        new("CAPABILITIES", Capabilities, RegisterAccess.ReadOnly, "Bit 0: G1 MSM engine; bit 1: Poseidon engine"),
        new("MAX_MSM_LOG", MaxMsmLog, RegisterAccess.ReadOnly, "log2 of the largest MSM the engine accepts"),
        new("MAX_POSEIDON_ARITY", MaxPoseidonArity, RegisterAccess.ReadOnly, "Largest Poseidon arity (inputs per hash)"),
        new("STATUS", Status, RegisterAccess.ReadOnly, "Bit 0 IDLE, bit 1 BUSY, bit 2 DONE, bit 3 ERROR, bit 4 THROTTLED"),
        new("CONTROL", Control, RegisterAccess.WriteOnly, "Bit 0 START, bit 1 SOFT_RESET, bit 2 CLEAR_DONE"),
        new("IRQ_ENABLE", IrqEnable, RegisterAccess.ReadWrite, "Bit 0 raise READY on DONE, bit 1 raise READY on ERROR"),
        new("IRQ_STATUS", IrqStatus, RegisterAccess.WriteOneToClear, "Latched DONE (bit 0) and ERROR (bit 1) events"),
        new("ERROR_CODE", ErrorCode, RegisterAccess.ReadOnly, "Why the last job failed (see error codes)"),
        new("OPCODE", Opcode, RegisterAccess.ReadWrite, "Job kind: 1 MSM_G1, 2 POSEIDON_BATCH"),
        new("COUNT", Count, RegisterAccess.ReadWrite, "MSM: number of points; Poseidon: number of hashes"),
        new("ARITY", Arity, RegisterAccess.ReadWrite, "Poseidon inputs per hash (ignored for MSM)"),
        new("INPUT_BYTES", InputBytes, RegisterAccess.ReadWrite, "Bytes the host wrote to the input window for this job"),
        new("OUTPUT_BYTES", OutputBytes, RegisterAccess.ReadOnly, "Bytes of result in the output window"),
        new("TEMPERATURE", Temperature, RegisterAccess.ReadOnly, "Die temperature in milli-degrees Celsius"),
        new("THERMAL_LIMIT", ThermalLimit, RegisterAccess.ReadWrite, "Die temperature (m°C) at or above which START is refused"),
        new("VCCINT", VccInt, RegisterAccess.ReadOnly, "Core supply in millivolts"),
        new("VCCAUX", VccAux, RegisterAccess.ReadOnly, "Auxiliary supply in millivolts"),
        new("JOB_ID", JobId, RegisterAccess.ReadOnly, "Count of jobs finished since reset"),
        new("SCRATCH", Scratch, RegisterAccess.ReadWrite, "Free register for link tests"),
    ];

    public static string NameOf(uint address) => All.FirstOrDefault(r => r.Address == address)?.Name ?? $"0x{address:X3}";
}

/// <summary>The two data windows, addressed the same way over SPI data frames and over XDMA streams.</summary>
public static class DataWindow
{
    public const uint InputBase = 0x1000_0000;
    public const uint InputBytes = 0x0100_0000;
    public const uint OutputBase = 0x2000_0000;
    public const uint OutputBytes = 0x0010_0000;
}

public static class BoardConstants
{
    public const uint IdValue = 0x5641_4343;
    public const int SupportedMajor = 1;
    public const int MinimumMinor = 2;

    public static uint PackVersion(int major, int minor, int patch) => (uint)(major << 16 | minor << 8 | patch);

    public static string FormatVersion(uint v) => $"{v >> 16}.{(v >> 8) & 0xFF}.{v & 0xFF}";
}

[Flags]
public enum BoardStatus : uint
{
    None = 0,
    Idle = 1 << 0,
    Busy = 1 << 1,
    Done = 1 << 2,
    Error = 1 << 3,
    Throttled = 1 << 4,
}

[Flags]
public enum BoardControl : uint
{
    None = 0,
    Start = 1 << 0,
    SoftReset = 1 << 1,
    ClearDone = 1 << 2,
}

[Flags]
public enum BoardCapabilities : uint
{
    None = 0,
    MsmG1 = 1 << 0,
    Poseidon = 1 << 1,
}

[Flags]
public enum IrqBits : uint
{
    None = 0,
    Done = 1 << 0,
    Error = 1 << 1,
}

public enum BoardOpcode : uint
{
    None = 0,
    MsmG1 = 1,
    PoseidonBatch = 2,
}

/// <summary>Values of ERROR_CODE.</summary>
public enum BoardError : uint
{
    None = 0,
    BadOpcode = 1,
    BadCount = 2,
    BadArity = 3,
    InputLengthMismatch = 4,
    OverTemperature = 5,
    MalformedInput = 6,
}
