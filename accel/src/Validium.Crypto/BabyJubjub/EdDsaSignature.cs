using System.Numerics;

namespace Validium.Crypto;

/// <summary>An EdDSA-over-BabyJubjub signature: the nonce point R8 and the scalar S (below the subgroup order when valid).</summary>
public readonly record struct EdDsaSignature(BabyJubjubPoint R8, BigInteger S)
{
    public const int PackedLength = 64;

    /// <summary>circomlibjs packSignature: packed R8, then S as 32 little-endian bytes.</summary>
    public byte[] Pack()
    {
        if (S.Sign < 0 || S.GetBitLength() > 256) throw new InvalidOperationException("S does not fit in 32 bytes");
        var buffer = new byte[PackedLength];
        BabyJubjub.Pack(R8, buffer);
        S.TryWriteBytes(buffer.AsSpan(32), out _, isUnsigned: true, isBigEndian: false);
        return buffer;
    }

    /// <summary>circomlibjs unpackSignature; fails when R8 does not unpack. S is range-checked by verification.</summary>
    public static bool TryUnpack(ReadOnlySpan<byte> packed, out EdDsaSignature signature)
    {
        signature = default;
        if (packed.Length != PackedLength || !BabyJubjub.TryUnpack(packed[..32], out var r8)) return false;
        signature = new EdDsaSignature(r8, new BigInteger(packed[32..], isUnsigned: true, isBigEndian: false));
        return true;
    }
}
