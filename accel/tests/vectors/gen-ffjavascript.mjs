// Reference vectors for BN254 group arithmetic (G1/G2 scalar multiplication, G1 add/double, G1 multi-scalar
// multiplication), produced by ffjavascript — the WebAssembly library snarkjs proves with — as an independent oracle.
//
// Run from the repository root:  node accel/tests/vectors/gen-ffjavascript.mjs   (writes ffjavascript.json next to this file)
// Deterministic: scalars are keccak256("validium/ffjs/<label>") mod r (or fixed edge values), so reruns give identical output.
//
// Schema of ffjavascript.json. Numbers are decimal strings of canonical (non-Montgomery) field elements.
//   G1 = ["x", "y"]                                  affine
//   G2 = [["x_c0", "x_c1"], ["y_c0", "y_c1"]]        affine, each Fp2 element c0 + c1·u with u^2 = -1 (real part first,
//                                                     unlike EIP-197's byte order, which puts the imaginary part first)
//   the point at infinity is the string "infinity" in place of the array (for G1 and G2)
// {
//   "generator": "gen-ffjavascript.mjs", "ffjavascript": "<version>",
//   "curve": { "p": dec, "r": dec, "g1": G1, "g2": G2 },
//   "g1Mul":    [ { "name": string, "scalar": dec, "result": G1 } ],            // result = scalar · g1
//   "g1Add":    [ { "name": string, "a": G1, "b": G1, "result": G1 } ],         // result = a + b
//   "g1Double": [ { "name": string, "a": G1, "result": G1 } ],                  // result = 2a
//   "g2Mul":    [ { "name": string, "scalar": dec, "result": G2 } ],            // result = scalar · g2
//   "g1MultiExp": [ { "name": string, "size": int,
//                     "points": [G1], "scalars": [dec],                         // all scalars < r
//                     "result": G1 } ]                                          // Σ scalars[i] · points[i]
// }
// Every multiExp result is G1.multiExpAffine's (scalars as 32-byte little-endian, points as Montgomery little-endian
// affine via toRprLEM) and is also checked here against a naive sum of timesScalar/add before being written.
import { writeFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { buildBn128, Scalar } from "ffjavascript";
import { keccak256, toUtf8Bytes } from "ethers";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ffVersion = JSON.parse(readFileSync(join(dirname(require.resolve("ffjavascript")), "..", "package.json"), "utf8")).version;

const curve = await buildBn128(true);
const { G1, G2 } = curve;
const R = curve.r;
const seeded = (label) => BigInt(keccak256(toUtf8Bytes(`validium/ffjs/${label}`))) % R;

const g1Json = (p) => {
  const a = G1.toAffine(p);
  if (G1.isZero(a)) return "infinity";
  const [x, y] = G1.toObject(a);
  return [x.toString(), y.toString()];
};
const g2Json = (p) => {
  const a = G2.toAffine(p);
  if (G2.isZero(a)) return "infinity";
  const [x, y] = G2.toObject(a);
  return [[x[0].toString(), x[1].toString()], [y[0].toString(), y[1].toString()]];
};
const mulG1 = (k) => G1.timesScalar(G1.g, k);

const edgeScalars = [["zero", 0n], ["one", 1n], ["two", 2n], ["r-minus-1", R - 1n], ["2^128", 1n << 128n], ["2^253", 1n << 253n]];
const mulScalars = [...edgeScalars, ...[0, 1, 2, 3, 4, 5].map((i) => [`seeded-${i}`, seeded(`mul/${i}`)])];
const g1Mul = mulScalars.map(([name, k]) => ({ name, scalar: k.toString(), result: g1Json(mulG1(k)) }));
const g2Mul = mulScalars.map(([name, k]) => ({ name, scalar: k.toString(), result: g2Json(G2.timesScalar(G2.g, k)) }));

const A = mulG1(seeded("add/a")), B = mulG1(seeded("add/b"));
const addCases = [
  ["a+b", A, B],
  ["a+a", A, A],                                  // addition formulas must detect equal inputs and double
  ["a+(-a)", A, G1.neg(A)],
  ["a+infinity", A, G1.zero],
  ["infinity+b", G1.zero, B],
  ["infinity+infinity", G1.zero, G1.zero],
  ["g+2g", G1.g, mulG1(2n)],
];
const g1Add = addCases.map(([name, a, b]) => ({ name, a: g1Json(a), b: g1Json(b), result: g1Json(G1.add(a, b)) }));
const g1Double = [["g", G1.g], ["a", A], ["b", B], ["infinity", G1.zero]]
  .map(([name, a]) => ({ name, a: g1Json(a), result: g1Json(G1.double(a)) }));

function multiExp(name, points, scalars) {
  const n = points.length;
  const bases = new Uint8Array(n * G1.F.n8 * 2);
  const scalarBuf = new Uint8Array(n * 32);
  let naive = G1.zero;
  for (let i = 0; i < n; i++) {
    G1.toRprLEM(bases, i * G1.F.n8 * 2, G1.toAffine(points[i]));
    Scalar.toRprLE(scalarBuf, i * 32, scalars[i], 32);
    naive = G1.add(naive, G1.timesScalar(points[i], scalars[i]));
  }
  return G1.multiExpAffine(bases, scalarBuf).then((res) => {
    if (!G1.eq(res, naive)) throw new Error(`multiExpAffine disagrees with the naive sum for ${name}`);
    return { name, size: n, points: points.map(g1Json), scalars: scalars.map((s) => s.toString()), result: g1Json(res) };
  });
}

// Points k·G for seeded k, with a duplicate every 5th slot and infinity every 11th; scalars seeded with 0 and r-1 mixed in.
function mixed(label, n) {
  const points = [], scalars = [];
  for (let i = 0; i < n; i++) {
    if (i % 11 === 10) points.push(G1.zero);
    else if (i % 5 === 4) points.push(points[i - 1]);
    else points.push(mulG1(seeded(`${label}/point/${i}`)));
    scalars.push(i % 7 === 3 ? 0n : i % 7 === 5 ? R - 1n : seeded(`${label}/scalar/${i}`));
  }
  return [points, scalars];
}

const P1 = mulG1(seeded("msm/p1")), P2 = mulG1(seeded("msm/p2"));
const g1MultiExp = [
  await multiExp("size-1", [P1], [R - 1n]),
  await multiExp("size-1-scalar-0", [P1], [0n]),
  await multiExp("size-2-duplicate-point", [P1, P1], [seeded("msm/s1"), seeded("msm/s2")]),
  await multiExp("size-2-cancelling", [P1, P1], [1n, R - 1n]),
  await multiExp("size-3-with-infinity", [P1, G1.zero, P2], [0n, seeded("msm/s3"), R - 1n]),
];
for (const n of [7, 33, 100]) {
  const [points, scalars] = mixed(`msm/${n}`, n);
  g1MultiExp.push(await multiExp(`size-${n}-mixed`, points, scalars));
}

await curve.terminate();

const out = {
  generator: "gen-ffjavascript.mjs",
  ffjavascript: ffVersion,
  curve: { p: curve.q.toString(), r: R.toString(), g1: g1Json(G1.g), g2: g2Json(G2.g) },
  g1Mul, g1Add, g1Double, g2Mul, g1MultiExp,
};
const path = join(process.env.VECTORS_OUT ?? here, "ffjavascript.json");
writeFileSync(path, JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${path}`);
