#!/usr/bin/env bash
# Runs every test: lit (compiler), gtest (runtime), pytest (language), the compiler fuzzer's
# CI campaign (fixed seed, 1000 mutants; docs/fuzzing.md).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
status=0
echo "== runtime unit tests (gtest) and the C++ host example"
ctest --test-dir "$TESSEL_BUILD" -E "^lit$" --output-on-failure || status=1
echo "== compiler tests (lit)"
lit_log="$(mktemp)"
"$TESSEL_PYTHON" /usr/lib/llvm-22/bin/lit -sv "$TESSEL_BUILD/test" 2>&1 | tee "$lit_log" | grep -E "^(FAIL|XPASS|UNRESOLVED)|Failed|error:" || true
lit_passed=$(grep -oE "Passed *: *[0-9]+" "$lit_log" | grep -oE "[0-9]+$" || echo 0)
lit_failed=$(grep -oE "(Failed|Unresolved) *: *[0-9]+" "$lit_log" | grep -oE "[0-9]+$" | paste -sd+ | bc 2>/dev/null || echo 0)
echo "lit: ${lit_passed} passed, ${lit_failed:-0} failed"
grep -qE "^(FAIL|UNRESOLVED)" "$lit_log" && status=1
rm -f "$lit_log"
echo "== pytest"
"$TESSEL_PYTHON" -m pytest -q "$TESSEL_ROOT/test/python" "$@" || status=1
echo "== compiler fuzzer (--ci --runs 1000: fixed seed and mutants; known issues in scripts/fuzz/known_issues.json)"
# Fails on any crash, hang, out-of-memory or unlocated error that the allowlist does not
# cover; prints one summary line, the new findings with their reproducers, and the known ones.
rm -rf "$TESSEL_BUILD/fuzz-ci"
# A fixed number of mutants (not a time budget): every machine checks the
# same inputs for a given commit, so CI's verdict does not depend on its speed.
nice -n 10 "$TESSEL_PYTHON" "$TESSEL_ROOT/scripts/fuzz/fuzz.py" --ci --runs 1000 --jobs 2 --tools-dir "$TESSEL_BUILD/bin" \
  --out "$TESSEL_BUILD/fuzz-ci" -q || status=1
exit $status
