// Shared helpers of the contract tests: a private anvil per script, deployment from solc artifacts, custom-error
// decoding, and the line protocol with the C# test that runs the script (it proves batches for us).
//
// Protocol on stdout, one JSON object per line: {"prove": [publicInputs]} asks the C# side for a Groth16 proof and
// reads {"a","b","c"} (decimal strings, snarkjs calldata order) from stdin; {"result": {...}} is the script's answer.
// Human-readable progress goes to stderr.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { realpathSync } from "node:fs";
import { ethers } from "ethers";
import { compile, contractSources } from "../compile.mjs";

// anvil's well-known development mnemonic: these keys only ever hold test ether on a throwaway node.
const MNEMONIC = "test test test test test test test test test test test junk";

export async function startAnvil() {
  const bin = realpathSync(new URL("../../../node_modules/.bin/anvil", import.meta.url));
  // VLD_ANVIL_HARDFORK (e.g. prague) reruns a script under older gas rules; anvil's default is its latest fork.
  const hardfork = process.env.VLD_ANVIL_HARDFORK ? ["--hardfork", process.env.VLD_ANVIL_HARDFORK] : [];
  const anvil = spawn(bin, ["--host", "127.0.0.1", "--port", "0", "--accounts", "20", ...hardfork], { stdio: ["ignore", "pipe", "inherit"] });
  let timer;
  const port = await new Promise((resolve, reject) => {
    let buf = "";
    anvil.stdout.on("data", (d) => {
      buf += d;
      const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    anvil.on("exit", (code) => reject(new Error(`anvil exited with ${code}`)));
    timer = setTimeout(() => reject(new Error("anvil did not start within 20 s")), 20000);
  }).finally(() => clearTimeout(timer));
  anvil.stdout.resume();
  const provider = new ethers.JsonRpcProvider(`http://127.0.0.1:${port}`, undefined, { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = 20;
  const wallets = [];
  for (let i = 0; i < 20; i++) wallets.push(ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).connect(provider));
  return { provider, wallets, port, stop: () => anvil.kill() };
}

/** Runs body(ctx) against a fresh anvil and always stops it; prints {"result": ...} with what body returns. */
export async function run(body) {
  const ctx = await startAnvil();
  try {
    const result = await body(ctx);
    send({ result });
  } catch (e) {
    console.error(e.stack ?? String(e));
    process.exitCode = 1;
  } finally {
    ctx.stop();
    stdinLines?.close();
  }
}

let artifactCache;
/** The contracts compiled once per script; extra sources (e.g. a generated verifier) are compiled alongside. */
export function artifacts(extra = {}) {
  if (!artifactCache || Object.keys(extra).length) artifactCache = compile({ ...contractSources(new URL("..", import.meta.url).pathname), ...extra });
  return artifactCache;
}

export async function deploy(signer, name, ...args) {
  const a = artifacts()[name];
  if (!a) throw new Error(`no contract ${name}`);
  const c = await new ethers.ContractFactory(a.abi, a.bytecode, signer).deploy(...args);
  await c.waitForDeployment();
  return c;
}

/** The custom error a failed call or transaction reverted with, as "Name" or "Name(arg,...)". */
export function revertOf(contract, e) {
  const data = e.data ?? e.info?.error?.data ?? e.error?.data;
  if (typeof data === "string" && data.length >= 10) {
    for (const c of [contract, ...extraInterfaces]) {
      try {
        const parsed = c.interface.parseError(data);
        if (parsed) return parsed.args.length ? `${parsed.name}(${parsed.args.map(String).join(",")})` : parsed.name;
      } catch {}
    }
    return data;
  }
  if (e.revert?.name) return e.revert.name;
  throw e;
}

const extraInterfaces = [];
/** Contracts whose errors may surface through another contract's call (e.g. the verifier's through Validium). */
export function alsoDecodeWith(...contracts) {
  extraInterfaces.push(...contracts);
}

/** Sends a transaction and returns its receipt; throws when it reverts. */
export async function tx(promise) {
  const sent = await promise;
  return await sent.wait();
}

/** "ok" when the transaction succeeds, otherwise the custom error it reverts with (checked by a call first). */
export async function expectRevert(contract, method, args, overrides = {}) {
  try {
    await contract[method].staticCall(...args, overrides);
  } catch (e) {
    return revertOf(contract, e);
  }
  return "ok";
}

export function send(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

let stdinLines;
let pending = [];
let waiting = [];
function lines() {
  if (!stdinLines) {
    stdinLines = createInterface({ input: process.stdin });
    stdinLines.on("line", (l) => (waiting.length ? waiting.shift()(l) : pending.push(l)));
  }
}

/** Asks the C# test for a Groth16 proof of the stand-in batch circuit for these public inputs. */
export async function prove(publicInputs) {
  lines();
  send({ prove: publicInputs.map((x) => BigInt(x).toString()) });
  const line = pending.length ? pending.shift() : await new Promise((r) => waiting.push(r));
  const msg = JSON.parse(line);
  if (msg.error) throw new Error(`prover: ${msg.error}`);
  return msg;
}

export async function increaseTime(provider, seconds) {
  await provider.send("evm_increaseTime", [seconds]);
  await provider.send("evm_mine", []);
}

export { ethers };
