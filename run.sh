#!/usr/bin/env bash
# The main job. Until the end-to-end demo exists it is the crypto/accelerator self-check: known answers
# from circomlibjs/ethers for every primitive, then every accelerator device against the CPU.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
scripts/build-vld.sh
exec out/vld/vld selfcheck "$@"
