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

    // The arithmetic runs on the isomorphic curve −x'² + y² = 1 + d'·x'²·y², x' = λ·x with λ² = −a (−a is a square
    // mod Q), whose a = −1 formulas spare a multiplication by a in every step. d' = −d/a is a non-square like d, so
    // the formulas stay complete; the map preserves the group law, so the acceptance rule is unchanged.
    uint256 internal constant LAMBDA = 6360561867910373094066688120553762416144456282423235903351243436111059670888;
    uint256 internal constant TWO_D = 2475045175004185027501911298141836274980133961483913877536377848625489762075; // 2·d'

    // k·B8 (k = 1, 2, 3; B8 = circomlibjs Base8) mapped to the isomorphic curve, as the table entries the addition
    // reads: (y − x', y + x', 2·d'·x'·y); their fourth word, 2·z, is 2.
    uint256 internal constant B8_1_YMX = 4733625400691464678925340427681959681369635775537418372169545602783617662249;
    uint256 internal constant B8_1_YPX = 7278433324390575534745504962704434330685326147295962858577882083005851778540;
    uint256 internal constant B8_1_KT = 11131358470852800436078042172830274618830474350527683030842707082214086883942;
    uint256 internal constant B8_2_YMX = 6814871219711557799354064198800677846936976322455332842822049013865855889199;
    uint256 internal constant B8_2_YPX = 16339934403938960817267003078806546968985487136542879598180014081927578001784;
    uint256 internal constant B8_2_KT = 6500526220702849925741112510212837808846044186276073546288498757790693236763;
    uint256 internal constant B8_3_YMX = 2204150112799533827818415900721827089325530007818790503405406893910109709608;
    uint256 internal constant B8_3_YPX = 6517998515433802272376229651943524443088198113394170497382783104111182812161;
    uint256 internal constant B8_3_KT = 3007604103310732320918757986405573220176812795445811493115323825959847091662;

    IPoseidonT6 public immutable poseidon;

    constructor(IPoseidonT6 poseidon_) {
        poseidon = poseidon_;
    }

    function verify(uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s, uint256 message) external view returns (bool ok) {
        if (s >= L || message >= Q || !_onCurve(ax, ay) || !_onCurve(r8x, r8y)) return false;
        // 8·A lies in the subgroup of order L (the curve has 8·L points), so h·(8·A) = (h mod L)·(8·A): both scalars
        // then fit in 251 bits.
        uint256 challenge = poseidon.hash([r8x, r8y, ax, ay, message]) % L;
        // A local, read by DUP in the assembly rather than a PUSH32 per use.
        uint256 q = Q;
        // S·B8 + h·(−8·A) = R8, as one joint double-and-add over 2-bit windows of both scalars (Shamir's trick with a
        // 16-entry table of i·B8 + j·(−8·A)): 252 doublings and at most 126 additions. Points are extended twisted
        // Edwards coordinates (X, Y, T, Z), x = X/Z, y = Y/Z, T = XY/Z, so no step inverts; the accumulator stays on
        // the stack and the table sits in memory past the free-memory pointer. Reduction is lazy: mulmod takes any
        // 256-bit operands, so sums and differences stay unreduced below 4·Q (bounds noted per line).
        assembly ("memory-safe") {
            // 2·(x, y, z) by dbl-2008-hwcd with a = −1 (T of the input is not read); inputs below Q, m is Q.
            function dbl(x, y, z, m) -> x3, y3, t3, z3 {
                let a := mulmod(x, x, m)
                let b := mulmod(y, y, m)
                let nab := sub(add(m, m), add(a, b)) // −a − b, in (0, 2Q]
                let xy := add(x, y)
                let e := add(mulmod(xy, xy, m), nab) // < 3Q
                let g := add(b, sub(m, a)) // < 2Q
                let c := mulmod(z, z, m)
                let f := add(g, sub(add(m, m), add(c, c))) // < 4Q
                x3 := mulmod(e, f, m)
                y3 := mulmod(g, nab, m)
                t3 := mulmod(e, nab, m)
                z3 := mulmod(f, g, m)
            }
            // (x1, y1, t1, z1) + the table entry at p, (y2 − x2, y2 + x2, 2·d'·t2, 2·z2), by add-2008-hwcd-3: complete,
            // so equal points and the identity need no special case. Inputs below Q, m is Q.
            function addEntry(x1, y1, t1, z1, p, m) -> x3, y3, t3, z3 {
                let a := mulmod(add(y1, sub(m, x1)), mload(p), m)
                let b := mulmod(add(y1, x1), mload(add(p, 32)), m)
                let c := mulmod(t1, mload(add(p, 64)), m)
                let d := mulmod(z1, mload(add(p, 96)), m)
                let e := add(b, sub(m, a)) // < 2Q
                let f := add(d, sub(m, c)) // < 2Q
                let g := add(d, c) // < 2Q
                let h := add(b, a) // < 2Q
                x3 := mulmod(e, f, m)
                y3 := mulmod(g, h, m)
                t3 := mulmod(e, h, m)
                z3 := mulmod(f, g, m)
            }
            function store(p, x, y, t, z, m) {
                mstore(p, add(y, sub(m, x)))
                mstore(add(p, 32), add(y, x))
                mstore(add(p, 64), mulmod(TWO_D, t, m))
                mstore(add(p, 96), add(z, z))
            }
            // Entry i + 4·j at tbl + 128·(i + 4·j); entry 0 (the identity) is never read.
            let tbl := mload(0x40)
            mstore(add(tbl, 128), B8_1_YMX)
            mstore(add(tbl, 160), B8_1_YPX)
            mstore(add(tbl, 192), B8_1_KT)
            mstore(add(tbl, 224), 2)
            mstore(add(tbl, 256), B8_2_YMX)
            mstore(add(tbl, 288), B8_2_YPX)
            mstore(add(tbl, 320), B8_2_KT)
            mstore(add(tbl, 352), 2)
            mstore(add(tbl, 384), B8_3_YMX)
            mstore(add(tbl, 416), B8_3_YPX)
            mstore(add(tbl, 448), B8_3_KT)
            mstore(add(tbl, 480), 2)
            // −A (negation is x ↦ −x) on the isomorphic curve, then 8·(−A); row j holds j·(−8·A) plus 0, B8, 2·B8, 3·B8.
            let x, y, t, z := dbl(mulmod(LAMBDA, sub(q, ax), q), ay, 1, q)
            x, y, t, z := dbl(x, y, z, q)
            x, y, t, z := dbl(x, y, z, q)
            for { let j := 1 } lt(j, 4) { j := add(j, 1) } {
                if eq(j, 2) { x, y, t, z := dbl(x, y, z, q) }
                if eq(j, 3) { x, y, t, z := addEntry(x, y, t, z, add(tbl, 512), q) }
                let row := add(tbl, shl(9, j))
                store(row, x, y, t, z, q)
                for { let i := 1 } lt(i, 4) { i := add(i, 1) } {
                    let x2, y2, t2, z2 := addEntry(x, y, t, z, add(tbl, shl(7, i)), q)
                    store(add(row, shl(7, i)), x2, y2, t2, z2, q)
                }
            }
            // Windows (bits i + 1, i) from the top: s < L < 2^251, and the challenge was reduced below L. The loop
            // repeats dbl and addEntry inline (a call's jumps and stack shuffling cost about 90 gas, some 33,000
            // over the 378 steps) and leaves out each T no later step reads.
            x := 0
            y := 1
            z := 1
            for { let i := 250 } 1 { i := sub(i, 2) } {
                {
                    let a := mulmod(x, x, q)
                    let b := mulmod(y, y, q)
                    let nab := sub(add(q, q), add(a, b))
                    let g := add(b, sub(q, a))
                    let f := add(g, sub(add(q, q), mulmod(add(z, z), z, q)))
                    let e := add(mulmod(add(x, y), add(x, y), q), nab)
                    x := mulmod(e, f, q)
                    y := mulmod(g, nab, q)
                    z := mulmod(f, g, q)
                }
                {
                    let a := mulmod(x, x, q)
                    let b := mulmod(y, y, q)
                    let nab := sub(add(q, q), add(a, b))
                    let g := add(b, sub(q, a))
                    let f := add(g, sub(add(q, q), mulmod(add(z, z), z, q)))
                    let e := add(mulmod(add(x, y), add(x, y), q), nab)
                    x := mulmod(e, f, q)
                    y := mulmod(g, nab, q)
                    t := mulmod(e, nab, q)
                    z := mulmod(f, g, q)
                }
                let idx := or(and(shr(i, s), 3), shl(2, and(shr(i, challenge), 3)))
                if idx {
                    let p := add(tbl, shl(7, idx))
                    let a := mulmod(add(y, sub(q, x)), mload(p), q)
                    let b := mulmod(add(y, x), mload(add(p, 32)), q)
                    let c := mulmod(t, mload(add(p, 64)), q)
                    let d := mulmod(z, mload(add(p, 96)), q)
                    let e := add(b, sub(q, a))
                    let f := add(d, sub(q, c))
                    let g := add(d, c)
                    x := mulmod(e, f, q)
                    y := mulmod(g, add(b, a), q)
                    z := mulmod(f, g, q)
                }
                if iszero(i) { break }
            }
            ok := and(eq(x, mulmod(mulmod(LAMBDA, r8x, q), z, q)), eq(y, mulmod(r8y, z, q)))
        }
    }

    /// a·x² + y² = 1 + d·x²·y², coordinates below Q.
    function _onCurve(uint256 x, uint256 y) internal pure returns (bool) {
        uint256 q = Q;
        if (x >= q || y >= q) return false;
        uint256 x2 = mulmod(x, x, q);
        uint256 y2 = mulmod(y, y, q);
        return addmod(mulmod(CURVE_A, x2, q), y2, q) == addmod(1, mulmod(CURVE_D, mulmod(x2, y2, q), q), q);
    }
}
