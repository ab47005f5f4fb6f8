// Compiles every contract in validium/contracts with solc (standard JSON, optimizer on) and writes one artifact per
// contract, <Name>.json = { contractName, abi, bytecode, deployedBytecode, compiler }, for the tests and the deploy command.
//
//   node validium/contracts/build.mjs [--out DIR]      (default: validium/contracts/out, gitignored)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile, contractSources, solcVersion } from "./compile.mjs";

const args = process.argv.slice(2);
let outDir = new URL("./out", import.meta.url).pathname;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--out" && i + 1 < args.length) outDir = args[++i];
  else {
    console.error(`build.mjs: unknown argument ${args[i]} (usage: node build.mjs [--out DIR])`);
    process.exit(2);
  }
}

const EIP170_LIMIT = 24576;
// Creation code (constructor + runtime + any contract it deploys, as the generated Poseidon widths do) per EIP-3860.
const EIP3860_LIMIT = 49152;
let artifacts;
try {
  artifacts = compile(contractSources());
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
const compiler = solcVersion();
let tooBig = false;
for (const [name, a] of Object.entries(artifacts)) {
  const size = (a.deployedBytecode.length - 2) / 2;
  if (size > EIP170_LIMIT) {
    console.error(`${name}: ${size} bytes of runtime code, over the ${EIP170_LIMIT}-byte limit (EIP-170)`);
    tooBig = true;
  }
  const initSize = (a.bytecode.length - 2) / 2;
  if (initSize > EIP3860_LIMIT) {
    console.error(`${name}: ${initSize} bytes of creation code, over the ${EIP3860_LIMIT}-byte limit (EIP-3860)`);
    tooBig = true;
  }
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify({ contractName: name, abi: a.abi, bytecode: a.bytecode, deployedBytecode: a.deployedBytecode, compiler }, null, 1));
  if (size > 0) console.log(`${name.padEnd(24)} ${String(size).padStart(6)} bytes`);
}
if (tooBig) process.exit(1);
