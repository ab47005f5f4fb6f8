using System.Numerics;
using CsCheck;

namespace Validium.Crypto.Tests;

public class EdDsaPoseidonTests
{
    public static TheoryData<int> KeyVectors => CircomlibVectors.Indices("prv2pub");
    public static TheoryData<int> SignatureVectors => CircomlibVectors.Indices("signPoseidon");

    [Theory]
    [MemberData(nameof(KeyVectors))]
    public void Public_key_matches_circomlibjs_prv2pub(int index)
    {
        var v = CircomlibVectors.Item("prv2pub", index);
        var a = EdDsaPoseidon.PrivateToPublic(v.Hex("privateKey"));
        Assert.Equal(new BabyJubjubPoint(v.Fr("ax"), v.Fr("ay")), a);
        Assert.Equal(v.Hex("packed"), BabyJubjub.Pack(a));
        Assert.True(BabyJubjub.IsInSubgroup(a));
    }

    [Theory]
    [MemberData(nameof(SignatureVectors))]
    public void Signature_matches_circomlibjs_signPoseidon_and_verifies(int index)
    {
        var v = CircomlibVectors.Item("signPoseidon", index);
        var key = v.Hex("privateKey");
        var msg = v.Fr("message");
        var sig = EdDsaPoseidon.Sign(key, msg);
        Assert.Equal(new BabyJubjubPoint(v.Fr("r8x"), v.Fr("r8y")), sig.R8);
        Assert.Equal(BigInteger.Parse(v.Str("s")), sig.S);
        Assert.Equal(v.Hex("packed"), sig.Pack());
        Assert.True(EdDsaSignature.TryUnpack(v.Hex("packed"), out var unpacked));
        Assert.Equal(sig, unpacked);
        Assert.True(EdDsaPoseidon.Verify(msg, sig, EdDsaPoseidon.PrivateToPublic(key)));
    }

    [Fact]
    public void Sign_then_verify_round_trips()
    {
        Gen.Select(Gen.Byte.Array[32], GenFr.Any).Sample((key, msg) =>
            EdDsaPoseidon.Verify(msg, EdDsaPoseidon.Sign(key, msg), EdDsaPoseidon.PrivateToPublic(key)), iter: 10);
    }

    [Fact]
    public void Verification_rejects_forgeries()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var otherKey = Enumerable.Range(2, 32).Select(i => (byte)i).ToArray();
        Fr msg = 123456789;
        var a = EdDsaPoseidon.PrivateToPublic(key);
        var sig = EdDsaPoseidon.Sign(key, msg);
        var l = BabyJubjub.SubgroupOrder;
        Assert.True(EdDsaPoseidon.Verify(msg, sig, a));

        Assert.False(EdDsaPoseidon.Verify(msg + Fr.One, sig, a));
        Assert.False(EdDsaPoseidon.Verify(msg, sig, EdDsaPoseidon.PrivateToPublic(otherKey)));
        Assert.False(EdDsaPoseidon.Verify(msg, EdDsaPoseidon.Sign(otherKey, msg), a));
        // S + l satisfies the group equation too; only the range check stops this malleability.
        Assert.False(EdDsaPoseidon.Verify(msg, sig with { S = sig.S + l }, a));
        Assert.False(EdDsaPoseidon.Verify(msg, sig with { S = sig.S - l }, a));
        Assert.False(EdDsaPoseidon.Verify(msg, sig with { S = (sig.S + 1) % l }, a));
        Assert.False(EdDsaPoseidon.Verify(msg, sig with { R8 = BabyJubjub.Add(sig.R8, BabyJubjub.Base8) }, a));
        Assert.False(EdDsaPoseidon.Verify(msg, sig with { R8 = new BabyJubjubPoint(sig.R8.X, sig.R8.Y + Fr.One) }, a));
        Assert.False(EdDsaPoseidon.Verify(msg, sig with { R8 = BabyJubjub.Negate(sig.R8) }, a));
        Assert.False(EdDsaPoseidon.Verify(msg, sig, new BabyJubjubPoint(a.X + Fr.One, a.Y)));
    }

    [Fact]
    public void Tampering_with_any_byte_of_a_packed_signature_is_caught()
    {
        var key = new byte[32];
        Fr msg = 42;
        var a = EdDsaPoseidon.PrivateToPublic(key);
        var packed = EdDsaPoseidon.Sign(key, msg).Pack();
        Gen.Int[0, 63].Select(Gen.Byte[1, 255]).Sample((i, flip) =>
        {
            var bad = packed.ToArray();
            bad[i] ^= flip;
            return !EdDsaSignature.TryUnpack(bad, out var sig) || !EdDsaPoseidon.Verify(msg, sig, a);
        }, iter: 30);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(64)]
    public void Keys_must_be_32_bytes(int length)
    {
        Assert.Throws<ArgumentException>(() => EdDsaPoseidon.PrivateToPublic(new byte[length]));
        Assert.Throws<ArgumentException>(() => EdDsaPoseidon.Sign(new byte[length], Fr.One));
    }
}
