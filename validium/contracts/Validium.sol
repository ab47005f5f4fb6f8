// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20, IBatchVerifier, IEdDsaPoseidonVerifier, IPriceOracle, IPoseidonT3, IPoseidonT5, IPoseidonT6, IPoseidonSponge, EcdsaSignature, EdDsaSignature} from "./Interfaces.sol";
import {SignerSet, Timelocked} from "./Governance.sol";
import {Escape} from "./Escape.sol";

error Frozen();
error NotFrozen();
error ZeroAmount();
error AmountTooLarge(uint256 amount, uint256 max);
error DepositCapReached(uint256 total, uint256 cap);
error FieldElementOutOfRange(uint256 value);
error AccountOutOfRange(uint64 account);
error InstrumentOutOfRange(uint32 instrument);
error SameAccount();
error BadEdDsaSignature();
error TokenTransferFailed();
error WrongOpsProcessed(uint64 given, uint64 processed, uint64 count);
error OracleRoundNotUsable(uint64 round, uint64 lastUsed);
error NothingToClaim();
error NoDeadlineMissed();
error NotRefundable(uint64 opIndex);
error TimelockTooShort(uint256 timelockDelay, uint256 forcedDelay);
error NoBatchData();
error DataNotCommitted(uint256 computed, uint256 claimed);

/// The validium's L1 contract (SPEC.md is the precise interface): it holds the collateral, the state root of the last
/// proven batch and the queue of L1 operations (deposits, forced requests) that batches must consume in order.
/// A batch is accepted with a Groth16 proof whose public inputs the contract computes itself from its own state and
/// the batch's calldata, and with a k-of-n data-availability attestation, or with the batch data itself in calldata. If the operator ignores the queue past a
/// deadline, anyone may freeze the contract; then every account exits from the last proven root (Escape).
contract Validium is Timelocked, SignerSet, Escape {
    uint8 internal constant KIND_DEPOSIT = 1;
    uint8 internal constant KIND_FORCED_WITHDRAWAL = 2;
    uint8 internal constant KIND_FORCED_TRADE = 3;

    /// Collateral is an int64 in the state (STATE.md); capping the sum of all deposits at 2^62 keeps every account's
    /// collateral, deposits included, inside that range, so no deposit can make a batch unprovable.
    uint256 public constant DEPOSIT_CAP = 1 << 62;

    IERC20 public immutable token;
    IPriceOracle public immutable oracle;
    IPoseidonT5 public immutable poseidon5;
    IEdDsaPoseidonVerifier public immutable eddsa;
    IPoseidonSponge public immutable sponge;
    uint256 public immutable forcedDelay;
    /// chainId·2^160 + this contract's address: the domain of every EdDSA message, so a signature cannot be replayed
    /// on another deployment or chain.
    uint256 public immutable domain;

    IBatchVerifier public verifier;
    uint64 public batchNumber;
    uint64 public opCount;
    uint64 public processedOps;
    uint64 public lastOracleRound;
    uint256 public totalDeposited;

    /// opsHead[i] is the L1-operations chain head after the first i operations (opsHead[0] = 0).
    mapping(uint256 => uint256) public opsHead;

    /// What freezing and refunds need to know of each operation; one storage slot.
    struct OpInfo {
        uint32 deadline;
        uint64 amount;
        address depositor;
    }

    mapping(uint256 => OpInfo) public opInfo;
    mapping(uint64 => uint64) public forcedNonce;
    mapping(address => uint256) public claimable;

    struct BatchHeader {
        uint256 newRoot;
        uint256 dataCommitment;
        uint64 opsProcessed;
        uint64 oracleRound;
    }

    struct Proof {
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
    }

    struct Withdrawal {
        address recipient;
        uint64 amount;
    }

    struct ForcedTrade {
        uint64 accountA;
        uint64 accountB;
        uint32 instrument;
        int64 size;
        uint64 price;
        uint256 axA;
        uint256 ayA;
        uint256 axB;
        uint256 ayB;
    }

    bytes32 internal constant KIND_VERIFIER = "verifier";
    bytes32 internal constant KIND_COMMITTEE = "committee";

    event L1Operation(uint64 indexed opIndex, uint8 indexed kind, uint256 word, uint256 a, uint256 b, uint256 c, uint256 head, uint32 deadline);
    event BatchSubmitted(uint64 indexed batchNumber, uint256 oldRoot, uint256 newRoot, uint256 dataCommitment, uint64 opsProcessed, uint64 oracleRound, uint256 withdrawalsCommitment);
    event WithdrawalCredited(uint64 indexed batchNumber, address indexed recipient, uint64 amount);
    event WithdrawalClaimed(address indexed recipient, uint256 amount);
    event VerifierChanged(address verifier);
    event ContractFrozen(uint64 opIndex, uint32 deadline);
    event DepositRefunded(uint64 indexed opIndex, address indexed depositor, uint64 amount);
    /// The batch's data is the `data` argument of the submitBatchWithData call that emitted this (recovery reads it there).
    event BatchDataOnChain(uint64 indexed batchNumber, uint256 words);

    struct Config {
        IERC20 token;
        IBatchVerifier verifier;
        IPriceOracle oracle;
        IPoseidonT3 poseidon3;
        address poseidon4;
        IPoseidonT5 poseidon5;
        IPoseidonT6 poseidon6;
        IEdDsaPoseidonVerifier eddsa;
        uint8 accountDepth;
        uint8 positionsDepth;
        uint256 forcedDelay;
        uint256 timelockDelay;
        address owner;
        address[] committee;
        uint256 threshold;
        IPoseidonSponge sponge;
    }

    constructor(Config memory cfg)
        Timelocked(cfg.owner, cfg.timelockDelay)
        Escape(cfg.poseidon3, cfg.poseidon4, cfg.poseidon6, cfg.accountDepth, cfg.positionsDepth)
    {
        // A malicious verifier or committee must not take effect before users can force their way out.
        if (cfg.timelockDelay <= cfg.forcedDelay) revert TimelockTooShort(cfg.timelockDelay, cfg.forcedDelay);
        token = cfg.token;
        verifier = cfg.verifier;
        oracle = cfg.oracle;
        poseidon5 = cfg.poseidon5;
        eddsa = cfg.eddsa;
        sponge = cfg.sponge;
        forcedDelay = cfg.forcedDelay;
        domain = (block.chainid << 160) | uint160(address(this));
        _setSigners(cfg.committee, cfg.threshold);
        emit VerifierChanged(address(cfg.verifier));
    }

    modifier notFrozen() {
        if (frozen) revert Frozen();
        _;
    }

    // ---------------------------------------------------------------- L1 operations

    /// Pulls amount tokens and queues a credit of amount to the L2 account with BabyJubjub key (ax, ay).
    function deposit(uint64 amount, uint256 ax, uint256 ay) external notFrozen {
        if (amount == 0) revert ZeroAmount();
        _field(ax);
        _field(ay);
        uint256 total = totalDeposited + amount;
        if (total > DEPOSIT_CAP) revert DepositCapReached(total, DEPOSIT_CAP);
        totalDeposited = total;
        if (!token.transferFrom(msg.sender, address(this), amount)) revert TokenTransferFailed();
        _append(KIND_DEPOSIT, _word(KIND_DEPOSIT, 0, uint160(msg.sender)), ax, ay, amount, amount, msg.sender);
    }

    /// Queues a withdrawal of amount from an L2 account to recipient, signed by the account's key over
    /// Poseidon(domain, word, amount, nonce, 0). The batch circuit executes it if the key is the account's and the
    /// account stays within margin; either way it must consume it before the deadline.
    function forcedWithdrawal(uint64 account, uint256 ax, uint256 ay, uint64 amount, address recipient, EdDsaSignature calldata sig) external notFrozen {
        if (amount == 0) revert ZeroAmount();
        if (amount > uint64(type(int64).max)) revert AmountTooLarge(amount, uint64(type(int64).max));
        _account(account);
        uint256 word = _word(KIND_FORCED_WITHDRAWAL, account, uint160(recipient));
        uint256 message = poseidon6.hash([domain, word, amount, forcedNonce[account]++, 0]);
        _requireSigned(ax, ay, message, sig);
        _append(KIND_FORCED_WITHDRAWAL, word, ax, ay, amount, 0, address(0));
    }

    /// Queues a trade between two accounts, both signing Poseidon(domain, word, size, price, nonceA + nonceB·2^64):
    /// account A buys size (sells when negative) of instrument at price from account B.
    function forcedTrade(ForcedTrade calldata t, EdDsaSignature calldata sigA, EdDsaSignature calldata sigB) external notFrozen {
        if (t.accountA == t.accountB) revert SameAccount();
        if (t.size == 0 || t.price == 0 || t.price > uint64(type(int64).max)) revert ZeroAmount();
        _account(t.accountA);
        _account(t.accountB);
        if (t.instrument >= oracle.instrumentCount()) revert InstrumentOutOfRange(t.instrument);
        uint256 word = _word(KIND_FORCED_TRADE, t.accountA, uint160(t.accountB) | (uint160(t.instrument) << 64));
        uint256 size = _signed(t.size);
        uint256 nonces = uint256(forcedNonce[t.accountA]++) | (uint256(forcedNonce[t.accountB]++) << 64);
        uint256 message = poseidon6.hash([domain, word, size, t.price, nonces]);
        _requireSigned(t.axA, t.ayA, message, sigA);
        _requireSigned(t.axB, t.ayB, message, sigB);
        uint256 keys = poseidon5.hash([t.axA, t.ayA, t.axB, t.ayB]);
        _append(KIND_FORCED_TRADE, word, keys, size, t.price, 0, address(0));
    }

    /// word = kind + x·2^8 + y·2^72 with x < 2^64, y < 2^160: one field element for the op's small fields.
    function _word(uint8 kind, uint64 x, uint160 y) internal pure returns (uint256) {
        return uint256(kind) | (uint256(x) << 8) | (uint256(y) << 72);
    }

    function _append(uint8 kind, uint256 word, uint256 a, uint256 b, uint256 c, uint64 refund, address depositor) internal {
        uint64 i = opCount;
        uint256 head = poseidon6.hash([opsHead[i], word, a, b, c]);
        uint32 deadline = uint32(block.timestamp + forcedDelay);
        opsHead[i + 1] = head;
        opInfo[i] = OpInfo(deadline, refund, depositor);
        opCount = i + 1;
        emit L1Operation(i, kind, word, a, b, c, head, deadline);
    }

    function _requireSigned(uint256 ax, uint256 ay, uint256 message, EdDsaSignature calldata sig) internal view {
        if (!eddsa.verify(ax, ay, sig.r8x, sig.r8y, sig.s, message)) revert BadEdDsaSignature();
    }

    function _account(uint64 account) internal view {
        if (account >> accountDepth != 0) revert AccountOutOfRange(account);
    }

    // ---------------------------------------------------------------- batches

    /// The digest the DA committee signs (EIP-191 personal_sign): keccak256(abi.encode(chainId, this, batch#, commitment)).
    function attestationDigest(uint64 number, uint256 dataCommitment) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), number, dataCommitment));
    }

    /// Reverts unless sigs are a valid attestation of (number, dataCommitment); the operator's pre-flight check.
    function checkAttestation(uint64 number, uint256 dataCommitment, EcdsaSignature[] calldata sigs) public view {
        _checkSignatures(attestationDigest(number, dataCommitment), sigs);
    }

    /// Poseidon chain over the batch's withdrawals: w = 0, then w = Poseidon(w, amount·2^160 + recipient).
    function withdrawalsCommitment(Withdrawal[] calldata withdrawals) public view returns (uint256 w) {
        for (uint256 i = 0; i < withdrawals.length; i++) {
            if (withdrawals[i].amount == 0) revert ZeroAmount();
            w = poseidon3.hash([w, (uint256(withdrawals[i].amount) << 160) | uint160(withdrawals[i].recipient)]);
        }
    }

    /// The proof's public inputs in circuit order (SPEC.md), all computed here from state and calldata.
    function publicInputs(BatchHeader calldata h, Withdrawal[] calldata withdrawals) public view returns (uint256[8] memory input) {
        _field(h.newRoot);
        _field(h.dataCommitment);
        if (h.opsProcessed < processedOps || h.opsProcessed > opCount) revert WrongOpsProcessed(h.opsProcessed, processedOps, opCount);
        if (h.oracleRound < lastOracleRound || h.oracleRound == 0) revert OracleRoundNotUsable(h.oracleRound, lastOracleRound);
        uint256 oracleCommitment = oracle.commitmentOf(h.oracleRound);
        if (oracleCommitment == 0) revert OracleRoundNotUsable(h.oracleRound, lastOracleRound);
        input[0] = stateRoot;
        input[1] = h.newRoot;
        input[2] = h.dataCommitment;
        input[3] = opsHead[processedOps];
        input[4] = opsHead[h.opsProcessed];
        input[5] = oracleCommitment;
        input[6] = withdrawalsCommitment(withdrawals);
        input[7] = batchNumber + 1;
    }

    function submitBatch(BatchHeader calldata h, Proof calldata proof, Withdrawal[] calldata withdrawals, EcdsaSignature[] calldata sigs) external notFrozen {
        uint256[8] memory input = _checkBatch(h, withdrawals, sigs);
        verifier.requireValidProof(proof.a, proof.b, proof.c, input);
        _acceptBatch(h, withdrawals, input);
    }

    /// submitBatch with the proof in 128 bytes (A, B's x imaginary part, B's x real part, C, flags in the top bits;
    /// SPEC.md "Compressed proofs"), which the verifier decompresses. 128 bytes less calldata, more computation.
    function submitBatchCompressed(BatchHeader calldata h, uint256[4] calldata proof, Withdrawal[] calldata withdrawals, EcdsaSignature[] calldata sigs)
        external
        notFrozen
    {
        uint256[8] memory input = _checkBatch(h, withdrawals, sigs);
        verifier.requireValidCompressedProof(proof, input);
        _acceptBatch(h, withdrawals, input);
    }

    /// submitBatch with the batch data in calldata instead of the committee's attestation (SPEC.md "On-chain data
    /// fallback"): the data's Poseidon sponge, recomputed here, must be the data commitment the proof commits to, so the
    /// data every account's escape needs is on L1 whenever a batch is accepted this way.
    function submitBatchWithData(BatchHeader calldata h, Proof calldata proof, Withdrawal[] calldata withdrawals, uint256[] calldata data) external notFrozen {
        uint256[8] memory input = publicInputs(h, withdrawals);
        if (data.length == 0) revert NoBatchData();
        uint256 computed = sponge.commit(data);
        if (computed != h.dataCommitment) revert DataNotCommitted(computed, h.dataCommitment);
        verifier.requireValidProof(proof.a, proof.b, proof.c, input);
        _acceptBatch(h, withdrawals, input);
        emit BatchDataOnChain(batchNumber, data.length);
    }

    function _checkBatch(BatchHeader calldata h, Withdrawal[] calldata withdrawals, EcdsaSignature[] calldata sigs) internal view returns (uint256[8] memory input) {
        input = publicInputs(h, withdrawals);
        checkAttestation(batchNumber + 1, h.dataCommitment, sigs);
    }

    function _acceptBatch(BatchHeader calldata h, Withdrawal[] calldata withdrawals, uint256[8] memory input) internal {
        uint64 number = batchNumber + 1;
        batchNumber = number;
        stateRoot = h.newRoot;
        processedOps = h.opsProcessed;
        lastOracleRound = h.oracleRound;
        for (uint256 i = 0; i < withdrawals.length; i++) {
            claimable[withdrawals[i].recipient] += withdrawals[i].amount;
            emit WithdrawalCredited(number, withdrawals[i].recipient, withdrawals[i].amount);
        }
        emit BatchSubmitted(number, input[0], h.newRoot, h.dataCommitment, h.opsProcessed, h.oracleRound, input[6]);
    }

    /// Pays the caller everything proven batches have credited to it; works frozen or not.
    function claimWithdrawal() external {
        uint256 amount = claimable[msg.sender];
        if (amount == 0) revert NothingToClaim();
        claimable[msg.sender] = 0;
        _pay(msg.sender, amount);
        emit WithdrawalClaimed(msg.sender, amount);
    }

    // ---------------------------------------------------------------- censorship resistance

    /// Anyone may freeze once the oldest unconsumed L1 operation is past its deadline (deadlines only grow, so the
    /// oldest one is the first to expire).
    function freeze() external notFrozen {
        uint64 i = processedOps;
        if (i == opCount || block.timestamp <= opInfo[i].deadline) revert NoDeadlineMissed();
        frozen = true;
        emit ContractFrozen(i, opInfo[i].deadline);
    }

    /// After a freeze, a deposit no proven batch consumed is not in the state: it goes back to its depositor.
    function refundDeposit(uint64 opIndex) external {
        if (!frozen) revert NotFrozen();
        OpInfo memory info = opInfo[opIndex];
        if (opIndex < processedOps || opIndex >= opCount || info.amount == 0) revert NotRefundable(opIndex);
        delete opInfo[opIndex];
        _pay(info.depositor, info.amount);
        emit DepositRefunded(opIndex, info.depositor, info.amount);
    }

    /// Checks the committed prices of the last proven batch's oracle round once, for every escape to use.
    function setEscapePrices(uint64 timestamp, uint64[] calldata prices) external {
        if (!frozen) revert NotFrozen();
        uint256 expected = oracle.commitmentOf(lastOracleRound);
        if (lastOracleRound == 0 || escapePricesSet || oracle.commit(lastOracleRound, timestamp, prices) != expected) {
            revert OracleRoundNotUsable(lastOracleRound, lastOracleRound);
        }
        _setEscapePrices(prices);
    }

    /// Pays an account of the last proven state its value at the escape prices, once, to the recipient its key signed
    /// Poseidon(domain, 4 + account·2^8 + recipient·2^72, 0, 0, 0) for.
    function escapeWithdraw(uint64 account, AccountLeaf calldata leaf, Position[] calldata positions, uint256[] calldata siblings, address recipient, EdDsaSignature calldata sig)
        external
    {
        if (!frozen) revert NotFrozen();
        uint256 message = poseidon6.hash([domain, _word(4, account, uint160(recipient)), 0, 0, 0]);
        _requireSigned(leaf.ax, leaf.ay, message, sig);
        uint256 amount = _escape(account, leaf, positions, siblings);
        if (amount > 0) _pay(recipient, amount);
        emit EscapeWithdrawal(account, recipient, amount);
    }

    // ---------------------------------------------------------------- governance (timelocked)

    function proposeVerifier(IBatchVerifier next) external onlyOwner {
        _queue(KIND_VERIFIER, abi.encode(next));
    }

    function executeVerifier(IBatchVerifier next) external onlyOwner {
        _consume(KIND_VERIFIER, abi.encode(next));
        verifier = next;
        emit VerifierChanged(address(next));
    }

    function proposeCommittee(address[] calldata members, uint256 threshold_) external onlyOwner {
        _queue(KIND_COMMITTEE, abi.encode(members, threshold_));
    }

    function executeCommittee(address[] calldata members, uint256 threshold_) external onlyOwner {
        _consume(KIND_COMMITTEE, abi.encode(members, threshold_));
        _setSigners(members, threshold_);
    }

    // ---------------------------------------------------------------- helpers

    function _pay(address to, uint256 amount) internal {
        if (!token.transfer(to, amount)) revert TokenTransferFailed();
    }

    function _field(uint256 v) internal pure {
        if (v >= Q) revert FieldElementOutOfRange(v);
    }
}
