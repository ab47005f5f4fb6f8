using System.Runtime.CompilerServices;

namespace Validium.Accel.Gpu;

/// <summary>
/// BN254 base field on the device. The constants are Validium.Crypto's FpModulus split into 32-bit words;
/// N0 is the low word of FpModulus.NegInv (−p^-1 mod 2^64 reduced mod 2^32 is −p^-1 mod 2^32).
/// </summary>
internal static class FpDevice
{
    public const uint N0 = 0xe4866389;

    public static Limbs8 P => Limbs8.FromUInt64(0x3c208c16d87cfd47, 0x97816a916871ca8d, 0xb85045b68181585d, 0x30644e72e131a029);

    /// <summary>R mod p: one in Montgomery form.</summary>
    public static Limbs8 One => Limbs8.FromUInt64(0xd35d438dc58f0d9d, 0x0a78eb28f5c70b3d, 0x666ea36f7879462c, 0x0e0a77c19a07df2f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Add(Limbs8 a, Limbs8 b) => Mont32.Add(a, b, P);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Sub(Limbs8 a, Limbs8 b) => Mont32.Sub(a, b, P);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Mul(Limbs8 a, Limbs8 b) => Mont32.Mul(a, b, P, N0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Square(Limbs8 a) => Mont32.Mul(a, a, P, N0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Double(Limbs8 a) => Mont32.Add(a, a, P);
}

/// <summary>BN254 scalar field on the device; constants from Validium.Crypto's FrModulus.</summary>
internal static class FrDevice
{
    public const uint N0 = 0xefffffff;

    public static Limbs8 P => Limbs8.FromUInt64(0x43e1f593f0000001, 0x2833e84879b97091, 0xb85045b68181585d, 0x30644e72e131a029);

    public static Limbs8 One => Limbs8.FromUInt64(0xac96341c4ffffffb, 0x36fc76959f60cd29, 0x666ea36f7879462e, 0x0e0a77c19a07df2f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Add(Limbs8 a, Limbs8 b) => Mont32.Add(a, b, P);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Sub(Limbs8 a, Limbs8 b) => Mont32.Sub(a, b, P);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Mul(Limbs8 a, Limbs8 b) => Mont32.Mul(a, b, P, N0);

    /// <summary>x^5, the Poseidon S-box over BN254's scalar field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Limbs8 Pow5(Limbs8 x)
    {
        var x2 = Mul(x, x);
        var x4 = Mul(x2, x2);
        return Mul(x4, x);
    }
}
