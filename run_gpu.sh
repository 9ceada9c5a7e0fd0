#!/usr/bin/env bash
set -uo pipefail
mkdir -p /tmp/new && tar xJf dist/new.tar.xz -C /tmp/new
export PYTHONPATH=/tmp/new TESSEL_TEST_INSTALLED=1 PYTHONUNBUFFERED=1
cd "$(dirname "$0")"
TESSEL_CONFORMANCE_DEVICE=cuda timeout 300 python3 -m pytest -q -x test/python/test_tma.py test/python/test_blocks.py test/python/test_attention_tutorial.py 2>&1 | tail -30 | tee $OUT/pytest_tma.log
export TESSEL_CACHE_DIR=0
timeout 400 python3 bench/bench_matmul.py --desc --sizes 4096 8192 2>&1 | tee $OUT/bench_desc.log | grep -v "^  " 
grep "ws)" $OUT/bench_desc.log | sort -t: -k2 -rn | head -12
