using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Validium.Crypto;
using Validium.L1;

namespace Validium.DaCommittee.Client;

public sealed record SignerSignature(EthereumAddress Signer, EcdsaSignature Signature);

/// <summary>
/// k-of-n member signatures over one batch's SPEC digest, ordered by signer address (strictly ascending), which is how
/// submitBatch and checkAttestation take them: an <c>EcdsaSignature[]</c> of (uint8 v, bytes32 r, bytes32 s).
/// </summary>
public sealed record AttestationBundle
{
    public AttestationBundle(ulong batchNumber, Fr commitment, byte[] digest, IEnumerable<SignerSignature> signatures)
    {
        BatchNumber = batchNumber;
        Commitment = commitment;
        Digest = digest;
        Signatures = signatures.OrderBy(s => new BigInteger(s.Signer.ToBytes(), isUnsigned: true, isBigEndian: true)).ToArray();
        for (int i = 1; i < Signatures.Count; i++)
            if (Signatures[i].Signer == Signatures[i - 1].Signer) throw new ArgumentException($"signer {Signatures[i].Signer} appears twice", nameof(signatures));
    }

    public ulong BatchNumber { get; }
    public Fr Commitment { get; }
    public byte[] Digest { get; }
    public IReadOnlyList<SignerSignature> Signatures { get; }

    /// <summary>The value to pass for the contract's <c>EcdsaSignature[] sigs</c> parameter through Validium.L1's ABI encoder.</summary>
    public object?[] ToContractArgument() =>
        Signatures.Select(s =>
        {
            var b = s.Signature.ToBytes();
            return (object?)new object?[] { (BigInteger)s.Signature.V, b[..32], b[32..64] };
        }).ToArray();

    public string ToJson()
    {
        var doc = new JsonObject
        {
            ["batchNumber"] = BatchNumber,
            ["commitment"] = Hex.Encode(Commitment.ToBigEndianBytes()),
            ["digest"] = Hex.Encode(Digest),
            ["signatures"] = new JsonArray(Signatures.Select(s => (JsonNode)new JsonObject
            {
                ["signer"] = s.Signer.ToString(),
                ["signature"] = s.Signature.ToString(),
            }).ToArray()),
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}

/// <summary>Fewer than the threshold of valid signatures arrived in time; <see cref="Failures"/> says what each missing member did.</summary>
public sealed class AttestationUnavailableException(ulong batchNumber, int valid, int threshold, IReadOnlyDictionary<Uri, string> failures)
    : Exception($"batch {batchNumber}: {valid} valid signature(s) of the {threshold} needed; " +
                string.Join("; ", failures.Select(f => $"{f.Key}: {f.Value}")))
{
    public ulong BatchNumber { get; } = batchNumber;
    public int Valid { get; } = valid;
    public int Threshold { get; } = threshold;
    public IReadOnlyDictionary<Uri, string> Failures { get; } = failures;
}
