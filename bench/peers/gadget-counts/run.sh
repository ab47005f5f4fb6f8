#!/usr/bin/env bash
# Constraint counts of circomlib's gadgets, for the table in
# validium/tests/Validium.Proving.Tests/ConstraintCountTests.cs (our counts are asserted there).
# Each template is compiled alone with circom2 --O2 and its inputs as private signals; `snarkjs r1cs info`
# gives the count.   bench/peers/gadget-counts/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
# circom2 runs as WebAssembly and only sees paths below the working directory, so the build stays in the tree.
work=bench/peers/gadget-counts/build
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
count() {
  local name=$1 include=$2 body=$3
  printf 'pragma circom 2.1.0;\ninclude "circomlib/circuits/%s";\n%s\n' "$include" "$body" > "$work/$name.circom"
  npx circom2 "$work/$name.circom" --O2 --r1cs -l node_modules -o "$work" > "$work/$name.log" 2>&1 \
    || { cat "$work/$name.log" >&2; return 1; }
  local n
  n=$(node node_modules/snarkjs/build/cli.cjs r1cs info "$work/$name.r1cs" | grep -o '# of Constraints: [0-9]*' | grep -o '[0-9]*$')
  printf '%-34s %s\n' "$name" "$n"
}
count Poseidon2 poseidon.circom 'component main = Poseidon(2);'
count Num2Bits64 bitify.circom 'component main = Num2Bits(64);'
count Num2Bits_strict bitify.circom 'component main = Num2Bits_strict();'
count LessEqThan32 comparators.circom 'component main = LessEqThan(32);'
count IsZero comparators.circom 'component main = IsZero();'
count Mux1 mux1.circom 'component main = Mux1();'
count BabyAdd babyjub.circom 'component main = BabyAdd();'
count BabyCheck babyjub.circom 'component main = BabyCheck();'
count BabyDbl babyjub.circom 'component main = BabyDbl();'
count EscalarMulAny254 escalarmulany.circom 'component main = EscalarMulAny(254);'
count EscalarMulFix253 escalarmulfix.circom 'component main = EscalarMulFix(253, [5299619240641551281634865583518297030282874472190772894086521144482721001553, 16950150798460657717958625567821834550301663161624707787222815936182638968203]);'
count EdDSAPoseidonVerifier eddsaposeidon.circom 'component main = EdDSAPoseidonVerifier();'
