// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EcdsaSignature, IPoseidonT6} from "./Interfaces.sol";
import {SignerSet, Timelocked} from "./Governance.sol";

error RoundOutOfOrder(uint64 round, uint64 expected);
error TimestampOutOfOrder(uint64 timestamp, uint64 previous);
error TimestampInFuture(uint64 timestamp);
error WrongPriceCount(uint256 given, uint256 expected);
error ZeroPrice(uint256 instrument);

/// Mark prices for the exchange's instruments, one signed round at a time by a k-of-n reporter set. Each round stores
/// only its Poseidon commitment (SPEC.md, "Oracle commitment"), the value the batch circuit takes as a public input;
/// the prices themselves travel in the PricesUpdated event, and whoever needs them on-chain (escape withdrawals)
/// passes them back in calldata to be checked against the commitment.
contract PriceOracle is Timelocked, SignerSet {
    IPoseidonT6 public immutable poseidon;
    uint256 public immutable instrumentCount;
    uint64 public latestRound;
    uint64 public latestTimestamp;
    mapping(uint64 => uint256) public commitmentOf;

    bytes32 internal constant KIND_SIGNERS = "oracle-signers";

    event PricesUpdated(uint64 indexed round, uint64 timestamp, uint64[] prices, uint256 commitment);

    constructor(IPoseidonT6 poseidon_, uint256 instruments, address[] memory reporters, uint256 threshold_, address owner_, uint256 delay)
        Timelocked(owner_, delay)
    {
        if (instruments == 0) revert WrongPriceCount(0, 1);
        poseidon = poseidon_;
        instrumentCount = instruments;
        _setSigners(reporters, threshold_);
    }

    /// The digest reporters sign (EIP-191): binds chain, oracle, round, time and every price.
    function digest(uint64 round, uint64 timestamp, uint64[] calldata prices) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), round, timestamp, prices));
    }

    function update(uint64 round, uint64 timestamp, uint64[] calldata prices, EcdsaSignature[] calldata sigs) external {
        if (round != latestRound + 1) revert RoundOutOfOrder(round, latestRound + 1);
        if (timestamp <= latestTimestamp) revert TimestampOutOfOrder(timestamp, latestTimestamp);
        if (timestamp > block.timestamp) revert TimestampInFuture(timestamp);
        _checkSignatures(digest(round, timestamp, prices), sigs);
        uint256 c = commit(round, timestamp, prices);
        latestRound = round;
        latestTimestamp = timestamp;
        commitmentOf[round] = c;
        emit PricesUpdated(round, timestamp, prices, c);
    }

    /// SPEC.md: acc = round·2^64 + timestamp; prices packed three to a field element, little end first
    /// (w_j = p_{3j} + p_{3j+1}·2^64 + p_{3j+2}·2^128); then acc = Poseidon(acc, w_{4k}, …, w_{4k+3}) for each group of
    /// four words, zero-padded. Prices are positive: a zero price would let a position be valued at nothing.
    function commit(uint64 round, uint64 timestamp, uint64[] calldata prices) public view returns (uint256 acc) {
        uint256 n = instrumentCount;
        if (prices.length != n) revert WrongPriceCount(prices.length, n);
        acc = (uint256(round) << 64) | timestamp;
        uint256 words = (n + 2) / 3;
        for (uint256 k = 0; k < words; k += 4) {
            uint256[5] memory inputs;
            inputs[0] = acc;
            for (uint256 j = 0; j < 4 && k + j < words; j++) {
                uint256 w = 0;
                for (uint256 m = 0; m < 3; m++) {
                    uint256 i = 3 * (k + j) + m;
                    if (i < n) {
                        if (prices[i] == 0) revert ZeroPrice(i);
                        w |= uint256(prices[i]) << (64 * m);
                    }
                }
                inputs[1 + j] = w;
            }
            acc = poseidon.hash(inputs);
        }
    }

    function proposeSigners(address[] calldata reporters, uint256 threshold_) external onlyOwner {
        _queue(KIND_SIGNERS, abi.encode(reporters, threshold_));
    }

    function executeSigners(address[] calldata reporters, uint256 threshold_) external onlyOwner {
        _consume(KIND_SIGNERS, abi.encode(reporters, threshold_));
        _setSigners(reporters, threshold_);
    }
}
