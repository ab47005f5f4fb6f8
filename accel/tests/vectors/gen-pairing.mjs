// Writes pairing.json: independent BN254 G2/pairing vectors from ffjavascript (the library snarkjs uses),
// so the C# pairing is checked against code it shares nothing with.
// Run from the repository root: node accel/tests/vectors/gen-pairing.mjs
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildBn128 } from "ffjavascript";

const curve = await buildBn128(true);
const { G1, G2, Gt } = curve;

const dec = (v) => v.toString(10);
const hex = (buff) => Buffer.from(buff).toString("hex");

function g1Obj(p) {
    const a = G1.toObject(G1.toAffine(p));
    return G1.isZero(p) ? ["0", "0"] : [dec(a[0]), dec(a[1])];
}

function g2Obj(p) {
    const a = G2.toObject(G2.toAffine(p));
    return G2.isZero(p) ? [["0", "0"], ["0", "0"]] : [[dec(a[0][0]), dec(a[0][1])], [dec(a[1][0]), dec(a[1][1])]];
}

function g2Bytes(p, compressed) {
    const buff = new Uint8Array(compressed ? 64 : 128);
    if (compressed) G2.toRprCompressed(buff, 0, G2.toAffine(p));
    else G2.toRprUncompressed(buff, 0, G2.toAffine(p));
    return hex(buff);
}

// A fixed xorshift stream keeps the file byte-identical between runs.
let state = 0x9e3779b97f4a7c15n;
function nextScalar() {
    let v = 0n;
    for (let i = 0; i < 4; i++) {
        state ^= (state << 13n) & 0xffffffffffffffffn;
        state ^= state >> 7n;
        state ^= (state << 17n) & 0xffffffffffffffffn;
        v = (v << 64n) | state;
    }
    return v % curve.r;
}

const g2Multiples = [];
for (const k of [1n, 2n, 3n, 7n, curve.r - 1n, nextScalar(), nextScalar(), nextScalar()]) {
    const p = G2.timesScalar(G2.g, k);
    g2Multiples.push({ k: dec(k), point: g2Obj(p), uncompressed: g2Bytes(p, false), compressed: g2Bytes(p, true) });
}

// timesScalar takes a plain integer; Fr.e(k) would be its Montgomery form, i.e. a different scalar.
const mulG1 = (k) => G1.timesScalar(G1.g, k);
const mulG2 = (k) => G2.timesScalar(G2.g, k);
const pairingChecks = [];
async function check(name, pairs) {
    const args = pairs.flatMap(([a, b]) => [a, b]);
    const expected = await curve.pairingEq(...args);
    pairingChecks.push({ name, pairs: pairs.map(([a, b]) => ({ g1: g1Obj(a), g2: g2Obj(b) })), expected });
}

const a = nextScalar(), b = nextScalar(), c = nextScalar(), d = nextScalar();
const negab = (curve.r - (a * b) % curve.r) % curve.r;
await check("e(G1,G2) alone", [[G1.g, G2.g]]);
await check("e(G1,G2)·e(-G1,G2)", [[G1.g, G2.g], [G1.neg(G1.g), G2.g]]);
await check("e(aG1,bG2)·e(-abG1,G2)", [[mulG1(a), mulG2(b)], [mulG1(negab), G2.g]]);
await check("e(aG1,bG2)·e(-(ab+1)G1,G2)", [[mulG1(a), mulG2(b)], [mulG1((negab + curve.r - 1n) % curve.r), G2.g]]);
await check("e(aG1,G2)·e(G1,-aG2)", [[mulG1(a), G2.g], [G1.g, G2.neg(mulG2(a))]]);
await check("e(aG1,bG2)·e(cG1,dG2)·e(-(ab+cd)G1,G2)", [
    [mulG1(a), mulG2(b)], [mulG1(c), mulG2(d)],
    [mulG1((2n * curve.r - (a * b + c * d) % curve.r) % curve.r), G2.g]]);
await check("e(aG1,bG2)·e(cG1,dG2)·e(-abG1,G2)", [[mulG1(a), mulG2(b)], [mulG1(c), mulG2(d)], [mulG1(negab), G2.g]]);
// No case with G2 at infinity: ffjavascript 0.3.1 answers pairingEq(G1.g, G2.zero) with false, where
// EIP-197 (and our code) count the pair as 1. The C# tests cover that case on their own.
await check("e(O,G2)", [[G1.zero, G2.g]]);
await check("e(O,G2)·e(G1,G2)", [[G1.zero, G2.g], [G1.g, G2.g]]);

function gtObj(x) {
    return Gt.toObject(x).map((c6) => c6.map((c2) => c2.map(dec)));
}

const eGen = curve.pairing(G1.g, G2.g);
const eab = curve.pairing(mulG1(a), mulG2(b));
const out = {
    generator: "accel/tests/vectors/gen-pairing.mjs",
    library: "ffjavascript buildBn128 (wasmcurves: Fp6 = Fp2[v]/(v^3 - (9+u)), Fp12 = Fp6[w]/(w^2 - v))",
    gtLayout: "[[c0.c0, c0.c1, c0.c2], [c1.c0, c1.c1, c1.c2]] with each Fp2 as [real, imaginary], decimal",
    g2Multiples,
    pairingChecks,
    pairings: [
        { g1: g1Obj(G1.g), g2: g2Obj(G2.g), gt: gtObj(eGen) },
        { g1: g1Obj(mulG1(a)), g2: g2Obj(mulG2(b)), gt: gtObj(eab) },
    ],
};

const file = join(process.env.VECTORS_OUT ?? dirname(fileURLToPath(import.meta.url)), "pairing.json");
writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${file}: ${g2Multiples.length} G2 multiples, ${pairingChecks.length} pairing checks`);
