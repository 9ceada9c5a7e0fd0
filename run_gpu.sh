#!/usr/bin/env bash
set -uo pipefail
mkdir -p /tmp/new && tar xJf dist/new.tar.xz -C /tmp/new
export PYTHONPATH=/tmp/new TESSEL_TEST_INSTALLED=1 PYTHONUNBUFFERED=1
cd "$(dirname "$0")"
export TESSEL_CACHE_DIR=0
timeout 280 python3 bench/bench_matmul.py --desc --dtypes float8e4nv int8 --sizes 4096 8192 2>&1 | tee $OUT/bench_desc8.log | grep -v "^  "
timeout 200 python3 bench/bench_matmul.py --dtypes float8e4nv int8 --sizes 4096 2>&1 | tee $OUT/bench_ptr8.log | grep -v "^  "
