#!/usr/bin/env bash
# Builds `vld` ahead of time (ReadyToRun) into out/vld/: a proof or an MSM is one process doing one heavy
# job, and JIT-compiling everything at start cost about 0.4 s of every command (a 241-constraint proof took
# 0.7 s with the JIT, 0.28 s precompiled). Methods that use AVX-512 are still compiled at run time for the
# CPU at hand. Prints nothing on success; run.sh and the benchmarks call it.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
dotnet publish validium/src/Validium.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -o out/vld --verbosity quiet -nologo
