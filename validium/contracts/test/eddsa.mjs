// The on-chain EdDSA-Poseidon verifier against circomlibjs signatures: valid ones pass, each tampered field fails.
import assert from "node:assert/strict";
import { buildEddsa } from "circomlibjs";
import { deploy, run } from "./lib.mjs";

const eddsa = await buildEddsa();
const F = eddsa.babyJub.F;
const Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

await run(async ({ wallets }) => {
  const t6 = await deploy(wallets[0], "PoseidonT6");
  const v = await deploy(wallets[0], "EdDsaPoseidonVerifier", await t6.getAddress());
  const cases = [];
  let gas = 0;
  for (let k = 1; k <= 3; k++) {
    const prv = Buffer.alloc(32, k);
    const pub = eddsa.prv2pub(prv);
    const msg = BigInt(k) * 1234567890123456789n + 42n;
    const sig = eddsa.signPoseidon(prv, F.e(msg));
    const args = [F.toObject(pub[0]), F.toObject(pub[1]), F.toObject(sig.R8[0]), F.toObject(sig.R8[1]), sig.S, msg];
    assert.ok(eddsa.verifyPoseidon(F.e(msg), sig, pub));
    const ok = await v.verify(...args);
    gas = Number(await v.verify.estimateGas(...args));
    const tampered = [
      [args[0], args[1], args[2], args[3], args[4], args[5] + 1n],
      [args[0], args[1], args[2], args[3], args[4] + 1n, args[5]],
      [args[0], args[1], args[3], args[2], args[4], args[5]],
      [args[1], args[0], args[2], args[3], args[4], args[5]],
      [args[0], args[1], args[2], args[3], args[4] + 2736030358979909402780800718157159386076813972158567259200215660948447373041n, args[5]],
      [args[0] + Q, args[1], args[2], args[3], args[4], args[5]],
    ];
    const rejected = [];
    for (const t of tampered) rejected.push(await v.verify(...t));
    cases.push({ valid: ok, tampered: rejected });
  }
  return { cases, gas };
});
