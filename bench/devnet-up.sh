#!/bin/bash
# Times `vld devnet up --dir DIR`: seconds until it prints "running;", then SIGTERM after 5 s and seconds until it exits.
# Build first: dotnet build -c Release validium/src/Validium.Cli
set -u
D=${1:?usage: bench/devnet-up.sh DIR}
VLD="$(cd "$(dirname "$0")/.." && pwd)/validium/src/Validium.Cli/bin/Release/net10.0/vld.dll"
OUT=$(mktemp)
start=$(date +%s.%N)
dotnet "$VLD" devnet up --dir "$D" --oracle-interval 2 > "$OUT" 2>&1 &
P=$!
until grep -q "^running;" "$OUT"; do
  sleep 0.1
  if ! kill -0 $P 2>/dev/null; then echo "vld exited before running:"; cat "$OUT"; exit 1; fi
done
up=$(date +%s.%N)
sleep 5
s2=$(date +%s.%N)
kill -TERM $P; wait $P; rc=$?
end=$(date +%s.%N)
echo "up $(echo "$up - $start" | bc) s; stop $(echo "$end - $s2" | bc) s; exit $rc; load $(cut -d' ' -f1-3 /proc/loadavg); log $OUT"
