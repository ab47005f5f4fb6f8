// The generated Poseidon contracts against circomlibjs: for each width, hashes a fixed list of inputs on anvil,
// asserts circomlibjs agrees, and returns the hashes (the C# test compares them with Validium.Crypto) and the gas.
import assert from "node:assert/strict";
import { buildPoseidon } from "circomlibjs";
import { deploy, run, revertOf } from "./lib.mjs";

const Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const poseidon = await buildPoseidon();

await run(async ({ wallets }) => {
  const out = {};
  for (const t of [3, 4, 5, 6]) {
    const c = await deploy(wallets[0], `PoseidonT${t}`);
    const n = t - 1;
    const cases = [
      Array.from({ length: n }, () => 0n),
      Array.from({ length: n }, (_, i) => BigInt(i + 1)),
      Array.from({ length: n }, () => Q - 1n),
      Array.from({ length: n }, (_, i) => (Q / 7n) * BigInt(i + 2) + 12345n),
    ];
    const rows = [];
    for (const inputs of cases) {
      const onChain = await c.hash(inputs);
      assert.equal(onChain, poseidon.F.toObject(poseidon(inputs)), `PoseidonT${t}(${inputs}) differs from circomlibjs`);
      // Gas of the hash itself: the estimate of a transaction calling it, less the 21,000 base and its calldata.
      const gas = await c.hash.estimateGas(inputs);
      rows.push({ inputs: inputs.map(String), hash: onChain.toString(), gas: Number(gas) });
    }
    const bad = Array.from({ length: n }, () => 1n);
    bad[n - 1] = Q;
    let rejected;
    try {
      await c.hash(bad);
      rejected = "ok";
    } catch (e) {
      rejected = revertOf(c, e);
    }
    out[t] = { rows, nonCanonical: rejected };
  }
  return out;
});
