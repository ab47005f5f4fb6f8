// The contracts the committee tests deploy, compiled with the repository's solc settings, plus where Validium keeps
// batchNumber (so a test can stand in for proven batches with anvil_setStorageAt):
//
//   node da-committee/tests/Validium.DaCommittee.Tests/js/contracts.mjs
//     → { Validium: { abi, bytecode }, PoseidonT3: { abi, bytecode }, batchNumber: { slot, offset, bytes } }
import { createRequire } from "node:module";
import { contractSources, SETTINGS } from "../../../../validium/contracts/compile.mjs";

const solc = createRequire(import.meta.url)("solc");
const input = {
  language: "Solidity",
  sources: contractSources(new URL("../../../../validium/contracts/", import.meta.url).pathname),
  settings: { ...SETTINGS, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "storageLayout"] } } },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors ?? []).filter((e) => e.severity === "error");
if (errors.length) {
  console.error(errors.map((e) => e.formattedMessage).join("\n"));
  process.exit(1);
}
const pick = (file, name) => out.contracts[file][name];
const validium = pick("Validium.sol", "Validium");
const entry = validium.storageLayout.storage.find((s) => s.label === "batchNumber");
const type = validium.storageLayout.types[entry.type];
console.log(JSON.stringify({
  Validium: { abi: validium.abi, bytecode: "0x" + validium.evm.bytecode.object },
  PoseidonT3: { abi: pick("PoseidonT3.sol", "PoseidonT3").abi, bytecode: "0x" + pick("PoseidonT3.sol", "PoseidonT3").evm.bytecode.object },
  batchNumber: { slot: Number(entry.slot), offset: entry.offset, bytes: Number(type.numberOfBytes) },
}));
