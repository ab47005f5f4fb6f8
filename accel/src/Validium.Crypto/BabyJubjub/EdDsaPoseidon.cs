using System.Numerics;
using System.Security.Cryptography;
using Validium.Crypto.Hashing;

namespace Validium.Crypto;

/// <summary>
/// EdDSA over BabyJubjub with a Poseidon challenge, as circomlibjs' eddsa.prv2pub / signPoseidon / verifyPoseidon
/// (and circomlib's EdDSAPoseidonVerifier circuit) define it:
/// h = BLAKE-512(key); s = prune(h[0..32]); A = (s >> 3) * Base8;
/// r = BLAKE-512(h[32..64] || msg) mod l; R8 = r * Base8; S = r + Poseidon(R8, A, msg) * s mod l;
/// valid when S * Base8 = R8 + 8 * Poseidon(R8, A, msg) * A.
/// </summary>
public static class EdDsaPoseidon
{
    public const int PrivateKeyLength = 32;

    public static BabyJubjubPoint PrivateToPublic(ReadOnlySpan<byte> privateKey)
    {
        Span<byte> h = stackalloc byte[Blake512.HashSizeBytes];
        try
        {
            ExpandKey(privateKey, h);
            return PublicFromExpanded(h);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(h);
        }
    }

    public static EdDsaSignature Sign(ReadOnlySpan<byte> privateKey, Fr message)
    {
        Span<byte> h = stackalloc byte[Blake512.HashSizeBytes];
        Span<byte> nonceInput = stackalloc byte[64];
        Span<byte> nonceHash = stackalloc byte[Blake512.HashSizeBytes];
        try
        {
            ExpandKey(privateKey, h);
            var a = PublicFromExpanded(h);

            h[32..].CopyTo(nonceInput);
            message.ToCanonical().WriteLittleEndian(nonceInput[32..]);
            Blake512.Hash(nonceInput, nonceHash);
            var r = new BigInteger(nonceHash, isUnsigned: true, isBigEndian: false) % BabyJubjub.SubgroupOrder;
            var r8 = BabyJubjub.MultiplyFixedWindow(ExtendedPoint.FromAffine(BabyJubjub.Base8), Limbs4.FromBigInteger(r)).ToAffine();

            var hm = Challenge(r8, a, message);
            var s = new BigInteger(h[..32], isUnsigned: true, isBigEndian: false);
            return new EdDsaSignature(r8, (r + hm * s) % BabyJubjub.SubgroupOrder);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(h);
            CryptographicOperations.ZeroMemory(nonceInput);
            CryptographicOperations.ZeroMemory(nonceHash);
        }
    }

    /// <summary>
    /// Same acceptance rule as circomlibjs verifyPoseidon: R8 and A on the curve, 0 ≤ S &lt; l, and the group equation.
    /// Like circomlibjs it does not demand that R8 or A lie in the prime-order subgroup. Runs in variable time
    /// (every input is public): see <see cref="EdDsaVerifier"/>.
    /// </summary>
    public static bool Verify(Fr message, EdDsaSignature signature, BabyJubjubPoint publicKey) =>
        EdDsaVerifier.Verify(message, signature, publicKey);

    /// <summary>
    /// valid[i] = Verify(messages[i], signatures[i], publicKeys[i]) for every i: eight signatures at a time in AVX-512
    /// lanes (<see cref="EdDsaBatchVerifier"/>) where the CPU has them, otherwise one at a time, since the lanes'
    /// fixed windows on the scalar fallback cost more than the single verify's NAF. The answers are the same.
    /// </summary>
    public static void VerifyBatch(ReadOnlySpan<Fr> messages, ReadOnlySpan<EdDsaSignature> signatures, ReadOnlySpan<BabyJubjubPoint> publicKeys, Span<bool> valid)
    {
        if (signatures.Length != messages.Length || publicKeys.Length != messages.Length || valid.Length != messages.Length)
            throw new ArgumentException($"{messages.Length} messages need as many signatures, keys and results " +
                $"(got {signatures.Length}, {publicKeys.Length}, {valid.Length})", nameof(valid));
        if (FieldVec8.IsAccelerated) EdDsaBatchVerifier.Verify(messages, signatures, publicKeys, valid);
        else
            for (int i = 0; i < messages.Length; i++) valid[i] = EdDsaVerifier.Verify(messages[i], signatures[i], publicKeys[i]);
    }

    /// <summary>
    /// The acceptance rule written as plainly as circomlibjs writes it (two scalar multiplications and an affine
    /// comparison): the oracle the fast verifiers are tested against.
    /// </summary>
    internal static bool VerifyReference(Fr message, EdDsaSignature signature, BabyJubjubPoint publicKey)
    {
        if (!signature.R8.IsOnCurve || !publicKey.IsOnCurve) return false;
        if (signature.S.Sign < 0 || signature.S >= BabyJubjub.SubgroupOrder) return false;
        var hm = Challenge(signature.R8, publicKey, message);
        var left = BabyJubjub.MultiplyBase8(signature.S);
        var right = BabyJubjub.Add(signature.R8, BabyJubjub.Multiply(publicKey, hm * 8));
        return left == right;
    }

    private static void ExpandKey(ReadOnlySpan<byte> privateKey, Span<byte> h)
    {
        if (privateKey.Length != PrivateKeyLength)
            throw new ArgumentException($"a private key is {PrivateKeyLength} bytes", nameof(privateKey));
        Blake512.Hash(privateKey, h);
        // Ed25519-style clamping: a multiple of 8 (clears the cofactor) with bit 254 set.
        h[0] &= 0xf8;
        h[31] &= 0x7f;
        h[31] |= 0x40;
    }

    private static BabyJubjubPoint PublicFromExpanded(ReadOnlySpan<byte> h)
    {
        var s = Limbs4.ReadLittleEndian(h);
        var sDiv8 = new Limbs4((s.L0 >> 3) | (s.L1 << 61), (s.L1 >> 3) | (s.L2 << 61), (s.L2 >> 3) | (s.L3 << 61), s.L3 >> 3);
        return BabyJubjub.MultiplyFixedWindow(ExtendedPoint.FromAffine(BabyJubjub.Base8), sDiv8).ToAffine();
    }

    private static BigInteger Challenge(BabyJubjubPoint r8, BabyJubjubPoint a, Fr message) =>
        Poseidon.Hash([r8.X, r8.Y, a.X, a.Y, message]).ToBigInteger();
}
