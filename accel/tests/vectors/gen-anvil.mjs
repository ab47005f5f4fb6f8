// Reference vectors for the EVM precompiles ecrecover (0x01), ecAdd (0x06), ecMul (0x07) and ecPairing (0x08),
// produced by a real EVM: anvil (Foundry, revm underneath) answering eth_call straight to the precompile address.
// Input points are built with ffjavascript (an independent BN254 implementation) and ethers (secp256k1 signatures).
//
// Run from the repository root:  node accel/tests/vectors/gen-anvil.mjs   (writes anvil-precompiles.json next to this file)
// Deterministic: scalars are fixed or keccak256 of fixed labels; anvil is started on a free port and killed at the end.
//
// Schema of anvil-precompiles.json (hex strings are lower-case, 0x-prefixed):
// {
//   "generator": "gen-anvil.mjs", "anvil": "<anvil --version>",
//   "curve": { "p": dec, "r": dec,                        // BN254 base-field modulus and group order
//              "g1": ["1", "2"],
//              "g2": { "x_im": dec, "x_re": dec, "y_im": dec, "y_re": dec } },  // EIP-197 order is x_im, x_re, y_im, y_re
//   "ecAdd":     [ Case ],   // precompile 0x06, input x1 || y1 || x2 || y2 (32-byte big-endian words; short input is zero-padded)
//   "ecMul":     [ Case ],   // precompile 0x07, input x || y || scalar
//   "ecPairing": [ Case ],   // precompile 0x08, input k × (G1 x || G1 y || G2 x_im || x_re || y_im || y_re), output 32-byte 0 or 1
//   "ecrecover": [ RecoverCase ]
// }
// Case = {
//   "name": string, "note": string,           // what the input is, e.g. "3·G + 5·G"
//   "input": hex,
//   "success": bool,                          // false: the call failed (EVM precompile failure consumes all gas; eth_call errors)
//   "output": hex | null,                     // ecAdd/ecMul: 64 bytes x || y, (0,0) is the point at infinity; ecPairing: 32 bytes
//   "error": string | undefined               // anvil's error message when success is false
// }
// RecoverCase = Case plus the decoded input fields { "hash": hex32, "v": hex32, "r": hex32, "s": hex32 } (v is a full 32-byte
// word: the precompile wants exactly 27 or 28) and "address": checksummed string | null. ecrecover never fails the call:
// an invalid signature gives success = true with empty output ("0x") and address = null.
import { spawn, execFileSync } from "node:child_process";
import { writeFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { buildBn128 } from "ffjavascript";
import * as ethers from "ethers";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
// The platform binary itself, not the npm wrapper, so the PID we kill is anvil's.
const anvilPath = realpathSync(join(root, "node_modules", ".bin", "anvil"));

const hex32 = (x) => ethers.toBeHex(x, 32).slice(2);
const cat = (...words) => "0x" + words.join("");
const labelScalar = (s, mod) => BigInt(ethers.keccak256(ethers.toUtf8Bytes(s))) % mod;

async function startAnvil() {
  const child = spawn(anvilPath, ["--host", "127.0.0.1", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const port = await new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error("anvil did not report a port within 20 s")), 20000);
    child.stdout.on("data", (d) => {
      buf += d.toString();
      const m = buf.match(/Listening on 127\.0\.0\.1:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`anvil exited early (${code})`)); });
  });
  child.stdout.resume();
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stopAnvil(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

let rpcId = 0;
async function ethCall(url, to, data) {
  const body = { jsonrpc: "2.0", id: ++rpcId, method: "eth_call", params: [{ to, data }, "latest"] };
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await res.json();
  if (json.error) return { success: false, output: null, error: json.error.message };
  return { success: true, output: json.result };
}

const ADDR = { ecrecover: "0x0000000000000000000000000000000000000001", ecAdd: "0x0000000000000000000000000000000000000006",
  ecMul: "0x0000000000000000000000000000000000000007", ecPairing: "0x0000000000000000000000000000000000000008" };

const curve = await buildBn128(true);
const { G1, G2, F2 } = curve;
const P = curve.q, R = curve.r;

const g1 = (k) => G1.toObject(G1.toAffine(G1.timesScalar(G1.g, ((k % R) + R) % R)));
const g2 = (k) => G2.toObject(G2.toAffine(G2.timesScalar(G2.g, ((k % R) + R) % R)));
// G1 as two words; ffjavascript marks infinity with z = 0, which the EVM encodes as (0, 0).
const encG1 = (pt) => (pt[2] === 0n ? hex32(0n) + hex32(0n) : hex32(pt[0]) + hex32(pt[1]));
// EIP-197: each Fp2 element c0 + c1·i is written imaginary part first.
const encG2 = (pt) => (pt[2][0] === 0n && pt[2][1] === 0n ? hex32(0n).repeat(4)
  : hex32(pt[0][1]) + hex32(pt[0][0]) + hex32(pt[1][1]) + hex32(pt[1][0]));

// A point on the twist curve y^2 = x^3 + 3/(9+i) outside the order-r subgroup: EIP-197 requires the precompile to reject it.
function twistPointOutsideSubgroup() {
  const b2 = F2.div(F2.fromObject([3n, 0n]), F2.fromObject([9n, 1n]));
  for (let k = 1n; ; k++) {
    const x = F2.fromObject([k, 1n]);
    const rhs = F2.add(F2.mul(F2.square(x), x), b2);
    if (!F2.isSquare(rhs)) continue;
    const y = F2.sqrt(rhs);
    const pt = [F2.toObject(x), F2.toObject(y), [1n, 0n]];
    const aff = G2.fromObject(pt);
    if (!G2.isZero(G2.timesScalar(aff, R))) return pt;
  }
}

async function main(url) {
  const ecAdd = [];
  const ecMul = [];
  const ecPairing = [];
  const ecrecover = [];
  const run = async (list, addr, name, note, input) => list.push({ name, note, input, ...(await ethCall(url, addr, input)) });

  // ecAdd
  const a1 = labelScalar("validium/bn254/add/a", R), b1 = labelScalar("validium/bn254/add/b", R);
  const O = hex32(0n) + hex32(0n);
  await run(ecAdd, ADDR.ecAdd, "G+G", "1·G + 1·G = 2·G (doubling path)", cat(encG1(g1(1n)), encG1(g1(1n))));
  await run(ecAdd, ADDR.ecAdd, "3G+5G", "3·G + 5·G = 8·G", cat(encG1(g1(3n)), encG1(g1(5n))));
  await run(ecAdd, ADDR.ecAdd, "aG+bG", "a·G + b·G, a = keccak('validium/bn254/add/a') mod r, b likewise", cat(encG1(g1(a1)), encG1(g1(b1))));
  await run(ecAdd, ADDR.ecAdd, "P+(-P)", "a·G + (r-a)·G = infinity", cat(encG1(g1(a1)), encG1(g1(R - a1))));
  await run(ecAdd, ADDR.ecAdd, "P+O", "a·G + (0,0)", cat(encG1(g1(a1)), O));
  await run(ecAdd, ADDR.ecAdd, "O+P", "(0,0) + a·G", cat(O, encG1(g1(a1))));
  await run(ecAdd, ADDR.ecAdd, "O+O", "(0,0) + (0,0)", cat(O, O));
  await run(ecAdd, ADDR.ecAdd, "empty", "empty input is zero-padded to O + O", "0x");
  await run(ecAdd, ADDR.ecAdd, "short-64", "only the first point (64 bytes): the second is zero-padded to O", cat(encG1(g1(7n))));
  await run(ecAdd, ADDR.ecAdd, "long-160", "bytes beyond 128 are ignored: 1·G + 2·G followed by 32 bytes of 0xff", cat(encG1(g1(1n)), encG1(g1(2n)), "ff".repeat(32)));
  await run(ecAdd, ADDR.ecAdd, "off-curve", "(1,3) is not on y^2 = x^3 + 3", cat(hex32(1n), hex32(3n), encG1(g1(1n))));
  await run(ecAdd, ADDR.ecAdd, "off-curve-second", "G + (1,3)", cat(encG1(g1(1n)), hex32(1n), hex32(3n)));
  await run(ecAdd, ADDR.ecAdd, "x-equals-p", "(p+1, 2) would be G if reduced, but coordinates must be below p", cat(hex32(P + 1n), hex32(2n), encG1(g1(1n))));
  await run(ecAdd, ADDR.ecAdd, "y-equals-p-plus-2", "(1, p+2) likewise", cat(hex32(1n), hex32(P + 2n), encG1(g1(1n))));

  // ecMul
  const G = encG1(g1(1n));
  const k1 = labelScalar("validium/bn254/mul/k1", R), k2 = labelScalar("validium/bn254/mul/k2", R);
  const big = (1n << 256n) - 1n;
  const mulCases = [
    ["G*0", "scalar 0 gives infinity", G, 0n],
    ["G*1", "scalar 1", G, 1n],
    ["G*2", "scalar 2", G, 2n],
    ["G*k1", "k1 = keccak('validium/bn254/mul/k1') mod r", G, k1],
    ["G*k2", "k2 = keccak('validium/bn254/mul/k2') mod r", G, k2],
    ["G*(r-1)", "scalar r-1 gives -G", G, R - 1n],
    ["G*r", "scalar r (the group order) gives infinity", G, R],
    ["G*(r+1)", "scalar r+1 > r: not reduced first, but the result equals G", G, R + 1n],
    ["G*(2^256-1)", "largest scalar, far above r", G, big],
    ["k1G*k2", "(k1·G)·k2", encG1(g1(k1)), k2],
    ["O*5", "infinity times 5", O, 5n],
    ["O*0", "infinity times 0", O, 0n],
  ];
  for (const [name, note, pt, s] of mulCases) await run(ecMul, ADDR.ecMul, name, note, cat(pt, hex32(s)));
  await run(ecMul, ADDR.ecMul, "short-64", "point without scalar: scalar zero-padded to 0", cat(G));
  await run(ecMul, ADDR.ecMul, "short-80", "scalar truncated: 16 bytes 0x00..01 then zero-padded, i.e. 2^128·G", cat(G, hex32(0n).slice(0, 30) + "01"));
  await run(ecMul, ADDR.ecMul, "off-curve", "(1,3) times 2", cat(hex32(1n), hex32(3n), hex32(2n)));
  await run(ecMul, ADDR.ecMul, "off-curve-times-0", "(1,3) times 0 still fails: points are validated before multiplying", cat(hex32(1n), hex32(3n), hex32(0n)));
  await run(ecMul, ADDR.ecMul, "x-equals-p", "(p+1, 2) times 1", cat(hex32(P + 1n), hex32(2n), hex32(1n)));

  // ecPairing
  const Q = encG2(g2(1n));
  const pa = labelScalar("validium/bn254/pair/a", R), pb = labelScalar("validium/bn254/pair/b", R);
  const pairCases = [
    ["empty", "no pairs: the empty product is 1", ""],
    ["e(P,Q)e(-P,Q)", "P = 1·G1, Q = G2 generator", encG1(g1(1n)) + Q + encG1(g1(R - 1n)) + Q],
    ["e(aP,bQ)e(-abP,Q)", "a, b = keccak('validium/bn254/pair/a'|'b') mod r", encG1(g1(pa)) + encG2(g2(pb)) + encG1(g1(R - (pa * pb) % R)) + Q],
    ["e(aP,bQ)e(-(ab+1)P,Q)", "off by one: product != 1", encG1(g1(pa)) + encG2(g2(pb)) + encG1(g1(R - ((pa * pb + 1n) % R))) + Q],
    ["e(P,Q)", "a single non-degenerate pairing is not 1", encG1(g1(1n)) + Q],
    ["e(2P,3Q)e(-6P,Q)e(O,Q)", "three pairs, one with G1 infinity", encG1(g1(2n)) + encG2(g2(3n)) + encG1(g1(R - 6n)) + Q + O + Q],
    ["e(O,Q)", "G1 infinity pairs to 1", O + Q],
    ["e(P,O)", "G2 infinity (all four words zero) pairs to 1", encG1(g1(1n)) + hex32(0n).repeat(4)],
  ];
  for (const [name, note, body] of pairCases) await run(ecPairing, ADDR.ecPairing, name, note, "0x" + body);
  const g2o = g2(1n);
  const swapped = hex32(g2o[0][0]) + hex32(g2o[0][1]) + hex32(g2o[1][0]) + hex32(g2o[1][1]);
  await run(ecPairing, ADDR.ecPairing, "g2-real-first", "G2 generator with each Fp2 written real part first (the wrong order): off the twist", "0x" + encG1(g1(1n)) + swapped);
  const badY = hex32(g2o[0][1]) + hex32(g2o[0][0]) + hex32(g2o[1][1]) + hex32((g2o[1][0] + 1n) % P);
  await run(ecPairing, ADDR.ecPairing, "g2-off-curve", "G2 generator with y_re + 1", "0x" + encG1(g1(1n)) + badY);
  await run(ecPairing, ADDR.ecPairing, "g2-not-in-subgroup", "a point on the twist curve outside the order-r subgroup", "0x" + encG1(g1(1n)) + encG2(twistPointOutsideSubgroup()));
  await run(ecPairing, ADDR.ecPairing, "g1-off-curve", "G1 point (1,3)", "0x" + hex32(1n) + hex32(3n) + Q);
  await run(ecPairing, ADDR.ecPairing, "length-not-multiple-of-192", "a valid pair followed by one extra zero byte", "0x" + encG1(g1(1n)) + Q + encG1(g1(R - 1n)) + Q + "00");

  // ecrecover
  const N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  const recover = async (name, note, hash, v, r, s, rawInput) => {
    const input = rawInput ?? cat(hash.slice(2), hex32(v), hex32(r), hex32(s));
    const res = await ethCall(url, ADDR.ecrecover, input);
    const address = res.success && res.output.length === 66 ? ethers.getAddress("0x" + res.output.slice(26)) : null;
    ecrecover.push({ name, note, input, hash, v: "0x" + hex32(v), r: "0x" + hex32(r), s: "0x" + hex32(s), ...res, address });
  };
  const keys = [0, 1, 2].map((i) => new ethers.SigningKey(ethers.keccak256(ethers.toUtf8Bytes(`validium/secp256k1/key/${i}`))));
  const digests = [0, 1, 2].map((i) => ethers.keccak256(ethers.toUtf8Bytes(`validium/secp256k1/digest/${i}`)));
  for (let i = 0; i < keys.length; i++) {
    const sig = keys[i].sign(digests[i]);
    const [r, s, v] = [BigInt(sig.r), BigInt(sig.s), BigInt(sig.v)];
    await recover(`valid-${i}`, `seeded key ${i} signs seeded digest ${i} (ethers, low-s)`, digests[i], v, r, s);
    await recover(`high-s-${i}`, "same signature with s -> n-s and v flipped: the precompile accepts it (EIP-2 binds only transactions)", digests[i], 55n - v, r, N - s);
    if (i === 0) {
      await recover("wrong-v", "v flipped: recovers a different key", digests[i], 55n - v, r, s);
      await recover("v-0", "v = 0 (bare recovery id) is not accepted", digests[i], v - 27n, r, s);
      await recover("v-29", "v = 29", digests[i], 29n, r, s);
      await recover("v-high-bytes", "v word with a bit set above the low byte", digests[i], (1n << 8n) + v, r, s);
      await recover("r-0", "r = 0", digests[i], v, 0n, s);
      await recover("s-0", "s = 0", digests[i], v, r, 0n);
      await recover("r-n", "r = n", digests[i], v, N, s);
      await recover("s-n", "s = n", digests[i], v, r, N);
      await recover("s-n-minus-1", "s = n-1 (high, in range): accepted", digests[i], v, r, N - 1n);
      await recover("tampered-hash", "hash with its last bit flipped: recovers some other address", ethers.toBeHex(BigInt(digests[i]) ^ 1n, 32), v, r, s);
      const short = cat(digests[i].slice(2), hex32(v), hex32(r), hex32(s)).slice(0, 2 + 2 * 127);
      await recover("short-127", "input missing its last byte: zero-padded, so s loses its low byte", digests[i], v, r, s & ~0xffn, short);
    }
  }
  // r = 1 is a valid x-coordinate iff 1 + 7 is a square mod p; find the smallest x that is not, so R cannot be decompressed.
  const p = BigInt("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
  const modpow = (b, e, m) => { let r = 1n; b %= m; for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m; return r; };
  let badX = 1n;
  while (modpow((badX ** 3n + 7n) % p, (p - 1n) / 2n, p) === 1n) badX++;
  await recover("r-not-an-x-coordinate", `r = ${badX}: ${badX}^3 + 7 is not a square mod p, so no point R exists`, digests[0], 27n, badX, 1n);
  let goodX = 1n;
  while (modpow((goodX ** 3n + 7n) % p, (p - 1n) / 2n, p) !== 1n) goodX++;
  await recover("r-small-valid-x", `r = ${goodX} (a valid x), s = 1, hash = 0: an arbitrary but well-defined key`, "0x" + hex32(0n), 28n, goodX, 1n);

  return { ecAdd, ecMul, ecPairing, ecrecover };
}

const version = execFileSync(anvilPath, ["--version"]).toString().trim().split("\n")[0];
const { child, url } = await startAnvil();
let results;
try {
  results = await main(url);
} finally {
  await stopAnvil(child);
  await curve.terminate();
}

const g2gen = G2.toObject(G2.toAffine(G2.g));
const out = {
  generator: "gen-anvil.mjs",
  anvil: version,
  curve: {
    p: P.toString(), r: R.toString(), g1: ["1", "2"],
    g2: { x_im: g2gen[0][1].toString(), x_re: g2gen[0][0].toString(), y_im: g2gen[1][1].toString(), y_re: g2gen[1][0].toString() },
  },
  ...results,
};
const path = join(process.env.VECTORS_OUT ?? here, "anvil-precompiles.json");
writeFileSync(path, JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${path}`);
