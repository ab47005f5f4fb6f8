// Writes compression.json: BN254 point compression as ffjavascript (snarkjs's curve code) does it, for the C#
// G1/G2/proof compression tests. Every y is recomputed from x by ffjavascript's own square root (fromRprCompressed)
// and must be the point's; the rejection lists are built with ffjavascript's isSquare and scalar multiplication.
// Run from the repository root: node accel/tests/vectors/gen-compression.mjs
//
// Schema: { g1: [{ point: [x, y], compressed }], g2: [{ point: [[x_c0, x_c1], [y_c0, y_c1]], compressed }],
//   g1OffCurve: [hex], g2OffTwist: [hex], g2OutsideSubgroup: [hex] }: decimal coordinates (Fp2 real part first), 32-
//   and 64-byte big-endian hex; off-curve abscissas carry a sign flag on every other entry.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildBn128 } from "ffjavascript";
import { ethers } from "ethers";

const curve = await buildBn128(true);
const { G1, G2 } = curve;
const F1 = G1.F;
const F2 = G2.F;
const hex = (b) => Buffer.from(b).toString("hex");
const dec = (v) => v.toString(10);
const seeded = (label, i) => BigInt(ethers.keccak256(ethers.toUtf8Bytes(`${label}-${i}`)));

function compressed(group, p, n8) {
  const buf = new Uint8Array(n8);
  group.toRprCompressed(buf, 0, group.toAffine(p));
  // y from x through ffjavascript's sqrt, and the flag: it must give back the same point.
  assert.ok(group.eq(group.fromRprCompressed(buf.slice(), 0), p), "ffjavascript round trip");
  return hex(buf);
}

const g1 = [];
const g2 = [];
for (let i = 0; i < 32; i++) {
  // Negating every other point gives both flag values whatever the scalars are.
  const sign = i % 2 ? (p, group) => group.neg(p) : (p) => p;
  const a = sign(G1.timesScalar(G1.g, seeded("g1", i) % curve.r), G1);
  const b = sign(G2.timesScalar(G2.g, seeded("g2", i) % curve.r), G2);
  const [ax, ay] = G1.toObject(G1.toAffine(a));
  const [[bx0, bx1], [by0, by1]] = G2.toObject(G2.toAffine(b));
  g1.push({ point: [dec(ax), dec(ay)], compressed: compressed(G1, a, 32) });
  g2.push({ point: [[dec(bx0), dec(bx1)], [dec(by0), dec(by1)]], compressed: compressed(G2, b, 64) });
}

const word = (v, bytes = 32) => v.toString(16).padStart(2 * bytes, "0");
const g1OffCurve = [];
for (let x = seeded("g1-off", 0) % curve.q; g1OffCurve.length < 8; x++) {
  if (F1.isSquare(F1.add(F1.mul(F1.square(F1.e(x)), F1.e(x)), G1.b))) continue;
  g1OffCurve.push(word(x | (g1OffCurve.length % 2 ? 1n << 255n : 0n)));
}
const g2OffTwist = [];
const g2OutsideSubgroup = [];
for (let x0 = seeded("g2-off", 0) % curve.q; g2OffTwist.length < 8 || g2OutsideSubgroup.length < 8; x0++) {
  const x1 = seeded("g2-off", 1) % curve.q;
  const x = F2.fromObject([x0, x1]);
  const rhs = F2.add(F2.mul(F2.square(x), x), G2.b);
  if (!F2.isSquare(rhs)) {
    if (g2OffTwist.length < 8) g2OffTwist.push(word(x1 | (g2OffTwist.length % 2 ? 1n << 255n : 0n)) + word(x0));
    continue;
  }
  const y = F2.sqrt(rhs);
  assert.ok(F2.eq(F2.square(y), rhs));
  const q = G2.fromObject([[x0, x1], F2.toObject(y), [1n, 0n]]);
  if (g2OutsideSubgroup.length < 8 && !G2.isZero(G2.timesScalar(q, curve.r))) {
    const buf = new Uint8Array(64);
    G2.toRprCompressed(buf, 0, q);
    g2OutsideSubgroup.push(hex(buf));
  }
}

const out = { generator: "accel/tests/vectors/gen-compression.mjs", library: "ffjavascript buildBn128 toRprCompressed/fromRprCompressed", g1, g2, g1OffCurve, g2OffTwist, g2OutsideSubgroup };
const file = join(process.env.VECTORS_OUT ?? dirname(fileURLToPath(import.meta.url)), "compression.json");
writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
await curve.terminate();
console.log(`wrote ${file}: ${g1.length} G1 and ${g2.length} G2 points, ${g1OffCurve.length + g2OffTwist.length + g2OutsideSubgroup.length} points to reject`);
