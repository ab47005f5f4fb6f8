// Signs an exchange order the way a JavaScript wallet would, with circomlibjs only (no code of ours), per ORDERS.md.
// Usage: node sign-order.mjs <private key hex> <field0> ... <field10>   (fields as decimal signed 64-bit integers)
// Prints JSON: public key, order hash and signature as decimal strings.
import { buildEddsa, buildPoseidon } from "circomlibjs";

const [keyHex, ...raw] = process.argv.slice(2);
if (!keyHex || raw.length !== 11) {
  console.error("usage: node sign-order.mjs <key hex> <11 fields>");
  process.exit(2);
}
const eddsa = await buildEddsa();
const poseidon = await buildPoseidon();
const F = poseidon.F;
// Each field is its 64-bit two's-complement pattern read as an unsigned integer.
const fields = raw.map((v) => BigInt.asUintN(64, BigInt(v)));
const hash = poseidon(fields);
const key = Buffer.from(keyHex, "hex");
const [ax, ay] = eddsa.prv2pub(key);
const sig = eddsa.signPoseidon(key, hash);
console.log(JSON.stringify({
  ax: eddsa.F.toObject(ax).toString(),
  ay: eddsa.F.toObject(ay).toString(),
  hash: F.toObject(hash).toString(),
  r8x: eddsa.F.toObject(sig.R8[0]).toString(),
  r8y: eddsa.F.toObject(sig.R8[1]).toString(),
  s: sig.S.toString(),
}));
