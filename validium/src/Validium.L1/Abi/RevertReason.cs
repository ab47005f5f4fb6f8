using System.Numerics;

namespace Validium.L1.Abi;

/// <summary>A decoded revert: <see cref="Error"/> is null when the data matched no known error (then only <see cref="Data"/> is known).</summary>
public sealed record RevertReason(AbiError? Error, IReadOnlyList<object?> Arguments, byte[] Data)
{
    public bool IsErrorString => ReferenceEquals(Error, AbiError.ErrorString);
    public bool IsPanic => ReferenceEquals(Error, AbiError.Panic);
    public string? Name => Error?.Name;

    /// <summary>revert("msg") / require(c, "msg") text.</summary>
    public string? Message => IsErrorString ? (string?)Arguments[0] : null;

    public override string ToString() => Error switch
    {
        null when Data.Length == 0 => "reverted without data",
        null => $"reverted with unrecognised data {Hex.Encode(Data)}",
        _ when IsErrorString => $"reverted: \"{Message}\"",
        _ when IsPanic => $"panicked: {PanicDescription((BigInteger)Arguments[0]!)}",
        _ => "reverted with " + AbiFormat.Call(Error.Name, Error.Inputs, Arguments),
    };

    /// <summary>The compiler's meaning of each panic code (Solidity docs, "Panic via assert and Error via require").</summary>
    public static string PanicDescription(BigInteger code) => (int)BigInteger.Min(code, 0x100) switch
    {
        0x00 => "0x00 generic compiler panic",
        0x01 => "0x01 assert failed",
        0x11 => "0x11 arithmetic overflow or underflow",
        0x12 => "0x12 division or modulo by zero",
        0x21 => "0x21 conversion to an enum out of range",
        0x22 => "0x22 incorrectly encoded storage byte array",
        0x31 => "0x31 pop() on an empty array",
        0x32 => "0x32 array index out of bounds",
        0x41 => "0x41 out of memory (allocation too large)",
        0x51 => "0x51 call to a zero-initialised function variable",
        _ => $"0x{code:x2} unknown panic code",
    };
}

/// <summary>A contract call or transaction reverted; <see cref="Reason"/> carries the decoded error.</summary>
public sealed class ContractRevertException(string context, RevertReason reason, Exception? inner = null)
    : Exception($"{context} {reason}", inner)
{
    public RevertReason Reason { get; } = reason;
}
