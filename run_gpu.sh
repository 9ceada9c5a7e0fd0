#!/usr/bin/env bash
set -uo pipefail
mkdir -p /tmp/new && tar xJf dist/new.tar.xz -C /tmp/new
export TESSEL_TEST_INSTALLED=1 PYTHONUNBUFFERED=1 TESSEL_CACHE_DIR=0
cd "$(dirname "$0")"
STAGES="2 3 4 5 6 7" CONFIGS=2 PYTHONPATH=/tmp/new timeout 150 python3 bench/probe/ws_sweep.py 2>&1 | tee $OUT/sweep_even.txt
