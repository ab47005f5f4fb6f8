namespace Validium.Proving.Solidity;

public static partial class VerifierEmitter
{
    /// <summary>
    /// Proof decompression for the verifier (SPEC.md "Compressed proofs"): square roots in Fp through the modexp
    /// precompile 0x05, in Fp2 by reduction to two Fp exponentiations. Only canonical encodings decode: a coordinate
    /// ≥ p, a flag combination other than those written by <c>Proof.ToCompressed</c> and an abscissa with no point on
    /// the curve revert. Subgroup membership of B is left to the pairing precompile, which fails for a point outside G2
    /// (EIP-197; the contract tests confirm it on anvil) and so turns such a proof into InvalidProof.
    /// </summary>
    private const string Decompression = """
            uint256 internal constant FLAG_GREATEST = 1 << 255;
            uint256 internal constant FLAG_INFINITY = 1 << 254;
            uint256 internal constant HALF_P = (P - 1) / 2;
            uint256 internal constant INV_2 = (P + 1) / 2;
            uint256 internal constant SQRT_EXP = (P + 1) / 4;
            uint256 internal constant INV_SQRT_EXP = (P - 3) / 4;
            // b' = 3 / (9 + u), the twist's constant.
            uint256 internal constant TWIST_B0 = 19485874751759354771024239261021720505790618469301721065564631296452457478373;
            uint256 internal constant TWIST_B1 = 266929791119991161246907387137283842545076965332900288569378510910307636690;

            /// The uncompressed proof (snarkjs calldata order) a 128-byte compressed proof stands for; reverts unless
            /// the encoding is canonical and every point is on its curve.
            function decompressProof(uint256[4] calldata proof)
                public view returns (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c)
            {
                a = _decompressG1(proof[0]);
                b = _decompressG2(proof[1], proof[2]);
                c = _decompressG1(proof[3]);
            }

            /// x with flags in its top two bits: 0x80… y is the larger root (y > (p−1)/2), 0x40… infinity (nothing else set).
            function _decompressG1(uint256 w) internal view returns (uint256[2] memory p) {
                if (w & FLAG_INFINITY != 0) {
                    if (w != FLAG_INFINITY) revert InvalidPointFlags();
                    return p;
                }
                uint256 x = w & ~FLAG_GREATEST;
                if (x >= P) revert CoordinateNotInField();
                uint256 rhs = addmod(mulmod(mulmod(x, x, P), x, P), 3, P);
                uint256 y = _expmod(rhs, SQRT_EXP);
                if (mulmod(y, y, P) != rhs) revert PointNotOnCurve();
                // G1 has odd order, so y is never 0 and P - y stays canonical.
                if ((y > HALF_P) != (w & FLAG_GREATEST != 0)) y = P - y;
                (p[0], p[1]) = (x, y);
            }

            /// w = x's imaginary part with the flags as for G1 (the sign of y is its imaginary part's, or its real
            /// part's when the imaginary part is 0), x0 = x's real part.
            function _decompressG2(uint256 w, uint256 x0) internal view returns (uint256[2][2] memory q) {
                if (w & FLAG_INFINITY != 0) {
                    if (w != FLAG_INFINITY || x0 != 0) revert InvalidPointFlags();
                    return q;
                }
                uint256 x1 = w & ~FLAG_GREATEST;
                if (x1 >= P || x0 >= P) revert CoordinateNotInField();
                (uint256 r0, uint256 r1) = _mul2(x0, x1, x0, x1);
                (r0, r1) = _mul2(r0, r1, x0, x1);
                r0 = addmod(r0, TWIST_B0, P);
                r1 = addmod(r1, TWIST_B1, P);
                (uint256 y0, uint256 y1) = _sqrt2(r0, r1);
                (uint256 s0, uint256 s1) = _mul2(y0, y1, y0, y1);
                if (s0 != r0 || s1 != r1) revert PointNotOnCurve();
                // The twist's group has odd order too: y ≠ 0, so negating keeps both parts canonical.
                bool greatest = y1 != 0 ? y1 > HALF_P : y0 > HALF_P;
                if (greatest != (w & FLAG_GREATEST != 0)) {
                    if (y0 != 0) y0 = P - y0;
                    if (y1 != 0) y1 = P - y1;
                }
                (q[0][0], q[0][1], q[1][0], q[1][1]) = (x1, x0, y1, y0);
            }

            /// A candidate square root of a0 + a1·u (u² = −1); the caller checks it. With n = √(a0² + a1²) and
            /// d = (a0 + n)/2, one of d and (a0 − n)/2 is a square in Fp (their product −a1²/4 is not), and
            /// t = d^((p−3)/4) gives both s = d·t = d^((p+1)/4) and, when d is a square, 1/s = t; when it is not,
            /// s² = −d and 1/d = −t². So √ = (s, a1·t/2), or else (a1·s·t²/2, s): two exponentiations in all.
            function _sqrt2(uint256 a0, uint256 a1) internal view returns (uint256, uint256) {
                if (a1 == 0) {
                    // Every element of Fp is a square in Fp2: √a0, or √(−a0)·u.
                    uint256 r = _expmod(a0, SQRT_EXP);
                    if (mulmod(r, r, P) == a0) return (r, 0);
                return (0, r);
                }
                uint256 n = _expmod(addmod(mulmod(a0, a0, P), mulmod(a1, a1, P), P), SQRT_EXP);
                uint256 d = mulmod(addmod(a0, n, P), INV_2, P);
                uint256 t = _expmod(d, INV_SQRT_EXP);
                uint256 s = mulmod(d, t, P);
                if (mulmod(s, s, P) == d) return (s, mulmod(mulmod(a1, t, P), INV_2, P));
                return (mulmod(mulmod(a1, s, P), mulmod(mulmod(t, t, P), INV_2, P), P), s);
            }

            function _mul2(uint256 a0, uint256 a1, uint256 b0, uint256 b1) internal pure returns (uint256, uint256) {
                return (addmod(mulmod(a0, b0, P), P - mulmod(a1, b1, P), P), addmod(mulmod(a0, b1, P), mulmod(a1, b0, P), P));
            }

            /// base^e mod P through the modexp precompile (EIP-198).
            function _expmod(uint256 base, uint256 e) internal view returns (uint256 r) {
                bool ok;
                assembly ("memory-safe") {
                    let m := mload(0x40)
                    mstore(m, 32)
                    mstore(add(m, 32), 32)
                    mstore(add(m, 64), 32)
                    mstore(add(m, 96), base)
                    mstore(add(m, 128), e)
                    mstore(add(m, 160), P)
                    ok := staticcall(gas(), 0x05, m, 192, m, 32)
                    r := mload(m)
                }
                if (!ok) revert InvalidProof();
            }

        """;
}
