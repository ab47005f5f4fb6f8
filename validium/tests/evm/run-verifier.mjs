// Compiles a Solidity Groth16 verifier with solc (pinned in package.json), deploys it on a fresh anvil
// node and runs a list of calls against it. Used by the C# tests as the independent on-chain check.
//
//   node validium/tests/evm/run-verifier.mjs job.json   → prints a JSON array of results on stdout
//
// job.json: { "source": "<solidity>", "contract": "Groth16Verifier",
//             "calls": [ { "a": [..2], "b": [[..2],[..2]], "c": [..2], "input": [..] } ] }   (decimal strings)
// result per call: { "verify": true|false|"revert:<error>", "gas": <requireValidProof gas or null>, "require": "ok"|"revert:<error>" }
import { spawn } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { ethers } from "ethers";

const require = createRequire(import.meta.url);
const solc = require("solc");
const job = JSON.parse(readFileSync(process.argv[2], "utf8"));

const input = {
  language: "Solidity",
  sources: { "Verifier.sol": { content: job.source } },
  settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors ?? []).filter((e) => e.severity === "error");
if (errors.length) {
  console.error(errors.map((e) => e.formattedMessage).join("\n"));
  process.exit(2);
}
const art = out.contracts["Verifier.sol"][job.contract];

const anvilBin = realpathSync(new URL("../../../node_modules/.bin/anvil", import.meta.url));
const anvil = spawn(anvilBin, ["--host", "127.0.0.1", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise((resolve, reject) => {
  let buf = "";
  anvil.stdout.on("data", (d) => {
    buf += d;
    const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(buf);
    if (m) resolve(Number(m[1]));
  });
  anvil.on("exit", (code) => reject(new Error(`anvil exited with ${code}`)));
  setTimeout(() => reject(new Error("anvil did not start within 20 s")), 20000);
});

try {
  const provider = new ethers.JsonRpcProvider(`http://127.0.0.1:${port}`, undefined, { staticNetwork: true });
  // anvil's first well-known development key; it only ever holds test ether on this throwaway node.
  const wallet = new ethers.Wallet("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", provider);
  const factory = new ethers.ContractFactory(art.abi, art.evm.bytecode.object, wallet);
  const contract = await factory.deploy();
  await contract.waitForDeployment();
  // estimateGas errors carry the revert data but not always its decoding: decode custom errors with the ABI.
  const reason = (e) => {
    if (e.revert?.name) return e.revert.name;
    const data = e.data ?? e.info?.error?.data;
    if (typeof data === "string" && data.length >= 10) {
      try {
        return contract.interface.parseError(data)?.name ?? data;
      } catch {
        return data;
      }
    }
    return e.shortMessage ?? "unknown";
  };
  const results = [];
  for (const call of job.calls) {
    const args = [call.a, call.b, call.c, call.input];
    const r = {};
    try {
      r.verify = await contract.verifyProof(...args);
    } catch (e) {
      r.verify = "revert:" + reason(e);
    }
    try {
      r.gas = Number(await contract.requireValidProof.estimateGas(...args));
      r.require = "ok";
    } catch (e) {
      r.gas = null;
      r.require = "revert:" + reason(e);
    }
    results.push(r);
  }
  console.log(JSON.stringify(results));
} finally {
  anvil.kill();
}
