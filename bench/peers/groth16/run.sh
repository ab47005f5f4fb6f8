#!/usr/bin/env bash
# Side-by-side Groth16 proving: `vld groth16 prove` against `snarkjs groth16 prove` on the same .zkey and
# .wtns, for a chain of N Poseidon hashes (~240·N constraints).
#   bench/peers/groth16/run.sh 273    # ~2^16 constraints
#   bench/peers/groth16/run.sh 1092   # ~2^18 constraints
# The circuit, witness and key are kept in bench/peers/groth16/build/N and reused (REBUILD=1 remakes them);
# each prover runs RUNS times (default 3), alternating, and the medians are compared.
# The key comes from `vld groth16 setup --dev-seed` (a snarkjs ceremony at these sizes takes far too long
# here); snarkjs proves with it unchanged. Both proofs are checked with `snarkjs groth16 verify`.
set -euo pipefail
shopt -s inherit_errexit
root=$(cd "$(dirname "$0")/../../.." && pwd)
n=${1:-273}
cd "$root"
# circom2 runs as WebAssembly and only sees paths below the working directory, so the build stays in the tree.
work=bench/peers/groth16/build/$n
runs=${RUNS:-3}
vld=out/vld/vld
scripts/build-vld.sh
# Runs a command quietly and prints its wall time; on failure shows its output and stops the script.
t() {
  local s; s=$(date +%s.%N)
  if ! "$@" > "$work/last.log" 2>&1; then cat "$work/last.log" >&2; return 1; fi
  echo "$(date +%s.%N) - $s" | bc
}
if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$work/main.zkey" ]; then
  rm -rf "$work" && mkdir -p "$work"
  printf 'pragma circom 2.1.0;\ninclude "chain.circom";\ncomponent main = Chain(%s);\n' "$n" > "$work/main.circom"
  echo "compile:  $(t npx circom2 "$work/main.circom" --O2 --r1cs --wasm -l node_modules -l bench/peers/groth16 -o "$work") s"
  echo '{"x": "12345"}' > "$work/input.json"
  echo "witness:  $(t node "$work/main_js/generate_witness.js" "$work/main_js/main.wasm" "$work/input.json" "$work/main.wtns") s"
  echo "setup:    $(t "$vld" groth16 setup --r1cs "$work/main.r1cs" --dev-seed 1 --zkey "$work/main.zkey") s"
  grep -o 'setup: [0-9]* constraints[^,]*, [0-9]* wires' "$work/last.log" || true
else
  echo "reusing the circuit, witness and key in $work (REBUILD=1 remakes them)"
fi
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mine=(); peer=()
for ((i = 1; i <= runs; i++)); do
  mine+=("$(t "$vld" groth16 prove --zkey "$work/main.zkey" --wtns "$work/main.wtns" --proof "$work/p1.json" --public "$work/s1.json")")
  [ "$i" = 1 ] && tail -9 "$work/last.log"
  peer+=("$(t node node_modules/snarkjs/build/cli.cjs groth16 prove "$work/main.zkey" "$work/main.wtns" "$work/p2.json" "$work/s2.json")")
  echo "run $i: vld ${mine[-1]} s, snarkjs ${peer[-1]} s"
done
ours=$(median "${mine[@]}")
theirs=$(median "${peer[@]}")
node node_modules/snarkjs/build/cli.cjs zkey export verificationkey "$work/main.zkey" "$work/vk.json" > /dev/null
node node_modules/snarkjs/build/cli.cjs groth16 verify "$work/vk.json" "$work/s1.json" "$work/p1.json" | grep -q "OK" && echo "vld proof: snarkjs verify OK"
node node_modules/snarkjs/build/cli.cjs groth16 verify "$work/vk.json" "$work/s2.json" "$work/p2.json" | grep -q "OK" && echo "snarkjs proof: snarkjs verify OK"
echo "prove, median of $runs (whole command, process start included): vld $ours s, snarkjs $theirs s, ratio $(echo "scale=2; $theirs / $ours" | bc)x"
