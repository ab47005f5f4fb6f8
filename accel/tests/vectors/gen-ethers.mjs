// Reference vectors for Keccak-256, secp256k1 keys/addresses, ECDSA signing and recovery, produced by ethers v6
// (an independent implementation: noble-curves underneath, RFC 6979 deterministic k, low-s, v = 27/28).
//
// Run from the repository root:  node accel/tests/vectors/gen-ethers.mjs   (writes ethers.json next to this file)
// Deterministic: every input is a fixed constant or keccak256 of a fixed label, so reruns give identical output.
//
// Schema of ethers.json (all byte strings are lower-case 0x-prefixed hex unless noted):
// {
//   "generator": "gen-ethers.mjs", "ethers": "<version>",
//   "keccak256": [ { "name": string, "input": hex, "length": int, "hash": hex32 } ],
//   "keys": [ {
//       "name": string,
//       "privateKey": hex32,
//       "publicKey": hex65,                 // uncompressed, 0x04 || X || Y
//       "address": string,                  // EIP-55 checksummed
//       "signatures": [ {
//           "name": string,
//           "digest": hex32,                // signed as-is (no prefix), may be >= n
//           "r": hex32, "s": hex32,         // s is always low (<= n/2)
//           "v": 27 | 28,
//           "yParity": 0 | 1,
//           "serialized": hex65,            // r || s || v
//           "recoveredAddress": string      // ethers.recoverAddress(digest, {r,s,v}), checksummed
//       } ]
//   } ],
//   "personalSign": [ {                     // EIP-191 version 0x45: keccak("\x19Ethereum Signed Message:\n" + len + msg)
//       "name": string, "message": hex,     // raw message bytes
//       "hash": hex32,                      // ethers.hashMessage(bytes)
//       "privateKey": hex32, "signature": hex65, "address": string
//   } ]
// }
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as ethers from "ethers";

const utf8 = (s) => ethers.toUtf8Bytes(s);
const label = (s) => ethers.keccak256(utf8(s));

// Bytes whose value is a function of the index only, so long inputs need no checked-in seed data.
function patterned(len, seed) {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = (i * 131 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

const keccakInputs = [
  ["empty", new Uint8Array(0)],
  ["one-zero-byte", new Uint8Array(1)],
  ["abc", utf8("abc")],
  ["hello-world", utf8("hello world")],
  ["rate-minus-1 (135)", patterned(135, 1)],
  ["rate (136)", patterned(136, 2)],
  ["rate-plus-1 (137)", patterned(137, 3)],
  ["two-blocks (272)", patterned(272, 4)],
  ["long (1000)", patterned(1000, 5)],
  ["all-ff (200)", new Uint8Array(200).fill(0xff)],
];
const keccak256 = keccakInputs.map(([name, bytes]) => ({
  name,
  input: ethers.hexlify(bytes),
  length: bytes.length,
  hash: ethers.keccak256(bytes),
}));

const N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
const hex32 = (x) => ethers.toBeHex(x, 32);

const keyInputs = [
  ["one", hex32(1n)],
  ["two", hex32(2n)],
  ["n-minus-1", hex32(N - 1n)],
  ["anvil-account-0", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"],
  ...[0, 1, 2, 3].map((i) => [`seeded-${i}`, label(`validium/secp256k1/key/${i}`)]),
];

const digestInputs = [
  ["zero", hex32(0n)],
  ["one", hex32(1n)],
  ["n-minus-1", hex32(N - 1n)],
  ["n", hex32(N)],                        // reduced mod n before use: must equal the "zero" digest's e
  ["all-ff", hex32((1n << 256n) - 1n)],
  ["keccak-hello", ethers.keccak256(utf8("hello"))],
  ...[0, 1, 2].map((i) => [`seeded-${i}`, label(`validium/secp256k1/digest/${i}`)]),
];

const keys = keyInputs.map(([name, pk]) => {
  const sk = new ethers.SigningKey(pk);
  const address = ethers.computeAddress(sk.publicKey);
  const signatures = digestInputs.map(([dname, digest]) => {
    const sig = sk.sign(digest);
    const recovered = ethers.recoverAddress(digest, sig);
    if (recovered !== address) throw new Error(`ethers failed its own round-trip for ${name}/${dname}`);
    return {
      name: dname,
      digest,
      r: sig.r,
      s: sig.s,
      v: sig.v,
      yParity: sig.yParity,
      serialized: sig.serialized,
      recoveredAddress: recovered,
    };
  });
  return { name, privateKey: pk, publicKey: sk.publicKey, address, signatures };
});

const personalInputs = [
  ["empty", new Uint8Array(0)],
  ["hello", utf8("hello")],
  ["utf8-multibyte", utf8("Grüße, 世界")],
  ["ten-digit-length", patterned(1234, 6)],
  ["binary-32", ethers.getBytes(label("validium/secp256k1/personal"))],
];
const personalSign = personalInputs.map(([name, bytes], i) => {
  const wallet = new ethers.Wallet(keyInputs[4 + (i % 4)][1]);
  return {
    name,
    message: ethers.hexlify(bytes),
    hash: ethers.hashMessage(bytes),
    privateKey: wallet.privateKey,
    signature: wallet.signingKey.sign(ethers.hashMessage(bytes)).serialized,
    address: wallet.address,
  };
});

const out = { generator: "gen-ethers.mjs", ethers: ethers.version, keccak256, keys, personalSign };
const path = join(process.env.VECTORS_OUT ?? dirname(fileURLToPath(import.meta.url)), "ethers.json");
writeFileSync(path, JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${path}`);
