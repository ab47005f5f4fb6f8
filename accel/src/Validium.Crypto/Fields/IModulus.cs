using System.Runtime.CompilerServices;

namespace Validium.Crypto;

/// <summary>
/// Constants of a 4-limb Montgomery field. Implemented by empty structs so the JIT specialises
/// <see cref="Mont{TP}"/> per field and folds every constant into the instruction stream.
/// </summary>
public interface IModulus
{
    static abstract Limbs4 Modulus { get; }

    /// <summary>-p^-1 mod 2^64.</summary>
    static abstract ulong NegInv { get; }

    /// <summary>R = 2^256 mod p: the Montgomery form of one.</summary>
    static abstract Limbs4 One { get; }

    /// <summary>R^2 mod p: multiplying by it converts into Montgomery form.</summary>
    static abstract Limbs4 R2 { get; }
}

/// <summary>BN254 base field modulus p.</summary>
public readonly struct FpModulus : IModulus
{
    public static Limbs4 Modulus { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(0x3c208c16d87cfd47, 0x97816a916871ca8d, 0xb85045b68181585d, 0x30644e72e131a029); }
    public static ulong NegInv { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 0x87d20782e4866389; }
    public static Limbs4 One { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(0xd35d438dc58f0d9d, 0x0a78eb28f5c70b3d, 0x666ea36f7879462c, 0x0e0a77c19a07df2f); }
    public static Limbs4 R2 { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(0xf32cfc5b538afa89, 0xb5e71911d44501fb, 0x47ab1eff0a417ff6, 0x06d89f71cab8351f); }
}

/// <summary>BN254 scalar field modulus r (the group order).</summary>
public readonly struct FrModulus : IModulus
{
    public static Limbs4 Modulus { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(0x43e1f593f0000001, 0x2833e84879b97091, 0xb85045b68181585d, 0x30644e72e131a029); }
    public static ulong NegInv { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 0xc2e1f593efffffff; }
    public static Limbs4 One { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(0xac96341c4ffffffb, 0x36fc76959f60cd29, 0x666ea36f7879462e, 0x0e0a77c19a07df2f); }
    public static Limbs4 R2 { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(0x1bb8e645ae216da7, 0x53fe3ab1e35c59e3, 0x8c49833d53bb8085, 0x0216d0b17f4e44a5); }
}
