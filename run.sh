#!/usr/bin/env bash
# The main job: the end-to-end demo. Builds `vld`, then `vld demo` brings up anvil, the contracts, three committee
# members and the node, trades for 75 s with simulated market makers and takers, proves and settles every batch on
# L1, claims a withdrawal on L1 and prints a summary (demo-out/summary.json, demo-out/throughput-latency.png).
# Arguments go to `vld demo` (e.g. --quick, --escape, --duration 120, --reset). A second run reuses demo-out/.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
scripts/build-vld.sh
exec out/vld/vld demo "$@"
