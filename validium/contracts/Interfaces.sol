// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// The generated Poseidon contracts (PoseidonT3..T6.sol), called rather than inlined: each is 15 to 24 KB of unrolled
/// rounds, and inlining them would put Validium over the EIP-170 code-size limit. PoseidonT5 and T6 implement hash as
/// view (they call the second part they deploy), which a pure declaration here calls by STATICCALL all the same.
interface IPoseidonT3 {
    function hash(uint256[2] calldata inputs) external pure returns (uint256);
}

interface IPoseidonT4 {
    function hash(uint256[3] calldata inputs) external pure returns (uint256);
}

interface IPoseidonT5 {
    function hash(uint256[4] calldata inputs) external pure returns (uint256);
}

interface IPoseidonT6 {
    function hash(uint256[5] calldata inputs) external pure returns (uint256);
}

/// The batch data commitment (SPEC.md "On-chain data fallback"), generated into PoseidonSponge.sol.
interface IPoseidonSponge {
    function commit(uint256[] calldata words) external view returns (uint256);
}

/// The contract `vld groth16 export-verifier` writes for the batch circuit's verifying key (8 public inputs, SPEC.md).
interface IBatchVerifier {
    function requireValidProof(uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c, uint256[8] calldata input) external view;
    /// The same proof compressed to four words (SPEC.md "Compressed proofs"), decompressed on-chain.
    function requireValidCompressedProof(uint256[4] calldata proof, uint256[8] calldata input) external view;
}

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

interface IEdDsaPoseidonVerifier {
    function verify(uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s, uint256 message) external view returns (bool);
}

interface IPriceOracle {
    function commitmentOf(uint64 round) external view returns (uint256);
    function instrumentCount() external view returns (uint256);
    function commit(uint64 round, uint64 timestamp, uint64[] calldata prices) external view returns (uint256);
}

/// An EdDSA-Poseidon signature (circomlibjs eddsa.signPoseidon): R8 and S.
struct EdDsaSignature {
    uint256 r8x;
    uint256 r8y;
    uint256 s;
}

/// A secp256k1 signature as ethers' Signature (v 27 or 28).
struct EcdsaSignature {
    uint8 v;
    bytes32 r;
    bytes32 s;
}
