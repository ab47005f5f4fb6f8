// Compiles every contract in validium/contracts with solc (standard JSON, optimizer on) and writes one artifact per
// contract, <Name>.json = { contractName, abi, bytecode, deployedBytecode, compiler }, for the tests and the deploy command.
//
//   node validium/contracts/build.mjs [--out DIR] [--extra FILE.sol ...]   (default out: validium/contracts/out, gitignored)
//
// --extra adds a source compiled with the same settings, under its file name (e.g. the batch verifier `vld l1 deploy`
// generates from a verification key), so the compiler settings stay in compile.mjs alone.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { compile, contractSources, solcVersion } from "./compile.mjs";

const args = process.argv.slice(2);
let outDir = new URL("./out", import.meta.url).pathname;
const sources = contractSources();
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--out" && i + 1 < args.length) outDir = args[++i];
  else if (args[i] === "--extra" && i + 1 < args.length) {
    const file = args[++i];
    const name = basename(file);
    if (!name.endsWith(".sol") || sources[name]) {
      console.error(`build.mjs: --extra ${file}: want a .sol file whose name differs from the contracts' (${Object.keys(sources).join(", ")})`);
      process.exit(2);
    }
    try {
      sources[name] = { content: readFileSync(file, "utf8") };
    } catch (e) {
      console.error(`build.mjs: --extra ${file}: ${e.message}`);
      process.exit(2);
    }
  } else {
    console.error(`build.mjs: unknown argument ${args[i]} (usage: node build.mjs [--out DIR] [--extra FILE.sol ...])`);
    process.exit(2);
  }
}

const EIP170_LIMIT = 24576;
// Creation code (constructor + runtime + any contract it deploys, as the generated Poseidon widths do) per EIP-3860.
const EIP3860_LIMIT = 49152;
let artifacts;
try {
  artifacts = compile(sources);
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
