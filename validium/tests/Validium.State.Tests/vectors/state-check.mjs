// Independent check of Validium.State: roots, proofs and leaf hashes computed with circomlibjs' poseidon.
// Usage (from the repository root): node validium/tests/Validium.State.Tests/vectors/state-check.mjs request.json
// The request names trees ({depth, leaves: [[index, value]], prove: [index]}) and leaf records; values are
// decimal strings. The answer on stdout has the same shape with roots, proofs and hashes as decimal strings.
// The tree code here is a plain recursion over the non-empty leaves: it shares no structure with the C# store.
import { readFileSync } from "node:fs";
import { buildPoseidon } from "circomlibjs";

const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const poseidon = await buildPoseidon();
const F = poseidon.F;
const hash = (inputs) => F.toObject(poseidon(inputs));

// Signed integers enter the field as n, or P - |n| when negative (STATE.md).
const signed = (s) => { const n = BigInt(s); return n < 0n ? P + n : n; };

const zero = [0n];
for (let i = 1; i <= 64; i++) zero.push(hash([zero[i - 1], zero[i - 1]]));

// Root of the subtree of height `level` whose leftmost leaf is `first`, given only the leaves inside it.
function subtree(level, first, leaves) {
  if (leaves.length === 0) return zero[level];
  if (level === 0) return leaves[leaves.length - 1][1]; // the last write to an index wins
  const half = 1n << BigInt(level - 1);
  const left = leaves.filter(([i]) => i < first + half);
  const right = leaves.filter(([i]) => i >= first + half);
  return hash([subtree(level - 1, first, left), subtree(level - 1, first + half, right)]);
}

function tree({ depth, leaves, prove }) {
  const ls = leaves.map(([i, v]) => [BigInt(i), BigInt(v)]);
  const inside = (level, first) => ls.filter(([i]) => i >= first && i < first + (1n << BigInt(level)));
  const proofs = prove.map((s) => {
    const index = BigInt(s);
    const siblings = [];
    for (let level = 0; level < depth; level++) {
      const first = ((index >> BigInt(level)) ^ 1n) << BigInt(level);
      siblings.push(subtree(level, first, inside(level, first)).toString());
    }
    return { index: s, leaf: subtree(0, index, inside(0, index)).toString(), siblings };
  });
  return { root: subtree(depth, 0n, ls).toString(), proofs };
}

const req = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = {
  emptyRoots: (req.emptyRoots ?? []).map((d) => zero[d].toString()),
  trees: (req.trees ?? []).map(tree),
  accounts: (req.accounts ?? []).map((a) =>
    hash([BigInt(a.ax), BigInt(a.ay), BigInt(a.nonce), signed(a.collateral), BigInt(a.positionsRoot)]).toString()),
  positions: (req.positions ?? []).map((p) =>
    p.size === "0" && p.openNotional === "0" && p.fundingIndex === "0"
      ? "0"
      : hash([signed(p.size), signed(p.openNotional), signed(p.fundingIndex)]).toString()),
  fills: (req.fills ?? []).map((f) => (f.filled === "0" ? "0" : hash([BigInt(f.orderHash), BigInt(f.filled)]).toString())),
};
process.stdout.write(JSON.stringify(out));
