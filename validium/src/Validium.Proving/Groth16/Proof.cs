using Validium.Crypto;

namespace Validium.Proving.Groth16;

/// <summary>A Groth16 proof: π_A ∈ G1, π_B ∈ G2, π_C ∈ G1.</summary>
public sealed record Proof(G1Affine A, G2Affine B, G1Affine C)
{
    public const int CompressedSize = 128;
    public const int UncompressedSize = 256;

    /// <summary>
    /// 128 bytes, the form proofs travel and are stored in: A (32) ‖ B (64) ‖ C (32), each point compressed as
    /// <see cref="G1Affine.WriteCompressed"/> / <see cref="G2Affine.WriteCompressed"/> write it (SPEC.md
    /// "Compressed proofs"). Read as four big-endian words, it is the <c>uint256[4]</c> submitBatchCompressed takes.
    /// </summary>
    public byte[] ToCompressed()
    {
        var b = new byte[CompressedSize];
        A.WriteCompressed(b);
        B.WriteCompressed(b.AsSpan(32));
        C.WriteCompressed(b.AsSpan(96));
        return b;
    }

    /// <summary>
    /// Inverse of <see cref="ToCompressed"/>: accepts only canonical encodings of points on their curves, B in G2;
    /// a <see cref="FormatException"/> names the element that is not.
    /// </summary>
    public static Proof FromCompressed(ReadOnlySpan<byte> src)
    {
        if (src.Length != CompressedSize) throw new FormatException($"a compressed Groth16 proof is {CompressedSize} bytes, got {src.Length}");
        return new Proof(
            Element("π_A", G1Affine.ReadCompressed, src[..32]),
            Element("π_B", G2Affine.ReadCompressed, src[32..96]),
            Element("π_C", G1Affine.ReadCompressed, src[96..]));
    }

    /// <summary>256 bytes: A, B, C in the EIP-196/197 encodings, what submitBatch's <c>Proof</c> struct carries.</summary>
    public byte[] ToUncompressed()
    {
        var b = new byte[UncompressedSize];
        A.WriteUncompressed(b);
        B.WriteUncompressed(b.AsSpan(64));
        C.WriteUncompressed(b.AsSpan(192));
        return b;
    }

    public static Proof FromUncompressed(ReadOnlySpan<byte> src)
    {
        if (src.Length != UncompressedSize) throw new FormatException($"an uncompressed Groth16 proof is {UncompressedSize} bytes, got {src.Length}");
        return new Proof(
            Element("π_A", G1Affine.ReadUncompressed, src[..64]),
            Element("π_B", G2Affine.ReadUncompressed, src[64..192]),
            Element("π_C", G1Affine.ReadUncompressed, src[192..]));
    }

    private delegate T Reader<out T>(ReadOnlySpan<byte> src);

    private static T Element<T>(string name, Reader<T> read, ReadOnlySpan<byte> src)
    {
        try
        {
            return read(src);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{name}: {e.Message}", e);
        }
    }
}
