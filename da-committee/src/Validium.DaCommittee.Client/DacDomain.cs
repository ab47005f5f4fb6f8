using System.Numerics;
using Validium.Crypto;
using Validium.L1.Abi;

namespace Validium.DaCommittee.Client;

/// <summary>
/// The deployment a committee attests for: the chain and the Validium contract. Both go into every digest, so a
/// signature for one deployment is worthless on another.
/// </summary>
public sealed record DacDomain(BigInteger ChainId, EthereumAddress Contract)
{
    private static readonly AbiType[] DigestTypes = [new AbiUInt(256), AbiAddress.Instance, new AbiUInt(64), new AbiUInt(256)];

    /// <summary>
    /// keccak256(abi.encode(uint256 chainId, address validium, uint64 batchNumber, uint256 dataCommitment)): what the
    /// contract's attestationDigest returns and every member signs (validium/contracts/SPEC.md, "Data-availability attestation").
    /// </summary>
    public byte[] AttestationDigest(ulong batchNumber, Fr commitment) =>
        Keccak256.Hash(AbiCodec.Encode(DigestTypes, [ChainId, Contract, (BigInteger)batchNumber, commitment.ToBigInteger()]));

    /// <summary>EIP-191 personal_sign over the 32-byte digest, as the contract recovers it (low-s, v ∈ {27, 28}).</summary>
    public static EcdsaSignature SignDigest(Secp256k1PrivateKey key, ReadOnlySpan<byte> digest) => key.Sign(Eip191.HashPersonalMessage(digest));

    /// <summary>The address whose personal_sign over <paramref name="digest"/> this is, when any.</summary>
    public static bool TryRecoverSigner(ReadOnlySpan<byte> digest, EcdsaSignature signature, out EthereumAddress signer) =>
        EthereumEcdsa.TryRecover(Eip191.HashPersonalMessage(digest), signature, out signer);
}
