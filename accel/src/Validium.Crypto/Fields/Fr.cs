using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Validium.Crypto;

/// <summary>
/// Element of the BN254 scalar field, held in Montgomery form.
/// This file is the template for Fp.g.cs (regenerate with gen-fp.sh); field-specific code lives in Fr.*.cs.
/// </summary>
public readonly partial struct Fr : IField<Fr>
{
    private readonly Limbs4 m;

    private Fr(Limbs4 mont) => m = mont;

    public static Fr Zero => default;
    public static Fr One => new(FrModulus.One);
    public static BigInteger Modulus { get; } = FrModulus.Modulus.ToBigInteger();
    public static int ByteLength => 32;

    /// <summary>The Montgomery limbs (aR mod p): the layout snarkjs files and GPU kernels use.</summary>
    public Limbs4 MontgomeryLimbs => m;

    public bool IsZero => m.IsZero;
    public bool IsOne => m.Equals(FrModulus.One);

    public static Fr FromMontgomery(Limbs4 mont)
    {
        if (!Mont<FrModulus>.IsCanonical(mont)) throw new ArgumentOutOfRangeException(nameof(mont), "Montgomery value is not below the modulus");
        return new Fr(mont);
    }

    public static Fr FromCanonical(Limbs4 value)
    {
        if (!Mont<FrModulus>.IsCanonical(value)) throw new ArgumentOutOfRangeException(nameof(value), "value is not below the Fr modulus");
        return new Fr(Mont<FrModulus>.ToMontgomery(value));
    }

    public Limbs4 ToCanonical() => Mont<FrModulus>.FromMontgomery(m);

    public static Fr FromUInt64(ulong v) => new(Mont<FrModulus>.ToMontgomery(new Limbs4(v, 0, 0, 0)));

    public static implicit operator Fr(ulong v) => FromUInt64(v);

    /// <summary>Any integer, reduced modulo the field (negative values wrap around).</summary>
    public static Fr FromBigInteger(BigInteger v)
    {
        v %= Modulus;
        if (v.Sign < 0) v += Modulus;
        return FromCanonical(Limbs4.FromBigInteger(v));
    }

    public BigInteger ToBigInteger() => ToCanonical().ToBigInteger();

    /// <summary>Decimal, or hexadecimal with a 0x prefix; must be below the modulus.</summary>
    public static Fr Parse(string s) => TryParse(s, out var r) ? r : throw new FormatException($"'{s}' is not a field element below the Fr modulus");

    public static bool TryParse(string? s, out Fr result)
    {
        result = default;
        if (string.IsNullOrWhiteSpace(s)) return false;
        s = s.Trim();
        BigInteger v;
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (s.Length == 2 || !BigInteger.TryParse("0" + s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v)) return false;
        }
        else if (s.Length == 0 || !s.All(char.IsAsciiDigit) || !BigInteger.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v)) return false;
        if (v >= Modulus) return false;
        result = FromCanonical(Limbs4.FromBigInteger(v));
        return true;
    }

    public override string ToString() => ToBigInteger().ToString(CultureInfo.InvariantCulture);

    /// <summary>32-byte big-endian canonical encoding (the EVM's).</summary>
    public void WriteBigEndian(Span<byte> dst) => ToCanonical().WriteBigEndian(dst);

    public byte[] ToBigEndianBytes()
    {
        var b = new byte[32];
        WriteBigEndian(b);
        return b;
    }

    /// <summary>Reads a 32-byte big-endian encoding; rejects values at or above the modulus.</summary>
    public static Fr ReadBigEndian(ReadOnlySpan<byte> src) => FromCanonical(Limbs4.ReadBigEndian(src));

    /// <summary>Big-endian bytes of any length, reduced modulo the field.</summary>
    public static Fr FromBytesReduced(ReadOnlySpan<byte> bigEndian) => FromBigInteger(new BigInteger(bigEndian, isUnsigned: true, isBigEndian: true));

    /// <summary>32-byte little-endian Montgomery encoding (snarkjs .zkey/.wtns/.ptau sections).</summary>
    public void WriteLittleEndianMontgomery(Span<byte> dst) => m.WriteLittleEndian(dst);

    public static Fr ReadLittleEndianMontgomery(ReadOnlySpan<byte> src) => FromMontgomery(Limbs4.ReadLittleEndian(src));

    /// <summary>Uniform random element (rejection sampling on 254 bits).</summary>
    public static Fr Random(Func<int, byte[]> randomBytes)
    {
        int bits = Modulus.GetBitLength() is var l ? (int)l : 256;
        while (true)
        {
            var b = randomBytes(32);
            var v = Limbs4.ReadLittleEndian(b);
            v = new Limbs4(v.L0, v.L1, v.L2, v.L3 & (ulong.MaxValue >> (256 - bits)));
            if (Mont<FrModulus>.IsCanonical(v)) return new Fr(Mont<FrModulus>.ToMontgomery(v));
        }
    }

    public static Fr Random(Random rng) => Random(n => { var b = new byte[n]; rng.NextBytes(b); return b; });

    public static Fr RandomSecure() => Random(RandomNumberGenerator.GetBytes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fr operator +(Fr a, Fr b) => new(Mont<FrModulus>.Add(a.m, b.m));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fr operator -(Fr a, Fr b) => new(Mont<FrModulus>.Sub(a.m, b.m));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fr operator -(Fr a) => new(Mont<FrModulus>.Neg(a.m));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fr operator *(Fr a, Fr b) => new(Mont<FrModulus>.Mul(a.m, b.m));

    public static Fr operator /(Fr a, Fr b) => a * b.Inverse();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fr Square() => new(Mont<FrModulus>.Mul(m, m));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fr Double() => new(Mont<FrModulus>.Add(m, m));

    /// <summary>Multiplicative inverse; throws for zero (callers that want 0 -> 0 use BatchInverse).</summary>
    public Fr Inverse()
    {
        if (IsZero) throw new DivideByZeroException("zero has no inverse in Fr");
        return new(Mont<FrModulus>.Inverse(m));
    }

    public Fr InverseVartime()
    {
        if (IsZero) throw new DivideByZeroException("zero has no inverse in Fr");
        return new(VartimeInverse<FrModulus>.Invert(m));
    }

    public Fr Pow(Limbs4 exponent) => new(Mont<FrModulus>.Pow(m, exponent));

    public Fr Pow(ulong exponent) => Pow(new Limbs4(exponent, 0, 0, 0));

    public Fr Pow(BigInteger exponent)
    {
        if (exponent.Sign < 0) return Inverse().Pow(-exponent);
        // Fermat lets the exponent shrink modulo (r - 1) for units only: every positive power of zero is zero.
        if (IsZero) return exponent.IsZero ? One : Zero;
        return Pow(Limbs4.FromBigInteger(exponent % (Modulus - 1)));
    }

    /// <summary>Inverts every element in place with one field inversion (Montgomery's trick); zeros stay zero.</summary>
    public static void BatchInverse(Span<Fr> values) => Field.BatchInverse(values);

    public bool Equals(Fr other) => m.Equals(other.m);
    public override bool Equals(object? obj) => obj is Fr o && Equals(o);
    public override int GetHashCode() => m.GetHashCode();
    public static bool operator ==(Fr a, Fr b) => a.Equals(b);
    public static bool operator !=(Fr a, Fr b) => !a.Equals(b);
}
