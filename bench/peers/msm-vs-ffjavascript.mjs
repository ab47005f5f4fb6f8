// Side-by-side G1 MSM: our `vld accel msm` against ffjavascript's G1.multiExpAffine (snarkjs's curve
// library, pinned in package.json) on the same seeded inputs in one run. Both results must agree.
//
//   node bench/peers/msm-vs-ffjavascript.mjs [logSize=16] [seed=1] [repeat=3]
//
// vld generates the inputs and exports them in ffjavascript's layout (points: x, y little-endian
// Montgomery; scalars: little-endian), so both sides read the same bytes. Each side reports its fastest
// of `repeat` runs, excluding input generation and process start.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildBn128 } from "ffjavascript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const logSize = Number(process.argv[2] ?? 16);
const seed = Number(process.argv[3] ?? 1);
const repeat = Number(process.argv[4] ?? 3);
if (!Number.isInteger(logSize) || logSize < 1 || logSize > 22) throw new Error("logSize must be an integer in 1..22");
const n = 1 << logSize;

const vld = join(root, "out/vld/vld");
execFileSync(join(root, "scripts/build-vld.sh"), { stdio: "inherit" });

const dir = mkdtempSync(join(tmpdir(), "msm-peer-"));
try {
  const out = execFileSync(vld, ["accel", "msm", "--size", String(n), "--seed", String(seed), "--repeat", String(repeat), "--export", dir], { encoding: "utf8" });
  const [ourX, ourY, timeLine] = out.trim().split("\n");
  const ourMs = Number(/time: ([0-9.]+) ms/.exec(timeLine)[1]);

  const curve = await buildBn128();
  const points = new Uint8Array(readFileSync(join(dir, "points.bin")));
  const scalars = new Uint8Array(readFileSync(join(dir, "scalars.bin")));
  let best = Infinity, res;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    res = await curve.G1.multiExpAffine(points, scalars, false);
    best = Math.min(best, performance.now() - t0);
  }
  const [x, y] = curve.G1.toObject(curve.G1.toAffine(res));
  await curve.terminate();

  const agree = x.toString() === ourX && y.toString() === ourY;
  console.log(`MSM G1 2^${logSize} (${n} points), seed ${seed}, fastest of ${repeat}`);
  console.log(`  vld (C#, CPU backend): ${ourMs.toFixed(1)} ms`);
  console.log(`  ffjavascript ${JSON.parse(readFileSync(join(root, "node_modules/ffjavascript/package.json"))).version} multiExpAffine: ${best.toFixed(1)} ms`);
  console.log(`  results agree: ${agree}`);
  console.log(`  ratio ffjavascript / vld: ${(best / ourMs).toFixed(2)}x`);
  if (!agree) {
    console.error(`  vld:          (${ourX}, ${ourY})\n  ffjavascript: (${x}, ${y})`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
