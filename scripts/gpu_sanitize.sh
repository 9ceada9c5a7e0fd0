#!/usr/bin/env bash
# On the GPU machine: runs GPU tests under compute-sanitizer's memcheck,
# racecheck and synccheck (after scripts/gpu_check.sh has installed the wheel,
# or with PYTHONPATH pointing at it). Logs go to $OUT (or ./gpu-logs).
#   [TOOLS="memcheck synccheck racecheck"] bash scripts/gpu_sanitize.sh [test files...]
# (default: the CUDA and dot tests, all three tools)
set -uo pipefail
out="${OUT:-$PWD/gpu-logs}"
mkdir -p "$out"
export TESSEL_TEST_INSTALLED=1 PYTHONUNBUFFERED=1 TESSEL_CONFORMANCE_DEVICE=cuda
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/python/test_cuda.py test/python/test_dot.py)
# Deselected: timing checks (launch overhead, do_bench bounds: the tools slow
# every launch) and the deliberately failing device assertion (a trap the
# tools report).
status=0
for tool in ${TOOLS:-memcheck synccheck racecheck}; do
  log="$out/sanitize-$tool.log"
  # --error-exitcode makes any reported hazard fail the run.
  compute-sanitizer --tool "$tool" --error-exitcode 99 --print-limit 20 \
    --target-processes all python3 -m pytest -q -p no:cacheprovider "${files[@]}" \
    -k "not launch_overhead and not device_assert_cuda_in_subprocess and not do_bench_cuda_events and not real_do_bench" \
    >"$log" 2>&1
  rc=$?
  summary=$(grep -E "ERROR SUMMARY|RACECHECK SUMMARY|passed|failed" "$log" | tail -3 | tr '\n' ' ')
  echo "$tool: exit $rc; $summary"
  [ $rc -eq 0 ] || status=1
done
exit $status
