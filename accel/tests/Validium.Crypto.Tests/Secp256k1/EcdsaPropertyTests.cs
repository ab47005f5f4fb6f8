using CsCheck;

namespace Validium.Crypto.Tests.Secp256k1;

public class EcdsaPropertyTests
{
    // Any 32 bytes below n and above zero; the rejected sliver has probability ~2^-128.
    private static readonly Gen<Secp256k1PrivateKey> GenKey =
        Gen.Byte.Array[32].Where(b => b.Any(x => x != 0) && new System.Numerics.BigInteger(b, true, true) < Curve.N).Select(b => Secp256k1PrivateKey.FromBytes(b));

    private static readonly Gen<byte[]> GenHash = Gen.Byte.Array[32];

    [Fact]
    public void SignThenRecoverGivesTheSignersAddress()
    {
        Gen.Select(GenKey, GenHash).Sample((key, hash) =>
        {
            var sig = key.Sign(hash);
            return EthereumEcdsa.Recover(hash, sig) == key.Address
                && EthereumEcdsa.Verify(key.PublicKey, hash, sig)
                && EthereumEcdsa.Verify(key.Address, hash, sig);
        }, iter: 50);
    }

    [Fact]
    public void SignaturesAreAlwaysLowSAndDeterministic()
    {
        Gen.Select(GenKey, GenHash).Sample((key, hash) =>
        {
            var sig = key.Sign(hash);
            return sig.S <= Curve.HalfN && sig.S.Sign > 0 && sig.V is 27 or 28 && key.Sign(hash) == sig;
        }, iter: 50);
    }

    [Fact]
    public void EncodingRoundTrips()
    {
        Gen.Select(GenKey, GenHash).Sample((key, hash) =>
        {
            var sig = key.Sign(hash);
            var bytes = sig.ToBytes();
            var withRecoveryId = (byte[])bytes.Clone();
            withRecoveryId[64] -= 27;
            return EcdsaSignature.FromBytes(bytes) == sig
                && EcdsaSignature.FromBytes(withRecoveryId, acceptRecoveryIdAsV: true) == sig
                && Secp256k1PrivateKey.FromBytes(key.ToBytes()).Address == key.Address
                && Secp256k1PublicKey.FromBytes(key.PublicKey.ToBytes()).Equals(key.PublicKey);
        }, iter: 30);
    }

    [Fact]
    public void TamperedHashDoesNotVerify()
    {
        Gen.Select(GenKey, GenHash, Gen.Int[0, 255]).Sample((key, hash, bit) =>
        {
            var sig = key.Sign(hash);
            var tampered = (byte[])hash.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            return !EthereumEcdsa.Verify(key.PublicKey, tampered, sig) && !EthereumEcdsa.Verify(key.Address, tampered, sig);
        }, iter: 50);
    }

    [Fact]
    public void TamperedSignatureDoesNotVerify()
    {
        Gen.Select(GenKey, GenHash, Gen.Int[0, 519]).Sample((key, hash, bit) =>
        {
            var bytes = key.Sign(hash).ToBytes();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            // A flipped bit either leaves the canonical range (rejected on parsing) or names another signature for another key.
            return !EcdsaSignature.TryFromBytes(bytes, out var tampered)
                || (!EthereumEcdsa.Verify(key.PublicKey, hash, tampered) && !EthereumEcdsa.Verify(key.Address, hash, tampered));
        }, iter: 100);
    }

    [Fact]
    public void SignatureByAnotherKeyDoesNotVerify()
    {
        Gen.Select(GenKey, GenKey, GenHash).Where((a, b, _) => a.Address != b.Address).Sample((a, b, hash) =>
            !EthereumEcdsa.Verify(b.PublicKey, hash, a.Sign(hash)) && !EthereumEcdsa.Verify(b.Address, hash, a.Sign(hash)), iter: 30);
    }

    [Fact]
    public void GeneratedKeysAreDistinctAndUsable()
    {
        var a = Secp256k1PrivateKey.Generate();
        var b = Secp256k1PrivateKey.Generate();
        Assert.NotEqual(a.ToBytes(), b.ToBytes());
        var hash = Keccak256.Hash("generated"u8);
        Assert.Equal(a.Address, EthereumEcdsa.Recover(hash, a.Sign(hash)));
    }
}
