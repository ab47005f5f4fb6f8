using CsCheck;
using Validium.Crypto;
using Validium.Proving.Groth16;

namespace Validium.Proving.Tests;

/// <summary>
/// Proof.ToCompressed / FromCompressed (128 bytes) and the 256-byte EIP-196/197 form. The point encodings themselves
/// are checked against ffjavascript in Validium.Crypto.Tests (CompressionTests) and, for whole proofs, on anvil
/// against ffjavascript and the contract's decompression (Validium.Contracts.Tests, compressed.mjs).
/// </summary>
public class ProofEncodingTests
{
    private static readonly Gen<Fr> Scalar = Gen.Byte.Array[32].Select(b => Fr.FromBytesReduced(b));

    private static readonly Gen<Proof> RandomProof =
        Gen.Select(Scalar, Scalar, Scalar, (a, b, c) => new Proof(G1Affine.Generator * a, G2Affine.Generator * b, G1Affine.Generator * c));

    [Fact]
    public void RoundTripsInBothForms() => RandomProof.Sample(p =>
    {
        var compressed = p.ToCompressed();
        Assert.Equal(Proof.CompressedSize, compressed.Length);
        Assert.Equal([.. p.A.ToCompressed(), .. p.B.ToCompressed(), .. p.C.ToCompressed()], compressed);
        Assert.Equal(p, Proof.FromCompressed(compressed));
        var uncompressed = p.ToUncompressed();
        Assert.Equal([.. p.A.ToUncompressed(), .. p.B.ToUncompressed(), .. p.C.ToUncompressed()], uncompressed);
        Assert.Equal(p, Proof.FromUncompressed(uncompressed));
    }, iter: 30);

    [Fact]
    public void WrongLengthsAreRejected() => Gen.Int[0, 300].Sample(n =>
    {
        if (n != Proof.CompressedSize) Assert.Throws<FormatException>(() => Proof.FromCompressed(new byte[n]));
        if (n != Proof.UncompressedSize) Assert.Throws<FormatException>(() => Proof.FromUncompressed(new byte[n]));
    });

    [Fact]
    public void AMalformedElementIsNamed() => Gen.Select(RandomProof, Gen.Int[0, 2]).Sample((p, element) =>
    {
        var b = p.ToCompressed();
        // Both flags set: never a canonical encoding, whichever point it is.
        int offset = element switch { 0 => 0, 1 => 32, _ => 96 };
        b[offset] |= 0xc0;
        var e = Assert.Throws<FormatException>(() => Proof.FromCompressed(b));
        Assert.StartsWith(new[] { "π_A", "π_B", "π_C" }[element] + ":", e.Message);
    }, iter: 30);

    [Fact]
    public void BOutsideG2IsRejected()
    {
        // The first twist point from x = 1 + u upwards: the twist's cofactor is about p, so it is not in G2 (such points
        // are cross-checked with ffjavascript in Validium.Crypto.Tests).
        var x = new Fp2(Fp.One, Fp.One);
        while (!(x.Square() * x + G2Jacobian.B).TrySqrt(out _)) x += Fp2.One;
        var b = G1Affine.Generator.ToCompressed().Concat(new byte[64]).Concat(G1Affine.Generator.ToCompressed()).ToArray();
        x.C1.WriteBigEndian(b.AsSpan(32));
        x.C0.WriteBigEndian(b.AsSpan(64));
        Assert.Contains("not in G2", Assert.Throws<FormatException>(() => Proof.FromCompressed(b)).Message);
    }
}
