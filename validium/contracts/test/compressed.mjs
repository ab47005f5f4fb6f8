// Compressed proofs on anvil (SPEC.md "Compressed proofs"). ffjavascript (snarkjs's curve code, nothing shared with
// ours) compresses the C# prover's proof and must write the C# bytes; the verifier decompresses random points to
// ffjavascript's coordinates; one batch is accepted in both forms with the gas of each; every malformed encoding
// class is refused with its error; and the pairing precompile itself refuses a twist point outside G2.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildBn128 } from "ffjavascript";
import { ethers, expectRevert, prove, run, tx } from "./lib.mjs";
import { deploySystem, H } from "./system.mjs";

const verifierSource = readFileSync(process.argv[2], "utf8");
const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const GREATEST = 1n << 255n;
const INFINITY = 1n << 254n;

const curve = await buildBn128(true);
const { G1, G2 } = curve;
const F1 = G1.F;
const F2 = G2.F;

const words = (bytes) => Array.from({ length: bytes.length / 32 }, (_, i) => BigInt(ethers.hexlify(bytes.subarray(32 * i, 32 * i + 32))));
const g1Point = (a) => G1.fromObject([BigInt(a[0]), BigInt(a[1]), 1n]);
// snarkjs calldata order: [[x_im, x_re], [y_im, y_re]].
const g2Point = (b) => G2.fromObject([[BigInt(b[0][1]), BigInt(b[0][0])], [BigInt(b[1][1]), BigInt(b[1][0])], [1n, 0n]]);
function compressG1(p) {
  const buf = new Uint8Array(32);
  G1.toRprCompressed(buf, 0, p);
  return words(buf);
}
function compressG2(p) {
  const buf = new Uint8Array(64);
  G2.toRprCompressed(buf, 0, p);
  return words(buf);
}
/** ffjavascript's compression of a proof in snarkjs calldata form: [A, B_x_im | flags, B_x_re, C]. */
const compressProof = (proof) => [...compressG1(g1Point(proof.a)), ...compressG2(g2Point(proof.b)), ...compressG1(g1Point(proof.c))];
const big = (x) => (Array.isArray(x) ? x.map(big) : BigInt(x));
function g1Calldata(p) {
  const [x, y] = G1.toObject(G1.toAffine(p));
  return [x, y];
}
function g2Calldata(p) {
  const [[x0, x1], [y0, y1]] = G2.toObject(G2.toAffine(p));
  return [[x1, x0], [y1, y0]];
}
const randomScalar = (i) => BigInt(ethers.keccak256(ethers.toUtf8Bytes(`compressed-${i}`))) % curve.r;

/** The first abscissa from x on with no point over it: x³ + b is not a square (ffjavascript's isSquare). */
function offCurveG1(x) {
  for (;; x++) if (!F1.isSquare(F1.add(F1.mul(F1.square(F1.e(x)), F1.e(x)), G1.b))) return x;
}
function offCurveG2(x0, x1) {
  for (;; x0++) {
    const x = F2.fromObject([x0, x1]);
    if (!F2.isSquare(F2.add(F2.mul(F2.square(x), x), G2.b))) return x0;
  }
}
/** A point on the twist whose order is not r: y from ffjavascript's sqrt, [r]Q ≠ O checked with its arithmetic. */
function twistPointOutsideG2() {
  for (let x0 = 1n; ; x0++) {
    const x = F2.fromObject([x0, 1n]);
    const rhs = F2.add(F2.mul(F2.square(x), x), G2.b);
    if (!F2.isSquare(rhs)) continue;
    const q = G2.fromObject([[x0, 1n], F2.toObject(F2.sqrt(rhs)), [1n, 0n]]);
    assert.ok(F2.eq(F2.square(F2.sqrt(rhs)), rhs));
    if (!G2.isZero(G2.timesScalar(q, curve.r))) return q;
  }
}

await run(async (ctx) => {
  const sys = await deploySystem(ctx, verifierSource);
  const { validium, verifier } = sys;
  const oracleRound = await sys.publishPrices([10n, 20n, 30n, 40n]);
  const oldRoot = await validium.stateRoot();
  const newRoot = H([41n, 42n]);
  const dc = H([43n]);
  const header = { newRoot, dataCommitment: dc, opsProcessed: 0n, oracleRound: oracleRound.round };
  const inputs = [oldRoot, newRoot, dc, 0n, 0n, oracleRound.commitment, 0n, 1n];
  const proof = await prove(inputs);
  const sigs = sys.attest(1n, dc);

  // The C# compression is ffjavascript's, byte for byte, and the verifier decompresses it to the proof itself.
  const compressed = compressProof(proof);
  assert.deepEqual(words(ethers.getBytes(proof.compressed)), compressed, "C# Proof.ToCompressed against ffjavascript toRprCompressed");
  const [da, db, dc2] = await verifier.decompressProof(compressed);
  assert.deepEqual([[...da], [...db].map((r) => [...r]), [...dc2]], big([proof.a, proof.b, proof.c]), "on-chain decompression of the proof");

  // Random points both signs (and, for G2, both branches of the Fp2 square root) against ffjavascript's coordinates.
  let decompressed = 0;
  for (let i = 0; i < 24; i++) {
    const a = G1.timesScalar(G1.g, randomScalar(3 * i));
    const b = G2.timesScalar(G2.g, randomScalar(3 * i + 1));
    const c = G1.neg(G1.timesScalar(G1.g, randomScalar(3 * i + 2)));
    const [ra, rb, rc] = await verifier.decompressProof([...compressG1(a), ...compressG2(b), ...compressG1(c)]);
    assert.deepEqual([...ra], g1Calldata(a), `G1 point ${i}`);
    assert.deepEqual([...rb].map((r) => [...r]), g2Calldata(b), `G2 point ${i}`);
    assert.deepEqual([...rc], g1Calldata(c), `negated G1 point ${i}`);
    decompressed += 3;
  }
  const [ia, ib, ic] = await verifier.decompressProof([INFINITY, INFINITY, 0n, INFINITY]);
  assert.deepEqual([[...ia], [...ib].map((r) => [...r]), [...ic]], [[0n, 0n], [[0n, 0n], [0n, 0n]], [0n, 0n]], "canonical infinity decodes to (0, 0)");

  // Every malformed class, for each point of the proof, through submitBatchCompressed.
  const rejections = {};
  const check = async (name, words, expected) => {
    rejections[name] = await expectRevert(validium, "submitBatchCompressed", [header, words, [], sigs]);
    assert.equal(rejections[name], expected, name);
  };
  const withWord = (i, v) => compressed.map((w, j) => (j === i ? v : w));
  const flags = (w) => w & (GREATEST | INFINITY);
  for (const [name, i] of [["A", 0], ["C", 3]]) {
    const x = compressed[i] & ~(GREATEST | INFINITY);
    await check(`${name}: x = p`, withWord(i, flags(compressed[i]) | P), "CoordinateNotInField");
    await check(`${name}: x = 2^254 - 1`, withWord(i, flags(compressed[i]) | (INFINITY - 1n)), "CoordinateNotInField");
    if (x + P < INFINITY) await check(`${name}: x + p`, withWord(i, flags(compressed[i]) | (x + P)), "CoordinateNotInField");
    await check(`${name}: infinity and sign flags`, withWord(i, compressed[i] | INFINITY | GREATEST), "InvalidPointFlags");
    await check(`${name}: infinity flag over x`, withWord(i, x | INFINITY), "InvalidPointFlags");
    await check(`${name}: infinity flag over 1`, withWord(i, INFINITY | 1n), "InvalidPointFlags");
    await check(`${name}: x not on the curve`, withWord(i, flags(compressed[i]) | offCurveG1(x + 1n)), "PointNotOnCurve");
    await check(`${name}: x = 0, no flags`, withWord(i, 0n), "PointNotOnCurve");
    await check(`${name}: other sign`, withWord(i, compressed[i] ^ GREATEST), "InvalidProof");
    await check(`${name}: canonical infinity`, withWord(i, INFINITY), "InvalidProof");
  }
  const bx1 = compressed[1] & ~(GREATEST | INFINITY);
  const bFlags = flags(compressed[1]);
  await check("B: x imaginary = p", withWord(1, bFlags | P), "CoordinateNotInField");
  await check("B: x real = p", withWord(2, P), "CoordinateNotInField");
  await check("B: x real = 2^256 - 1", withWord(2, (1n << 256n) - 1n), "CoordinateNotInField");
  await check("B: x real + p", withWord(2, compressed[2] + P), "CoordinateNotInField");
  await check("B: infinity and sign flags", withWord(1, compressed[1] | INFINITY | GREATEST), "InvalidPointFlags");
  await check("B: infinity flag over x imaginary", withWord(1, bx1 | INFINITY), "InvalidPointFlags");
  await check("B: infinity flag, x real not 0", [compressed[0], INFINITY, compressed[2], compressed[3]], "InvalidPointFlags");
  await check("B: x not on the twist", withWord(2, offCurveG2(BigInt(compressed[2]) + 1n, bx1)), "PointNotOnCurve");
  await check("B: other sign", withWord(1, compressed[1] ^ GREATEST), "InvalidProof");
  await check("B: canonical infinity", [compressed[0], INFINITY, 0n, compressed[3]], "InvalidProof");
  const outside = twistPointOutsideG2();
  await check("B: on the twist, outside G2", [compressed[0], ...compressG2(outside), compressed[3]], "InvalidProof");

  // The subgroup check is the pairing precompile's (EIP-197): the same twist point makes 0x08 fail outright, while
  // the G2 generator in its place gives an ordinary (false) pairing result.
  const pairingInput = (q) => ethers.AbiCoder.defaultAbiCoder().encode(["uint256[2]", "uint256[2][2]"], [[1n, 2n], g2Calldata(q)]);
  const precompile = async (q) => {
    try {
      return BigInt(await ctx.provider.call({ to: "0x0000000000000000000000000000000000000008", data: pairingInput(q) })).toString();
    } catch (e) {
      return `failed: ${e.shortMessage ?? e.message}`;
    }
  };
  const pairing = { g2Generator: await precompile(G2.g), outsideG2: await precompile(outside) };
  assert.equal(pairing.g2Generator, "0");
  assert.match(pairing.outsideG2, /^failed/, "ecPairing accepted a point outside G2");

  // The same proof in both forms: each accepted from the same state (snapshot, submit, revert), with its gas.
  const intrinsic = (data) => 21000 + ethers.getBytes(data).reduce((g, b) => g + (b === 0 ? 4 : 16), 0);
  const execution = async (contract, method, args) => Number(await contract[method].estimateGas(...args)) - intrinsic(contract.interface.encodeFunctionData(method, args));
  const snapshot = await ctx.provider.send("evm_snapshot", []);
  const plain = await tx(validium.submitBatch(header, proof, [], sigs));
  assert.equal(await validium.stateRoot(), newRoot);
  await ctx.provider.send("evm_revert", [snapshot]);
  assert.equal(await validium.stateRoot(), oldRoot);
  const packed = await tx(validium.submitBatchCompressed(header, compressed, [], sigs));
  assert.equal(await validium.stateRoot(), newRoot);
  assert.equal(await validium.batchNumber(), 1n);
  const plainData = validium.interface.encodeFunctionData("submitBatch", [header, proof, [], sigs]);
  const packedData = validium.interface.encodeFunctionData("submitBatchCompressed", [header, compressed, [], sigs]);
  const gas = {
    submitBatch: Number(plain.gasUsed),
    submitBatchCompressed: Number(packed.gasUsed),
    calldataBytes: { submitBatch: ethers.getBytes(plainData).length, submitBatchCompressed: ethers.getBytes(packedData).length },
    calldataGas: { submitBatch: intrinsic(plainData) - 21000, submitBatchCompressed: intrinsic(packedData) - 21000 },
    verifierExecution: {
      requireValidProof: await execution(verifier, "requireValidProof", [proof.a, proof.b, proof.c, inputs]),
      requireValidCompressedProof: await execution(verifier, "requireValidCompressedProof", [compressed, inputs]),
      decompressProof: await execution(verifier, "decompressProof", [compressed]),
    },
  };
  await curve.terminate();
  return { decompressed, rejections, pairing, gas, cheaper: gas.submitBatch <= gas.submitBatchCompressed ? "uncompressed" : "compressed" };
});
