#!/usr/bin/env bash
set -uo pipefail
mkdir -p /tmp/new && tar xJf dist/new.tar.xz -C /tmp/new
export TESSEL_TEST_INSTALLED=1 PYTHONUNBUFFERED=1 TESSEL_CACHE_DIR=0 PYTHONPATH=/tmp/new
cd "$(dirname "$0")"
for st in 3 4; do
timeout 200 ncu --section SourceCounters --page source --print-source sass --csv -k regex:matmul_desc --launch-skip 1 --launch-count 1 python3 bench/probe/ws_profile.py 128 128 64 4 $st > $OUT/sass_st$st.csv 2>&1
echo "== $st $(wc -l < $OUT/sass_st$st.csv)"; head -3 $OUT/sass_st$st.csv | cut -c1-300
done
