// The generated Poseidon contracts against circomlibjs: for each width, hashes a fixed list of inputs on anvil,
// asserts circomlibjs agrees, and returns the hashes (the C# test compares them with Validium.Crypto) and the gas.
//
//   node poseidon.mjs [PoseidonT<t>.sol ...]   extra generated widths, compiled beside the checked-in T3..T6
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { buildPoseidon } from "circomlibjs";
import { ethers } from "ethers";
import { artifacts, deploy, run, revertOf } from "./lib.mjs";

const Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const poseidon = await buildPoseidon();
const extra = {};
const widths = [3, 4, 5, 6];
for (const file of process.argv.slice(2)) {
  const m = /^PoseidonT(\d+)\.sol$/.exec(basename(file));
  if (!m) throw new Error(`poseidon.mjs: ${file} is not a PoseidonT<t>.sol`);
  extra[basename(file)] = { content: readFileSync(file, "utf8") };
  widths.push(Number(m[1]));
}
artifacts(extra);

await run(async ({ wallets }) => {
  const out = {};
  for (const t of widths) {
    const c = await deploy(wallets[0], `PoseidonT${t}`);
    const n = t - 1;
    const cases = [
      Array.from({ length: n }, () => 0n),
      Array.from({ length: n }, (_, i) => BigInt(i + 1)),
      Array.from({ length: n }, () => Q - 1n),
      Array.from({ length: n }, (_, i) => (Q / 7n) * BigInt(i + 2) + 12345n),
      // Spread over the field: the contracts reduce lazily, so large words are where an overflow would show.
      ...[1, 2, 3].map((k) => Array.from({ length: n }, (_, i) => BigInt(ethers.keccak256(ethers.toUtf8Bytes(`poseidon ${t} ${k} ${i}`))) % Q)),
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
