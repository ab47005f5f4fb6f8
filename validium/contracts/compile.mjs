// solc (solcjs, pinned in package.json) over standard JSON with the optimizer on: the one place the contracts'
// compiler settings live, shared by build.mjs and the tests.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const solc = require("solc");

export const SETTINGS = { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" };

/** Every .sol file beside this script, keyed by file name (the contracts import each other as "./X.sol"). */
export function contractSources(dir = new URL(".", import.meta.url).pathname) {
  const sources = {};
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".sol")).sort()) sources[f] = { content: readFileSync(join(dir, f), "utf8") };
  return sources;
}

/**
 * Compiles { "File.sol": { content } } and returns { ContractName: { abi, bytecode, deployedBytecode } }.
 * Throws with solc's messages on any error; a contract name defined twice is an error too, since artifacts are keyed by it.
 */
export function compile(sources) {
  const input = {
    language: "Solidity",
    sources,
    settings: { ...SETTINGS, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const artifacts = {};
  for (const [file, contracts] of Object.entries(out.contracts ?? {})) {
    for (const [name, c] of Object.entries(contracts)) {
      if (artifacts[name]) throw new Error(`contract ${name} is defined in ${artifacts[name].source} and ${file}`);
      artifacts[name] = { source: file, abi: c.abi, bytecode: "0x" + c.evm.bytecode.object, deployedBytecode: "0x" + c.evm.deployedBytecode.object };
    }
  }
  return artifacts;
}

export const solcVersion = () => solc.version();
