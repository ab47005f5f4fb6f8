// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EcdsaSignature} from "./Interfaces.sol";

error NotOwner(address caller);
error ChangeAlreadyQueued(bytes32 id);
error ChangeNotQueued(bytes32 id);
error ChangeNotReady(bytes32 id, uint256 readyAt);
error BadSignerSet();
error TooFewSignatures(uint256 given, uint256 threshold);
error InvalidSignature(uint256 index);
error SignersNotAscending(uint256 index);
error NotASigner(address signer);

/// Owner changes wait out a delay fixed at deployment, so users see them coming (ChangeQueued) and can leave first.
/// A change is identified by the hash of its kind and arguments: execute must repeat exactly what was queued.
abstract contract Timelocked {
    address public owner;
    uint256 public immutable timelockDelay;
    mapping(bytes32 => uint256) public readyAt;

    event ChangeQueued(bytes32 indexed id, bytes32 indexed kind, bytes data, uint256 readyAt);
    event ChangeCancelled(bytes32 indexed id);
    event ChangeExecuted(bytes32 indexed id, bytes32 indexed kind, bytes data);
    event OwnerChanged(address indexed owner);

    bytes32 internal constant KIND_OWNER = "owner";

    constructor(address owner_, uint256 delay) {
        owner = owner_;
        timelockDelay = delay;
        emit OwnerChanged(owner_);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    function changeId(bytes32 kind, bytes memory data) public pure returns (bytes32) {
        return keccak256(abi.encode(kind, data));
    }

    function cancelChange(bytes32 id) external onlyOwner {
        if (readyAt[id] == 0) revert ChangeNotQueued(id);
        delete readyAt[id];
        emit ChangeCancelled(id);
    }

    function proposeOwner(address next) external onlyOwner {
        _queue(KIND_OWNER, abi.encode(next));
    }

    function executeOwner(address next) external onlyOwner {
        _consume(KIND_OWNER, abi.encode(next));
        owner = next;
        emit OwnerChanged(next);
    }

    function _queue(bytes32 kind, bytes memory data) internal {
        bytes32 id = changeId(kind, data);
        if (readyAt[id] != 0) revert ChangeAlreadyQueued(id);
        uint256 at = block.timestamp + timelockDelay;
        readyAt[id] = at;
        emit ChangeQueued(id, kind, data, at);
    }

    function _consume(bytes32 kind, bytes memory data) internal {
        bytes32 id = changeId(kind, data);
        uint256 at = readyAt[id];
        if (at == 0) revert ChangeNotQueued(id);
        if (block.timestamp < at) revert ChangeNotReady(id, at);
        delete readyAt[id];
        emit ChangeExecuted(id, kind, data);
    }
}

/// A k-of-n set of secp256k1 signers (the DA committee, the oracle's reporters). Signatures are EIP-191 personal_sign
/// over a 32-byte digest (what ethers' wallet.signMessage(getBytes(digest)) and every wallet produce), listed with
/// signers strictly ascending by address: one comparison per signature rules out duplicates without a set.
abstract contract SignerSet {
    address[] internal _signers;
    mapping(address => bool) public isSigner;
    uint256 public threshold;

    // secp256k1n / 2: a higher s is the malleable twin of a valid signature (EIP-2).
    uint256 internal constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    event SignerSetChanged(address[] signers, uint256 threshold);

    function signers() external view returns (address[] memory) {
        return _signers;
    }

    /// Members non-zero and strictly ascending (so distinct), 1 ≤ threshold ≤ members.
    function _setSigners(address[] memory members, uint256 threshold_) internal {
        if (threshold_ == 0 || threshold_ > members.length) revert BadSignerSet();
        for (uint256 i = 0; i < _signers.length; i++) isSigner[_signers[i]] = false;
        address previous = address(0);
        for (uint256 i = 0; i < members.length; i++) {
            if (members[i] <= previous) revert BadSignerSet();
            previous = members[i];
            isSigner[members[i]] = true;
        }
        _signers = members;
        threshold = threshold_;
        emit SignerSetChanged(members, threshold_);
    }

    function _checkSignatures(bytes32 digest, EcdsaSignature[] calldata sigs) internal view {
        if (sigs.length < threshold) revert TooFewSignatures(sigs.length, threshold);
        bytes32 signed = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", digest));
        address previous = address(0);
        for (uint256 i = 0; i < sigs.length; i++) {
            EcdsaSignature calldata sig = sigs[i];
            if (uint256(sig.s) > HALF_N || (sig.v != 27 && sig.v != 28)) revert InvalidSignature(i);
            address signer = ecrecover(signed, sig.v, sig.r, sig.s);
            if (signer == address(0)) revert InvalidSignature(i);
            if (signer <= previous) revert SignersNotAscending(i);
            if (!isSigner[signer]) revert NotASigner(signer);
            previous = signer;
        }
    }
}
