#!/usr/bin/env bash
# On a GPU machine without LLVM: install the wheel built by
# scripts/build_wheel.py, run the GPU tests, the demo and the benchmarks.
# Logs go to $OUT (or ./gpu-logs).
#   bash scripts/gpu_check.sh dist/tessel-*.whl
set -uo pipefail
wheel="${1:?usage: gpu_check.sh path/to/tessel.whl}"
out="${OUT:-$PWD/gpu-logs}"
mkdir -p "$out"
site=/tmp/tessel-site
python3 -m pip install -q --no-deps --no-index --target "$site" --upgrade "$wheel" || exit 1
export PYTHONPATH="$site"
export TESSEL_TEST_INSTALLED=1 PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,memory.total --format=csv | tee "$out/gpu.txt"
status=0
python3 -m pytest -q test/python 2>&1 | tee "$out/pytest.log" | tail -25 || status=1
# The conformance files run on the CPU unless told otherwise: again on CUDA
# (their GPU-only cases, such as the wgmma tiles, skip on the CPU).
TESSEL_CONFORMANCE_DEVICE=cuda python3 -m pytest -q test/python/test_dot.py \
  test/python/test_conformance.py test/python/test_big_shared_memory.py \
  test/python/test_triton_compat.py test/python/test_reduce_size_one.py \
  test/python/test_float_atomics.py test/python/test_scan_atomics.py \
  test/python/test_triton_typing.py test/python/test_tl_names.py \
  test/python/test_conformance_gaps.py 2>&1 |
  tee "$out/pytest_cuda.log" | tail -5 || status=1
# sm_80 code (mma.sync, no wgmma) on the same GPU: the runtime loads its PTX,
# which the driver compiles for the device.
TESSEL_CONFORMANCE_DEVICE=cuda TESSEL_TARGET=nvidia:sm_80 python3 -m pytest -q \
  test/python/test_dot.py test/python/test_conformance.py 2>&1 |
  tee "$out/pytest_cuda_sm80.log" | tail -5 || status=1
# Benchmarks report compile times: compile for real, not from the disk cache
# the tests just filled.
export TESSEL_CACHE_DIR=0
python3 examples/demo.py 2>&1 | tee "$out/demo.log" || status=1
python3 bench/bench_vadd.py 2>&1 | tee "$out/bench_vadd.log" || status=1
python3 bench/bench_softmax.py 2>&1 | tee "$out/bench_softmax.log" || status=1
python3 bench/bench_norms.py 2>&1 | tee "$out/bench_norms.log" || status=1
python3 bench/bench_shapes.py 2>&1 | tee "$out/bench_shapes.log" || status=1
python3 bench/bench_matmul.py --sass "$out/sass" 2>&1 | tee "$out/bench_matmul.log" || status=1
python3 bench/bench_attention.py 2>&1 | tee "$out/bench_attention.log" || status=1
python3 bench/bench_attention.py --fp8 --seqs 4096 2>&1 | tee "$out/bench_attention_fp8.log" || status=1
python3 bench/bench_attention_bwd.py 2>&1 | tee "$out/bench_attention_bwd.log" || status=1
python3 bench/bench_launch.py 2>&1 | tee "$out/bench_launch.log" || status=1
python3 bench/first_call.py --device cuda 2>&1 | tee "$out/first_call.log" || status=1
exit $status
