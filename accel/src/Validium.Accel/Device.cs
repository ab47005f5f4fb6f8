namespace Validium.Accel;

public enum DeviceKind
{
    Cpu,
    Gpu,
    Fpga,
}

/// <summary>A device is a plain value: which kind, which one of that kind, and a name for people.</summary>
public readonly record struct Device(DeviceKind Kind, int Index, string Name)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Index} ({Name})";
}

/// <summary>The operations a backend may implement.</summary>
public enum AccelOp
{
    MsmG1,
    MsmG2,
    Ntt,
    PoseidonBatch,
    MerkleLayer,
    KeccakBatch,
}

/// <summary>What a device can do; sizes are upper bounds the dispatcher respects before calling.</summary>
public sealed record DeviceCapabilities(IReadOnlySet<AccelOp> Ops, int MaxMsmSize, int MaxNttLog, int MaxPoseidonArity, string Details)
{
    public bool Supports(AccelOp op) => Ops.Contains(op);
}

/// <summary>Direction and domain of an NTT. Forward maps coefficients to evaluations at shift·ω^i.</summary>
public readonly record struct NttOptions(bool Inverse = false, Validium.Crypto.Fr? CosetShift = null)
{
    public static NttOptions Forward => new(false, null);
    public static NttOptions InverseTransform => new(true, null);
}
