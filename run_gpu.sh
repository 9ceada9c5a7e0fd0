#!/usr/bin/env bash
set -uo pipefail
mkdir -p /tmp/new && tar xJf dist/new.tar.xz -C /tmp/new
export PYTHONPATH=/tmp/new TESSEL_TEST_INSTALLED=1 PYTHONUNBUFFERED=1
cd "$(dirname "$0")"
TESSEL_CONFORMANCE_DEVICE=cuda timeout 280 python3 -m pytest -q -n 8 test/python 2>&1 | tail -6 | tee $OUT/pytest_all.log
TESSEL_CONFORMANCE_DEVICE=cuda TESSEL_TARGET=nvidia:sm_80 timeout 200 python3 -m pytest -q -n 8 test/python/test_dot.py test/python/test_conformance.py test/python/test_tma.py 2>&1 | tail -4 | tee $OUT/pytest_sm80.log
export TESSEL_CACHE_DIR=0
timeout 100 python3 bench/bench_matmul.py --sizes 4096 2>&1 | tail -3 | tee $OUT/bench_ptr16.log
