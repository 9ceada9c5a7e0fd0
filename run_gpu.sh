#!/usr/bin/env bash
set -uo pipefail
mkdir -p /tmp/new && tar xJf dist/new.tar.xz -C /tmp/new
export TESSEL_TEST_INSTALLED=1 PYTHONUNBUFFERED=1 TESSEL_CACHE_DIR=0 PYTHONPATH=/tmp/new
cd "$(dirname "$0")"
for st in 3 4; do
timeout 150 ncu --section SourceCounters --print-details all -k regex:matmul_desc --launch-skip 1 --launch-count 1 python3 bench/probe/ws_profile.py 128 128 64 4 $st > $OUT/src_st$st.txt 2>&1
echo "== stages $st"; grep -A40 -i "Warp Stall Sampling\|stall" $OUT/src_st$st.txt | head -60
done
