// The independent side of the L1 client's tests: ethers v6 (pinned in package.json) answers a list of operations.
//
//   node validium/tests/Validium.L1.Tests/js/ethers-check.mjs job.json   → prints a JSON array, one answer per operation
//
// Values travel as JSON: integers as decimal strings, bytes/bytesN/addresses as lower-case 0x hex, bool, string,
// arrays and tuples as arrays. An operation that ethers rejects answers { "error": "<message>" }.
//
// Operations:
//   { op: "abiEncode", types: [..], values: [..] }                → { hex }
//   { op: "abiDecode", types: [..], data: hex }                    → { values }
//   { op: "signTx", privateKey, tx: { chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to|null, value, data, accessList } }
//                                                                  → { raw, hash, unsignedHash, from }
//   { op: "parseTx", raw }                                         → { from, hash, nonce, chainId, to, data, value, maxFeePerGas, maxPriorityFeePerGas, gasLimit, yParity }
//   { op: "interface", abi }                                       → { functions: [{signature, selector}], events: [{signature, topic}], errors: [{signature, selector}] }
//   { op: "encodeError", abi, name, values }                       → { hex }
//   { op: "encodeEventLog", abi, name, values }                    → { topics, data }
//   { op: "rlpEncode", value }  (nested arrays of hex strings)     → { hex }
import { readFileSync } from "node:fs";
import * as ethers from "ethers";

const coder = ethers.AbiCoder.defaultAbiCoder();

function norm(param, value) {
  if (param.baseType === "array") return Array.from(value, (v) => norm(param.arrayChildren, v));
  if (param.baseType === "tuple") return param.components.map((c, i) => norm(c, value[i]));
  if (typeof value === "bigint") return value.toString();
  if (param.baseType === "address") return value.toLowerCase();
  if (typeof value === "string" && param.baseType.startsWith("bytes")) return value.toLowerCase();
  return value;
}

const big = (v) => (v === null || v === undefined ? v : BigInt(v));

function run(op) {
  switch (op.op) {
    case "abiEncode":
      return { hex: coder.encode(op.types, op.values) };
    case "abiDecode": {
      const params = op.types.map((t) => ethers.ParamType.from(t));
      const res = coder.decode(params, op.data);
      return { values: params.map((p, i) => norm(p, res[i])) };
    }
    case "signTx": {
      const wallet = new ethers.Wallet(op.privateKey);
      const t = op.tx;
      const tx = ethers.Transaction.from({
        type: 2, chainId: big(t.chainId), nonce: Number(t.nonce), maxPriorityFeePerGas: big(t.maxPriorityFeePerGas),
        maxFeePerGas: big(t.maxFeePerGas), gasLimit: big(t.gasLimit), to: t.to, value: big(t.value), data: t.data,
        accessList: t.accessList ?? [],
      });
      const unsignedHash = tx.unsignedHash;
      tx.signature = wallet.signingKey.sign(unsignedHash);
      return { raw: tx.serialized, hash: tx.hash, unsignedHash, from: tx.from.toLowerCase() };
    }
    case "parseTx": {
      const tx = ethers.Transaction.from(op.raw);
      return {
        from: tx.from.toLowerCase(), hash: tx.hash, nonce: tx.nonce, chainId: tx.chainId.toString(), to: tx.to ? tx.to.toLowerCase() : null,
        data: tx.data, value: tx.value.toString(), maxFeePerGas: tx.maxFeePerGas.toString(),
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas.toString(), gasLimit: tx.gasLimit.toString(), yParity: tx.signature.yParity,
      };
    }
    case "interface": {
      const iface = new ethers.Interface(op.abi);
      const functions = [], events = [], errors = [];
      iface.forEachFunction((f) => functions.push({ signature: f.format("sighash"), selector: f.selector }));
      iface.forEachEvent((e) => events.push({ signature: e.format("sighash"), topic: e.topicHash }));
      iface.forEachError((e) => errors.push({ signature: e.format("sighash"), selector: e.selector }));
      return { functions, events, errors };
    }
    case "encodeError":
      return { hex: new ethers.Interface(op.abi).encodeErrorResult(op.name, op.values) };
    case "encodeEventLog": {
      const r = new ethers.Interface(op.abi).encodeEventLog(op.name, op.values);
      return { topics: r.topics, data: r.data };
    }
    case "rlpEncode":
      return { hex: ethers.encodeRlp(op.value) };
    default:
      throw new Error(`unknown op ${op.op}`);
  }
}

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const answers = job.map((op) => {
  try {
    return run(op);
  } catch (e) {
    return { error: e.shortMessage ?? e.message };
  }
});
console.log(JSON.stringify(answers));
