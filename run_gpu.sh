#!/usr/bin/env bash
set -uo pipefail
mkdir -p /tmp/new && tar xJf dist/new.tar.xz -C /tmp/new
export TESSEL_TEST_INSTALLED=1 PYTHONUNBUFFERED=1 PYTHONPATH=/tmp/new
cd "$(dirname "$0")"
TESSEL_CONFORMANCE_DEVICE=cuda timeout 150 python3 -m pytest -q -x test/python/test_tma.py test/python/test_attention_tutorial.py test/python/test_blocks.py 2>&1 | tail -4
TESSEL_CACHE_DIR=0 timeout 60 python3 bench/probe/ws_sweep.py 2>&1 | head -0
