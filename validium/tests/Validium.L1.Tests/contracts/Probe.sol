// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.28;

/// Test contract for the L1 client: events of every shape, custom errors, reverts and panics, struct returns.
contract Probe {
    struct Order {
        address trader;
        int64 size;
        bytes32 id;
        string note;
        uint16[] legs;
    }

    error Unauthorized(address caller, uint256 needed);
    error BadOrder(Order order, string why);
    error Empty();

    event Counted(address indexed by, uint256 indexed count, string label);
    event Stored(bytes32 indexed key, bytes data, Order order);
    event Tagged(string indexed tag, uint8[3] small, bool flag);
    event Anon(uint256 indexed a, uint256 b) anonymous;

    uint256 public count;
    address public immutable owner;
    mapping(bytes32 => bytes) public blobs;

    constructor(uint256 start) {
        owner = msg.sender;
        count = start;
    }

    function bump(string calldata label) external returns (uint256) {
        count += 1;
        emit Counted(msg.sender, count, label);
        return count;
    }

    function store(bytes32 key, bytes calldata data, Order calldata order) external {
        blobs[key] = data;
        emit Stored(key, data, order);
    }

    function tag(string calldata t, uint8[3] calldata small, bool flag) external {
        emit Tagged(t, small, flag);
        emit Anon(small[0], small[1]);
    }

    function echo(Order calldata o) external pure returns (Order memory, uint256) {
        return (o, o.legs.length);
    }

    function onlyOwner(uint256 needed) external view returns (bool) {
        if (msg.sender != owner) revert Unauthorized(msg.sender, needed);
        return true;
    }

    function rejectOrder(Order calldata o) external pure {
        revert BadOrder(o, "size too large");
    }

    function requireThat(bool ok) external pure returns (uint256) {
        require(ok, "requirement failed: ok is false");
        return 1;
    }

    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    function fail() external pure {
        revert Empty();
    }

    function bare() external pure {
        revert();
    }

    function failingWrite(uint256 v) external {
        count = v;
        if (v > 100) revert Unauthorized(msg.sender, v);
    }
}
