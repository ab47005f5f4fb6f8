// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPoseidonT6} from "./Interfaces.sol";

/// EdDSA-Poseidon over BabyJubjub, the scheme of circomlibjs eddsa.signPoseidon and of the traders' L2 keys: valid when
/// S·B8 = R8 + 8·h·A with h = Poseidon(R8x, R8y, Ax, Ay, message). L1 needs it because an L2 account is identified only
/// by its BabyJubjub key (STATE.md): forced requests and escape withdrawals must be authorised by that key.
/// Acceptance matches circomlibjs verifyPoseidon (R8 and A on the curve, S below the subgroup order l) and, beyond it,
/// rejects coordinates at or above the field modulus, which circomlibjs would silently reduce.
contract EdDsaPoseidonVerifier {
    uint256 internal constant Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant L = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    uint256 internal constant CURVE_A = 168700;
    uint256 internal constant CURVE_D = 168696;
    uint256 internal constant B8X = 5299619240641551281634865583518297030282874472190772894086521144482721001553;
    uint256 internal constant B8Y = 16950150798460657717958625567821834550301663161624707787222815936182638968203;

    IPoseidonT6 public immutable poseidon;

    constructor(IPoseidonT6 poseidon_) {
        poseidon = poseidon_;
    }

    function verify(uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s, uint256 message) external view returns (bool ok) {
        if (s >= L || message >= Q || !_onCurve(ax, ay) || !_onCurve(r8x, r8y)) return false;
        uint256 challenge = poseidon.hash([r8x, r8y, ax, ay, message]);
        // S·B8 − h·(8·A) = R8, as one joint double-and-add (Shamir's trick): 256 doublings instead of 512.
        // Points are 4 words (X, Y, T, Z) in scratch memory past the free-memory pointer (x = X/Z, y = Y/Z, T = XY/Z):
        // on the stack the unified addition's operands and temporaries would not fit.
        assembly ("memory-safe") {
            // p += q by add-2008-hwcd, unified: valid for doubling and the identity, so no special cases.
            function addTo(p, q) {
                let a := mulmod(mload(p), mload(q), Q)
                let b := mulmod(mload(add(p, 32)), mload(add(q, 32)), Q)
                let c := mulmod(CURVE_D, mulmod(mload(add(p, 64)), mload(add(q, 64)), Q), Q)
                let d := mulmod(mload(add(p, 96)), mload(add(q, 96)), Q)
                let e := mulmod(addmod(mload(p), mload(add(p, 32)), Q), addmod(mload(q), mload(add(q, 32)), Q), Q)
                e := addmod(e, sub(Q, addmod(a, b, Q)), Q)
                let f := addmod(d, sub(Q, c), Q)
                let g := addmod(d, c, Q)
                let h := addmod(b, sub(Q, mulmod(CURVE_A, a, Q)), Q)
                mstore(p, mulmod(e, f, Q))
                mstore(add(p, 32), mulmod(g, h, Q))
                mstore(add(p, 64), mulmod(e, h, Q))
                mstore(add(p, 96), mulmod(f, g, Q))
            }
            // p = 2·p by dbl-2008-hwcd.
            function double(p) {
                let x := mload(p)
                let y := mload(add(p, 32))
                let a := mulmod(x, x, Q)
                let b := mulmod(y, y, Q)
                let c := mulmod(2, mulmod(mload(add(p, 96)), mload(add(p, 96)), Q), Q)
                let d := mulmod(CURVE_A, a, Q)
                let xy := addmod(x, y, Q)
                let e := addmod(mulmod(xy, xy, Q), sub(Q, addmod(a, b, Q)), Q)
                let g := addmod(d, b, Q)
                let f := addmod(g, sub(Q, c), Q)
                let h := addmod(d, sub(Q, b), Q)
                mstore(p, mulmod(e, f, Q))
                mstore(add(p, 32), mulmod(g, h, Q))
                mstore(add(p, 64), mulmod(e, h, Q))
                mstore(add(p, 96), mulmod(f, g, Q))
            }
            function setAffine(p, x, y) {
                mstore(p, x)
                mstore(add(p, 32), y)
                mstore(add(p, 64), mulmod(x, y, Q))
                mstore(add(p, 96), 1)
            }
            let acc := mload(0x40)
            let b8 := add(acc, 128)
            let na8 := add(acc, 256)
            let both := add(acc, 384)
            setAffine(acc, 0, 1)
            setAffine(b8, B8X, B8Y)
            // −A (negation is x ↦ −x), then times 8.
            setAffine(na8, sub(Q, ax), ay)
            if iszero(ax) { mstore(na8, 0) }
            double(na8)
            double(na8)
            double(na8)
            mstore(both, mload(b8))
            mstore(add(both, 32), mload(add(b8, 32)))
            mstore(add(both, 64), mload(add(b8, 64)))
            mstore(add(both, 96), mload(add(b8, 96)))
            addTo(both, na8)
            for { let i := 256 } gt(i, 0) { i := sub(i, 1) } {
                double(acc)
                let bits := or(and(shr(sub(i, 1), s), 1), shl(1, and(shr(sub(i, 1), challenge), 1)))
                switch bits
                case 1 { addTo(acc, b8) }
                case 2 { addTo(acc, na8) }
                case 3 { addTo(acc, both) }
            }
            let z := mload(add(acc, 96))
            ok := and(eq(mload(acc), mulmod(r8x, z, Q)), eq(mload(add(acc, 32)), mulmod(r8y, z, Q)))
        }
    }

    /// a·x² + y² = 1 + d·x²·y², coordinates below Q.
    function _onCurve(uint256 x, uint256 y) internal pure returns (bool) {
        if (x >= Q || y >= Q) return false;
        uint256 x2 = mulmod(x, x, Q);
        uint256 y2 = mulmod(y, y, Q);
        return addmod(mulmod(CURVE_A, x2, Q), y2, Q) == addmod(1, mulmod(CURVE_D, mulmod(x2, y2, Q), Q), Q);
    }
}
