// Compiles the test contracts with solc (pinned in package.json) and prints { "<Contract>": { "abi": [...], "bytecode": "0x.." } }.
//
//   node validium/tests/Validium.L1.Tests/js/compile.mjs A.sol B.sol ...
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const solc = require("solc");
const sources = Object.fromEntries(process.argv.slice(2).map((f) => [basename(f), { content: readFileSync(f, "utf8") }]));
const input = {
  language: "Solidity",
  sources,
  settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors ?? []).filter((e) => e.severity === "error");
if (errors.length) {
  console.error(errors.map((e) => e.formattedMessage).join("\n"));
  process.exit(2);
}
const result = {};
for (const file of Object.keys(out.contracts)) {
  for (const [name, art] of Object.entries(out.contracts[file])) {
    result[name] = { abi: art.abi, bytecode: "0x" + art.evm.bytecode.object };
  }
}
console.log(JSON.stringify(result));
