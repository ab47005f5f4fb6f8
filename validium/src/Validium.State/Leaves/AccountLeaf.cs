using Validium.Crypto;

namespace Validium.State;

/// <summary>
/// An account in the accounts tree (index = account number): its BabyJubjub public key, the nonce of its last
/// signed request, its collateral (signed, in the collateral asset's smallest unit) and the root of its
/// positions subtree. An account that does not exist is the empty leaf 0.
/// </summary>
public sealed record AccountLeaf(Fr PubKeyAx, Fr PubKeyAy, ulong Nonce, long Collateral, Fr PositionsRoot)
{
    /// <summary>A new account: nonce 0, no collateral, an empty positions subtree of the given depth.</summary>
    public static AccountLeaf Open(Fr pubKeyAx, Fr pubKeyAy, int positionsDepth) =>
        new(pubKeyAx, pubKeyAy, 0, 0, ZeroHashes.EmptyRoot(positionsDepth));

    /// <summary>Poseidon(Ax, Ay, nonce, collateral, positionsRoot) with the encodings of <see cref="FieldEncoding"/>.</summary>
    public Fr Hash() => Poseidon.Hash([PubKeyAx, PubKeyAy, FieldEncoding.Unsigned(Nonce), FieldEncoding.Signed(Collateral), PositionsRoot]);
}
