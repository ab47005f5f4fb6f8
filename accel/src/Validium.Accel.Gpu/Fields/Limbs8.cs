using System.Runtime.InteropServices;
using Validium.Crypto;

namespace Validium.Accel.Gpu;

/// <summary>
/// A 256-bit value as eight little-endian 32-bit words: the device-side storage of Fp and Fr elements.
/// Kernels use 32-bit words because ILGPU has no portable 64×64→128 multiply; the words of a
/// Montgomery element (R = 2^256) are the same bits as <see cref="Limbs4"/>, so conversion is a reinterpretation.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Limbs8 : IEquatable<Limbs8>
{
    public readonly uint L0, L1, L2, L3, L4, L5, L6, L7;

    public Limbs8(uint l0, uint l1, uint l2, uint l3, uint l4, uint l5, uint l6, uint l7)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4; L5 = l5; L6 = l6; L7 = l7;
    }

    /// <summary>Splits 64-bit words; pure arithmetic so device code can build constants with it.</summary>
    public static Limbs8 FromUInt64(ulong w0, ulong w1, ulong w2, ulong w3) =>
        new((uint)w0, (uint)(w0 >> 32), (uint)w1, (uint)(w1 >> 32), (uint)w2, (uint)(w2 >> 32), (uint)w3, (uint)(w3 >> 32));

    public static Limbs8 FromLimbs4(Limbs4 v) => FromUInt64(v.L0, v.L1, v.L2, v.L3);

    public Limbs4 ToLimbs4() => new(
        L0 | ((ulong)L1 << 32), L2 | ((ulong)L3 << 32), L4 | ((ulong)L5 << 32), L6 | ((ulong)L7 << 32));

    public bool IsZero => (L0 | L1 | L2 | L3 | L4 | L5 | L6 | L7) == 0;

    public static Limbs8 From(Fr v) => FromLimbs4(v.MontgomeryLimbs);

    public static Limbs8 From(Fp v) => FromLimbs4(v.MontgomeryLimbs);

    public Fr ToFr() => Fr.FromMontgomery(ToLimbs4());

    public Fp ToFp() => Fp.FromMontgomery(ToLimbs4());

    public bool Equals(Limbs8 o) =>
        ((L0 ^ o.L0) | (L1 ^ o.L1) | (L2 ^ o.L2) | (L3 ^ o.L3) | (L4 ^ o.L4) | (L5 ^ o.L5) | (L6 ^ o.L6) | (L7 ^ o.L7)) == 0;

    public override bool Equals(object? obj) => obj is Limbs8 o && Equals(o);

    public override int GetHashCode() => ToLimbs4().GetHashCode();

    public override string ToString() => $"0x{L7:x8}{L6:x8}{L5:x8}{L4:x8}{L3:x8}{L2:x8}{L1:x8}{L0:x8}";
}
