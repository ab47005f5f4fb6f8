// Regenerates circomlib.json, the expected values the C# crypto tests compare against.
// Every value here comes from circomlibjs (and blake-hash, which circomlibjs uses), never from our C#.
// Run from the repository root: node accel/tests/vectors/gen-circomlib.mjs
// Inputs come from a fixed-seed generator, so the output is byte-for-byte reproducible.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { buildPoseidon, buildPoseidonReference, buildPoseidonOpt, buildBabyjub, buildEddsa } from "circomlibjs";

const require = createRequire(import.meta.url);
const createBlakeHash = require("blake-hash");
// The constant tables are not in circomlibjs' export map; load them from its source folder.
const circomlibSrc = join(dirname(require.resolve("circomlibjs")), "..", "src");
const constants = (await import(pathToFileURL(join(circomlibSrc, "poseidon_constants.js")))).default;
const constantsOpt = (await import(pathToFileURL(join(circomlibSrc, "poseidon_constants_opt.js")))).default;

const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

// splitmix64: small, well known, and easy to reproduce anywhere.
let seed = 0x5eed_0f_c1_4c_0_11bn;
function next64() {
  seed = (seed + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  let z = seed;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  return z ^ (z >> 31n);
}
function randomBytes(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 8) {
    let w = next64();
    for (let j = 0; j < 8 && i + j < n; j++) { out[i + j] = Number(w & 0xffn); w >>= 8n; }
  }
  return out;
}
function randomField() {
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 64n) | next64();
  return v % P;
}
const hex = (b) => Buffer.from(b).toString("hex");

const poseidon = await buildPoseidon();
const poseidonRef = await buildPoseidonReference();
const poseidonOpt = await buildPoseidonOpt();
const babyJub = await buildBabyjub();
const eddsa = await buildEddsa();
const F = babyJub.F;
const str = (x) => F.toObject(x).toString();

function assert(cond, what) { if (!cond) throw new Error("self-check failed: " + what); }

// --- Poseidon outputs, cross-checked across circomlibjs' three implementations.
const poseidonVectors = [];
for (let n = 1; n <= 16; n++) {
  const sets = [
    Array(n).fill(0n),
    Array(n).fill(P - 1n),
    Array.from({ length: n }, (_, i) => BigInt(i + 1)),
    Array.from({ length: n }, randomField),
    Array.from({ length: n }, randomField),
  ];
  for (const inputs of sets) {
    const out = str(poseidon(inputs));
    assert(str(poseidonRef(inputs)) === out && poseidonOpt.F.toObject(poseidonOpt(inputs)).toString() === out, `poseidon ${n}`);
    poseidonVectors.push({ inputs: inputs.map(String), output: out });
  }
}

// --- Digests of circomlibjs' constant tables, so the C# side can prove it regenerates them exactly
// without this file carrying megabytes of constants. Digest = sha256 of the decimal values joined by ",".
const toDec = (x) => BigInt(x).toString();
const digest = (values) => createHash("sha256").update(values.map(toDec).join(",")).digest("hex");
const constantDigests = [];
for (let t = 2; t <= 17; t++) {
  const C = constants.C[t - 2], M = constants.M[t - 2];
  const o = { C: constantsOpt.C[t - 2], S: constantsOpt.S[t - 2], M: constantsOpt.M[t - 2], P: constantsOpt.P[t - 2] };
  constantDigests.push({
    t,
    roundConstants: { count: C.length, first: toDec(C[0]), last: toDec(C[C.length - 1]), sha256: digest(C) },
    mds: { first: toDec(M[0][0]), sha256: digest(M.flat()) },
    optimized: { C: digest(o.C), S: digest(o.S), M: digest(o.M.flat()), P: digest(o.P.flat()) },
  });
}

// --- BLAKE-512 (the SHA-3 finalist), around its 111/112/128-byte padding boundaries.
const blakeMessages = [
  new Uint8Array(0), new Uint8Array([0]), new TextEncoder().encode("abc"), new Uint8Array(144),
  ...[32, 64, 110, 111, 112, 113, 127, 128, 129, 239, 240, 256, 1000].map(randomBytes),
];
const blake512 = blakeMessages.map((m) => ({ message: hex(m), digest: createBlakeHash("blake512").update(Buffer.from(m)).digest("hex") }));

// --- Keys and signatures.
const keys = [new Uint8Array(32), Uint8Array.from({ length: 32 }, (_, i) => i), ...Array.from({ length: 6 }, () => randomBytes(32))];
const prv2pub = keys.map((k) => {
  const A = eddsa.prv2pub(k);
  return { privateKey: hex(k), ax: str(A[0]), ay: str(A[1]), packed: hex(babyJub.packPoint(A)) };
});

const signatures = [];
keys.forEach((k, i) => {
  const msgs = i < 2 ? [0n, 1n, P - 1n, randomField()] : [randomField(), randomField()];
  for (const m of msgs) {
    const msg = F.e(m);
    const sig = eddsa.signPoseidon(k, msg);
    const A = eddsa.prv2pub(k);
    assert(eddsa.verifyPoseidon(msg, sig, A), "signature verifies");
    signatures.push({ privateKey: hex(k), message: m.toString(), r8x: str(sig.R8[0]), r8y: str(sig.R8[1]), s: sig.S.toString(), packed: hex(eddsa.packSignature(sig)) });
  }
});

// --- Point packing: multiples of Base8, the generator, the identity; plus unpacking of arbitrary
// canonical encodings (some are not points), which pins down which square root circomlibjs picks.
const points = [babyJub.Base8, babyJub.Generator, [F.e(0n), F.e(1n)]];
for (let i = 0; i < 8; i++) points.push(babyJub.mulPointEscalar(babyJub.Base8, randomField()));
const packPoint = points.map((pt) => {
  const packed = babyJub.packPoint(pt);
  const back = babyJub.unpackPoint(Uint8Array.from(packed));
  return { x: str(pt[0]), y: str(pt[1]), packed: hex(packed), unpacked: back ? { x: str(back[0]), y: str(back[1]) } : null };
});
const unpackPoint = [];
for (let i = 0; i < 12; i++) {
  const b = randomBytes(32);
  b[31] &= 0x1f | (i % 2 ? 0x80 : 0);
  const back = babyJub.unpackPoint(Uint8Array.from(b));
  unpackPoint.push({ packed: hex(b), point: back ? { x: str(back[0]), y: str(back[1]) } : null });
}

// --- verifyPoseidon verdicts: genuine signatures, tampered ones, and the edge cases of its acceptance rule
// (no subgroup demand: small-order and mixed-order keys, torsion in R8, S at and past l, identity points).
const l = babyJub.subOrder;
const addPt = (p, q) => babyJub.addPoint(p, q);
const mulPt = (p, k) => babyJub.mulPointEscalar(p, k);
const negPt = (p) => [F.neg(p[0]), p[1]];
const identity = [F.e(0n), F.e(1n)];
const order8 = mulPt(babyJub.Generator, l); // the generator has order 8l
const order4 = mulPt(order8, 2n), order2 = mulPt(order8, 4n);
assert(!F.eq(order8[0], F.zero) && !F.eq(order4[0], F.zero) && F.eq(order2[0], F.zero) && !F.eq(order2[1], F.one), "small-order points");
const verifyPoseidon = [];
function verifyCase(name, msg, R8, S, A) {
  verifyPoseidon.push({ name, message: msg.toString(), r8x: str(R8[0]), r8y: str(R8[1]), s: S.toString(), ax: str(A[0]), ay: str(A[1]),
    valid: eddsa.verifyPoseidon(F.e(msg), { R8, S }, A) });
}
// A signature by a bare scalar x under the key x·B8 + torsion: S = r + 8·h·x, which the rule accepts whatever the torsion.
function signWithTorsion(x, torsion, msg, r) {
  const A = addPt(mulPt(babyJub.Base8, x), torsion);
  const R8 = mulPt(babyJub.Base8, r);
  const h = F.toObject(poseidon([R8[0], R8[1], A[0], A[1], F.e(msg)]));
  return { A, R8, S: (r + 8n * h * x) % l };
}
for (let i = 0; i < 4; i++) {
  const m = randomField();
  const sig = eddsa.signPoseidon(keys[i], F.e(m));
  const A = eddsa.prv2pub(keys[i]);
  const other = eddsa.prv2pub(keys[i + 1]);
  verifyCase("genuine", m, sig.R8, sig.S, A);
  verifyCase("message + 1", (m + 1n) % P, sig.R8, sig.S, A);
  verifyCase("R8 + B8", m, addPt(sig.R8, babyJub.Base8), sig.S, A);
  verifyCase("R8 negated", m, negPt(sig.R8), sig.S, A);
  verifyCase("R8 + order-2 point", m, addPt(sig.R8, order2), sig.S, A);
  verifyCase("R8 + order-8 point", m, addPt(sig.R8, order8), sig.S, A);
  verifyCase("R8 off the curve", m, [sig.R8[0], F.add(sig.R8[1], F.one)], sig.S, A);
  verifyCase("S + 1", m, sig.R8, (sig.S + 1n) % l, A);
  verifyCase("S + l", m, sig.R8, sig.S + l, A);
  verifyCase("S + 8l", m, sig.R8, sig.S + 8n * l, A);
  verifyCase("another key", m, sig.R8, sig.S, other);
  verifyCase("key negated", m, sig.R8, sig.S, negPt(A));
  verifyCase("key + order-2 point", m, sig.R8, sig.S, addPt(A, order2));
  verifyCase("key off the curve", m, sig.R8, sig.S, [F.add(A[0], F.one), A[1]]);
  const x = randomField() % l, r = randomField() % l;
  const mixed = signWithTorsion(x, order8, m, r);
  verifyCase("mixed-order key", m, mixed.R8, mixed.S, mixed.A);
  const plain = signWithTorsion(x, identity, m, r);
  verifyCase("bare-scalar key", m, plain.R8, plain.S, plain.A);
  verifyCase("bare-scalar key, R8 + order-4 point", m, addPt(plain.R8, order4), plain.S, plain.A);
}
const anyS = randomField() % l, anyMsg = randomField();
for (const [name, A] of [["identity", identity], ["order-2", order2], ["order-4", order4], ["order-8", order8]]) {
  verifyCase(`${name} key, R8 = S·B8`, anyMsg, mulPt(babyJub.Base8, anyS), anyS, A);
  verifyCase(`${name} key, R8 = S·B8 + B8`, anyMsg, mulPt(babyJub.Base8, anyS + 1n), anyS, A);
}
const A0 = eddsa.prv2pub(keys[0]);
verifyCase("S = 0, R8 = identity, identity key", anyMsg, identity, 0n, identity);
verifyCase("S = 0, R8 = identity", anyMsg, identity, 0n, A0);
verifyCase("S = 0, R8 = order-2 point, order-2 key", anyMsg, order2, 0n, order2);
verifyCase("S = l, R8 = identity, identity key", anyMsg, identity, l, identity);
verifyCase("S = l - 1, R8 = (l - 1)·B8, identity key", anyMsg, mulPt(babyJub.Base8, l - 1n), l - 1n, identity);
verifyCase("R8 = (0, 2), not on the curve", anyMsg, [F.e(0n), F.e(2n)], anyS, A0);
verifyCase("key = (0, 0), not on the curve", anyMsg, mulPt(babyJub.Base8, anyS), anyS, [F.e(0n), F.e(0n)]);

const out = {
  source: "circomlibjs 0.1.7 and blake-hash via accel/tests/vectors/gen-circomlib.mjs (seeded; do not edit by hand)",
  poseidon: poseidonVectors,
  poseidonConstants: constantDigests,
  blake512,
  prv2pub,
  signPoseidon: signatures,
  packPoint,
  unpackPoint,
  verifyPoseidon,
};
const target = join(process.env.VECTORS_OUT ?? dirname(fileURLToPath(import.meta.url)), "circomlib.json");
writeFileSync(target, JSON.stringify(out, null, 1) + "\n");
console.log(`wrote ${target}`);
process.exit(0);
