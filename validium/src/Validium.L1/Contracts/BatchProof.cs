using System.Numerics;
using Validium.Crypto;

namespace Validium.L1.Contracts;

/// <summary>How a batch's Groth16 proof goes to the Validium contract (SPEC.md "Compressed proofs").</summary>
public enum ProofEncoding
{
    /// <summary><c>submitBatch</c> with the <c>Proof</c> struct: 256 bytes, checked as is.</summary>
    Uncompressed,

    /// <summary><c>submitBatchCompressed</c> with <c>uint256[4]</c>: 128 bytes, decompressed on-chain.</summary>
    Compressed,
}

/// <summary>The function and proof argument for submitting a batch, in either encoding.</summary>
public static class BatchProof
{
    /// <summary>
    /// What the node posts unless configured otherwise: the cheaper form, measured on anvil 1.7.1 (bench/RESULTS.md
    /// "Compressed proofs on L1"): submitBatch 336,964 gas against 356,482 compressed under anvil's default hardfork
    /// (Osaka modexp pricing), 345,921 under Prague. The 128 calldata bytes saved are worth 2,048 gas, less than the
    /// decompression's four modexp calls and Fp2 arithmetic.
    /// </summary>
    public const ProofEncoding Default = ProofEncoding.Uncompressed;

    public static string Function(ProofEncoding encoding) => encoding switch
    {
        ProofEncoding.Uncompressed => "submitBatch",
        ProofEncoding.Compressed => "submitBatchCompressed",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "not a proof encoding"),
    };

    /// <summary>
    /// The proof argument as <see cref="Abi.AbiCodec"/> takes it: the <c>Proof</c> tuple (a, b, c in snarkjs calldata
    /// order, G2 imaginary parts first) or the four compressed words.
    /// </summary>
    public static object?[] Argument(G1Affine a, G2Affine b, G1Affine c, ProofEncoding encoding)
    {
        switch (encoding)
        {
            case ProofEncoding.Uncompressed:
                return
                [
                    new object?[] { a.X.ToBigInteger(), a.Y.ToBigInteger() },
                    new object?[]
                    {
                        new object?[] { b.X.C1.ToBigInteger(), b.X.C0.ToBigInteger() },
                        new object?[] { b.Y.C1.ToBigInteger(), b.Y.C0.ToBigInteger() },
                    },
                    new object?[] { c.X.ToBigInteger(), c.Y.ToBigInteger() },
                ];
            case ProofEncoding.Compressed:
                Span<byte> bytes = stackalloc byte[128];
                a.WriteCompressed(bytes);
                b.WriteCompressed(bytes[32..]);
                c.WriteCompressed(bytes[96..]);
                var words = new object?[4];
                for (int i = 0; i < 4; i++) words[i] = new BigInteger(bytes.Slice(32 * i, 32), isUnsigned: true, isBigEndian: true);
                return words;
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "not a proof encoding");
        }
    }

    /// <summary>"uncompressed" or "compressed" (a CLI option or configuration value); anything else is refused by name.</summary>
    public static ProofEncoding Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "uncompressed" => ProofEncoding.Uncompressed,
        "compressed" => ProofEncoding.Compressed,
        _ => throw new FormatException($"'{value}' is not a proof encoding: use uncompressed or compressed"),
    };
}
