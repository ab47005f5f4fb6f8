// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPoseidonT3, IPoseidonT4, IPoseidonT6} from "./Interfaces.sol";

error BadDepth();
error EscapePricesNotSet();
error AlreadyEscaped(uint64 account);
error WrongProofLength(uint256 given, uint256 depth);
error PositionsNotAscending(uint256 index);
error PositionEmpty(uint256 index);
error PositionOutOfRange(uint32 instrument);
error NotInState();

/// The state-tree side of the contract: the root of the last proven batch and the exit from it once frozen.
/// Leaf encodings and path hashing are Validium.State's (STATE.md): account leaf Poseidon(Ax, Ay, nonce, collateral,
/// positionsRoot), position leaf Poseidon(size, openNotional, fundingIndex), signed values as p − |n|, nodes
/// Poseidon(left, right), empty subtrees z_l.
abstract contract Escape {
    uint256 internal constant Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    IPoseidonT3 public immutable poseidon3;
    IPoseidonT4 public immutable poseidon4;
    IPoseidonT6 public immutable poseidon6;
    uint8 public immutable accountDepth;
    uint8 public immutable positionsDepth;

    uint256 public stateRoot;
    bool public frozen;
    bool public escapePricesSet;
    /// zeroHashes[l] = z_l, the root of an empty subtree of height l, up to the deeper of the two trees.
    uint256[] public zeroHashes;
    uint64[] public escapePrices;
    mapping(uint64 => bool) public escaped;

    struct AccountLeaf {
        uint256 ax;
        uint256 ay;
        uint64 nonce;
        int64 collateral;
    }

    struct Position {
        uint32 instrument;
        int64 size;
        int64 openNotional;
        int64 fundingIndex;
    }

    event EscapePricesSet(uint64[] prices);
    event EscapeWithdrawal(uint64 indexed account, address recipient, uint256 amount);

    /// The genesis state is the empty account tree, computed here rather than taken from the deployer, so the first
    /// batch cannot start from balances nobody deposited.
    constructor(IPoseidonT3 p3, address p4, IPoseidonT6 p6, uint8 accountDepth_, uint8 positionsDepth_) {
        if (accountDepth_ == 0 || accountDepth_ > 64 || positionsDepth_ == 0 || positionsDepth_ > 32) revert BadDepth();
        poseidon3 = p3;
        poseidon4 = IPoseidonT4(p4);
        poseidon6 = p6;
        accountDepth = accountDepth_;
        positionsDepth = positionsDepth_;
        uint256 depth = accountDepth_ > positionsDepth_ ? accountDepth_ : positionsDepth_;
        uint256 z = 0;
        zeroHashes.push(z);
        for (uint256 l = 1; l <= depth; l++) {
            z = p3.hash([z, z]);
            zeroHashes.push(z);
        }
        stateRoot = zeroHashes[accountDepth_];
    }

    function _setEscapePrices(uint64[] calldata prices) internal {
        escapePrices = prices;
        escapePricesSet = true;
        emit EscapePricesSet(prices);
    }

    /// The payout of one account: collateral + Σ (size·price − openNotional), at least 0. Positions must list every
    /// non-empty position, instruments strictly ascending: the positions root is rebuilt from them alone, so leaving
    /// out a losing position changes the root and fails.
    function _escape(uint64 account, AccountLeaf calldata leaf, Position[] calldata positions, uint256[] calldata siblings)
        internal
        returns (uint256)
    {
        if (!escapePricesSet) revert EscapePricesNotSet();
        if (escaped[account]) revert AlreadyEscaped(account);
        if (siblings.length != accountDepth) revert WrongProofLength(siblings.length, accountDepth);
        if (account >> accountDepth != 0) revert NotInState();
        int256 value = leaf.collateral;
        uint256[] memory index = new uint256[](positions.length);
        uint256[] memory node = new uint256[](positions.length);
        for (uint256 i = 0; i < positions.length; i++) {
            Position calldata p = positions[i];
            if (i > 0 && p.instrument <= positions[i - 1].instrument) revert PositionsNotAscending(i);
            if (p.instrument >= escapePrices.length || p.instrument >> positionsDepth != 0) revert PositionOutOfRange(p.instrument);
            if (p.size == 0 && p.openNotional == 0 && p.fundingIndex == 0) revert PositionEmpty(i);
            index[i] = p.instrument;
            node[i] = poseidon4.hash([_signed(p.size), _signed(p.openNotional), _signed(p.fundingIndex)]);
            value += int256(p.size) * int256(uint256(escapePrices[p.instrument])) - p.openNotional;
        }
        uint256 positionsRoot = _sparseRoot(index, node, positionsDepth);
        uint256 h = poseidon6.hash([leaf.ax, leaf.ay, leaf.nonce, _signed(leaf.collateral), positionsRoot]);
        for (uint256 l = 0; l < siblings.length; l++) {
            h = (account >> l) & 1 == 1 ? poseidon3.hash([siblings[l], h]) : poseidon3.hash([h, siblings[l]]);
        }
        if (h != stateRoot) revert NotInState();
        escaped[account] = true;
        return value > 0 ? uint256(value) : 0;
    }

    /// Root of a depth-d tree whose only non-empty leaves are node[i] at index[i] (ascending): a level at a time,
    /// pairing each node with its sibling when listed and with the empty subtree z_l otherwise.
    function _sparseRoot(uint256[] memory index, uint256[] memory node, uint256 depth) internal view returns (uint256) {
        uint256 k = index.length;
        if (k == 0) return zeroHashes[depth];
        for (uint256 l = 0; l < depth; l++) {
            uint256 out = 0;
            for (uint256 i = 0; i < k; i++) {
                uint256 parent;
                if (index[i] & 1 == 0 && i + 1 < k && index[i + 1] == index[i] + 1) {
                    parent = poseidon3.hash([node[i], node[i + 1]]);
                    i++;
                } else if (index[i] & 1 == 0) {
                    parent = poseidon3.hash([node[i], zeroHashes[l]]);
                } else {
                    parent = poseidon3.hash([zeroHashes[l], node[i]]);
                }
                index[out] = index[i] >> 1;
                node[out] = parent;
                out++;
            }
            k = out;
        }
        return node[0];
    }

    /// STATE.md's signed encoding: n for n ≥ 0, p − |n| for n < 0.
    function _signed(int64 v) internal pure returns (uint256) {
        return v >= 0 ? uint256(int256(v)) : Q - uint256(-int256(v));
    }
}
