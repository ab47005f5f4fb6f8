using CsCheck;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Contracts;

namespace Validium.L1.Tests;

/// <summary>
/// The proof argument of submitBatch / submitBatchCompressed. Both are static ABI types, so their encodings must be
/// exactly the EIP-196/197 point encodings (256 bytes) and the 128-byte compressed proof; the contract side of the
/// compressed form is tested on anvil in Validium.Contracts.Tests (compressed.mjs).
/// </summary>
public class BatchProofTests
{
    private static readonly Gen<Fr> Scalar = Gen.Byte.Array[32].Select(b => Fr.FromBytesReduced(b));

    [Fact]
    public void ArgumentsEncodeToThePointEncodings() =>
        Gen.Select(Scalar, Scalar, Scalar).Sample((x, y, z) =>
        {
            var (a, b, c) = (G1Affine.Generator * x, G2Affine.Generator * y, G1Affine.Generator * z);
            var proofType = AbiType.Parse("(uint256[2],uint256[2][2],uint256[2])");
            Assert.Equal([.. a.ToUncompressed(), .. b.ToUncompressed(), .. c.ToUncompressed()],
                AbiCodec.Encode(proofType, BatchProof.Argument(a, b, c, ProofEncoding.Uncompressed)));
            Assert.Equal([.. a.ToCompressed(), .. b.ToCompressed(), .. c.ToCompressed()],
                AbiCodec.Encode(AbiType.Parse("uint256[4]"), BatchProof.Argument(a, b, c, ProofEncoding.Compressed)));
        }, iter: 20);

    [Fact]
    public void DefaultIsTheMeasuredCheaperFormAndNamesParse()
    {
        Assert.Equal(ProofEncoding.Uncompressed, BatchProof.Default);
        Assert.Equal("submitBatch", BatchProof.Function(ProofEncoding.Uncompressed));
        Assert.Equal("submitBatchCompressed", BatchProof.Function(ProofEncoding.Compressed));
        Assert.Equal(ProofEncoding.Compressed, BatchProof.Parse(" Compressed"));
        Assert.Equal(ProofEncoding.Uncompressed, BatchProof.Parse("uncompressed"));
        Assert.Contains("not a proof encoding", Assert.Throws<FormatException>(() => BatchProof.Parse("packed")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchProof.Function((ProofEncoding)7));
    }
}
