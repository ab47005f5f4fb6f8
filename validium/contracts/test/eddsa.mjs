// The on-chain EdDSA-Poseidon verifier against circomlibjs: signatures from eddsa.signPoseidon pass and each tampered
// field fails; and on keys eddsa.prv2pub never makes (outside the prime-order subgroup, of small order, the identity),
// with signatures built for them, the contract's answer equals circomlibjs's verifyPoseidon. The contract's
// precomputed curve constants are checked against circomlibjs first.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildEddsa } from "circomlibjs";
import { ethers } from "ethers";
import { deploy, run } from "./lib.mjs";

const eddsa = await buildEddsa();
const bj = eddsa.babyJub;
const F = bj.F;
const Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const L = bj.subOrder;

const scalar = (label) => BigInt(ethers.keccak256(ethers.toUtf8Bytes(label)));
const point = (p) => [F.toObject(p[0]), F.toObject(p[1])];

/**
 * A signature of msg under A = k·Generator, which lies outside the prime-order subgroup unless 8 divides k:
 * 8·A = k·B8, so S = r + h·k (mod L) with R8 = r·B8 satisfies S·B8 = R8 + 8·h·A.
 */
function signWithScalar(k, msg, r) {
  const A = bj.mulPointEscalar(bj.Generator, k);
  const R8 = bj.mulPointEscalar(bj.Base8, r);
  const h = F.toObject(eddsa.poseidon([R8[0], R8[1], A[0], A[1], F.e(msg)]));
  return [...point(A), ...point(R8), (r + h * k) % L, msg];
}

/** The contract's precomputed constants, recomputed here from circomlibjs's curve and Base8. */
function checkConstants() {
  const src = readFileSync(new URL("../EdDsaPoseidonVerifier.sol", import.meta.url), "utf8");
  const c = Object.fromEntries([...src.matchAll(/uint256 internal constant (\w+) = (\d+);/g)].map((m) => [m[1], BigInt(m[2])]));
  const mod = (x) => ((x % Q) + Q) % Q;
  const a = F.toObject(bj.A), d = F.toObject(bj.D);
  const lambda = c.LAMBDA;
  assert.equal(mod(lambda * lambda), mod(-a), "LAMBDA² is not −a");
  assert.equal(c.TWO_D, mod(2n * F.toObject(F.div(F.e(mod(-d)), F.e(a)))), "TWO_D is not 2·(−d/a)");
  for (const k of [1n, 2n, 3n]) {
    const [x, y] = point(bj.mulPointEscalar(bj.Base8, k));
    const xp = mod(lambda * x);
    assert.equal(c[`B8_${k}_YMX`], mod(y - xp), `B8_${k}_YMX`);
    assert.equal(c[`B8_${k}_YPX`], mod(y + xp), `B8_${k}_YPX`);
    assert.equal(c[`B8_${k}_KT`], mod(c.TWO_D * xp * y), `B8_${k}_KT`);
  }
}
checkConstants();

const circomlibjs = ([ax, ay, r8x, r8y, s, msg]) =>
  eddsa.verifyPoseidon(F.e(msg), { R8: [F.e(r8x), F.e(r8y)], S: s }, [F.e(ax), F.e(ay)]);

await run(async ({ wallets }) => {
  const t6 = await deploy(wallets[0], "PoseidonT6");
  const v = await deploy(wallets[0], "EdDsaPoseidonVerifier", await t6.getAddress());
  const cases = [];
  let gas = 0;
  for (let k = 1; k <= 8; k++) {
    const prv = Buffer.alloc(32, k);
    const pub = eddsa.prv2pub(prv);
    const msg = k === 8 ? Q - 1n : BigInt(k) * 1234567890123456789n + 42n;
    const sig = eddsa.signPoseidon(prv, F.e(msg));
    const args = [F.toObject(pub[0]), F.toObject(pub[1]), F.toObject(sig.R8[0]), F.toObject(sig.R8[1]), sig.S, msg];
    assert.ok(eddsa.verifyPoseidon(F.e(msg), sig, pub));
    const ok = await v.verify(...args);
    if (k === 1) gas = Number(await v.verify.estimateGas(...args));
    const tampered = [
      [args[0], args[1], args[2], args[3], args[4], args[5] + 1n],
      [args[0], args[1], args[2], args[3], args[4] + 1n, args[5]],
      [args[0], args[1], args[3], args[2], args[4], args[5]],
      [args[1], args[0], args[2], args[3], args[4], args[5]],
      [args[0], args[1], args[2], args[3], args[4] + L, args[5]],
      [args[0] + Q, args[1], args[2], args[3], args[4], args[5]],
    ];
    const rejected = [];
    for (const t of tampered) rejected.push(await v.verify(...t));
    cases.push({ valid: ok, tampered: rejected });
  }

  const unusual = [];
  for (let k = 1n; k <= 9n; k++) unusual.push(signWithScalar(scalar(`key ${k}`) * 8n + k, scalar(`msg ${k}`) % Q, scalar(`nonce ${k}`) % L));
  const base = signWithScalar(scalar("key 0") * 8n + 3n, 77n, scalar("nonce 0") % L);
  unusual.push([base[0], base[1], base[2], base[3], base[4], 78n]);
  // The identity and the point of order 2 as keys: 8·A is the identity, so S·B8 = R8 passes for any message.
  for (const ay of [1n, Q - 1n]) {
    const R8 = point(bj.mulPointEscalar(bj.Base8, 12345n));
    unusual.push([0n, ay, ...R8, 12345n, 99n]);
    unusual.push([0n, ay, ...R8, 12346n, 99n]);
  }
  const differential = [];
  for (const args of unusual) differential.push({ circomlibjs: circomlibjs(args), contract: await v.verify(...args) });
  return { cases, gas, differential };
});
